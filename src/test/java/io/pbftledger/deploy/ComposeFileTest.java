package io.pbftledger.deploy;

import static io.pbftledger.deploy.Yamls.asMap;
import static io.pbftledger.deploy.Yamls.at;
import static io.pbftledger.deploy.Yamls.listAt;
import static io.pbftledger.deploy.Yamls.mapAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml is valid for docker-compose, and its replica services are the ones the keys of
 * its own keygen service describe. Needs the docker-compose binary (no Docker engine); skips without it.
 */
class ComposeFileTest {
    private static final Path COMPOSE_FILE = Path.of("docker-compose.yml");
    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    private static Map<String, Object> resolved;

    @TempDir
    Path work;

    @BeforeAll
    static void resolveWithDockerCompose() throws Exception {
        assumeTrue(onPath("docker-compose"),
                "docker-compose is not installed (apt-get install docker-compose); skipping the compose file checks");
        resolved = Yamls.load(run("docker-compose", "-f", COMPOSE_FILE.toString(), "config"));
    }

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        run("docker-compose", "-f", COMPOSE_FILE.toString(), "config", "-q");
    }

    @Test
    void replicaServicesMatchTheMembershipTheKeygenServiceProduces() {
        Map<String, Object> keygen = mapAt(resolved, "services", "keygen");
        Map<String, Object> keygenEnv = mapAt(keygen, "environment");
        int replicas = Integer.parseInt(String.valueOf(keygenEnv.get("KEYGEN_REPLICAS")));
        GeneratedKeys keys = GeneratedKeys.generate(work.resolve("keys"), replicas,
                Integer.parseInt(String.valueOf(keygenEnv.get("KEYGEN_CLIENTS"))),
                (String) keygenEnv.get("KEYGEN_URL_TEMPLATE"), (String) keygenEnv.get("KEYGEN_CHAIN_ID"));
        String keysMount = keysMountPoint(keygen);
        List<Object> members = listAt(Yamls.load(keys.read(keys.membership())), "replicas");

        Map<String, Object> services = mapAt(resolved, "services");
        assertThat(services.keySet().stream().filter(name -> name.startsWith("replica-"))).hasSize(replicas);
        for (Object member : members) {
            int id = (Integer) asMap(member).get("id");
            URI url = URI.create((String) asMap(member).get("url"));
            // peers reach replica i at its compose service name, on the port its yml makes it listen on
            Map<String, Object> service = mapAt(services, url.getHost());
            int listenPort = (Integer) at(Yamls.load(keys.read(keys.replicaConfig(id))), "server", "port");
            assertThat(listenPort).isEqualTo(url.getPort());
            assertThat(listAt(service, "command")).containsExactly("node", "--config", keysMount + "/replicas/replica-" + id + ".yml");
            assertThat(listAt(service, "ports")).singleElement().satisfies(port -> {
                assertThat(asMap(port).get("target")).isEqualTo(listenPort);
                assertThat(Integer.parseInt(String.valueOf(asMap(port).get("published")))).isEqualTo(8080 + id);
            });
            Map<String, Object> env = mapAt(service, "environment");
            assertThat(env.get("LEDGER_DB_URL")).isEqualTo("jdbc:postgresql://postgres:5432/ledger_" + id);
            assertThat(env.get("SPRING_PROFILES_ACTIVE")).isEqualTo("postgres");
            assertThat(listAt(service, "volumes")).contains("keys:" + keysMount + ":ro");
            assertThat(at(service, "depends_on", "keygen", "condition")).isEqualTo("service_completed_successfully");
            assertThat(at(service, "depends_on", "postgres", "condition")).isEqualTo("service_healthy");
        }
    }

    @Test
    void postgresCreatesOneDatabasePerReplica() {
        Map<String, Object> postgres = mapAt(resolved, "services", "postgres");
        List<String> databases = Arrays.asList(String.valueOf(at(postgres, "environment", "LEDGER_DATABASES")).split(" "));
        List<String> expected = new ArrayList<>();
        mapAt(resolved, "services").forEach((name, service) -> {
            if (name.startsWith("replica-")) {
                String url = (String) at(asMap(service), "environment", "LEDGER_DB_URL");
                expected.add(url.substring(url.lastIndexOf('/') + 1));
            }
        });
        assertThat(databases).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(listAt(postgres, "volumes")).anySatisfy(v -> assertThat(String.valueOf(v)).contains("docker-entrypoint-initdb.d"));
    }

    private static String keysMountPoint(Map<String, Object> keygen) {
        String volume = String.valueOf(listAt(keygen, "volumes").get(0));
        assertThat(volume).startsWith("keys:");
        return volume.substring("keys:".length()).replaceFirst(":rw$", "");
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(java.io.File.pathSeparator)).anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s exit code; output:%n%s", List.of(command), text).isZero();
        return text;
    }
}
