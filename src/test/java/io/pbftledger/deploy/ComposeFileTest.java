package io.pbftledger.deploy;

import static io.pbftledger.deploy.Yamls.asMap;
import static io.pbftledger.deploy.Yamls.at;
import static io.pbftledger.deploy.Yamls.listAt;
import static io.pbftledger.deploy.Yamls.mapAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pbftledger.testing.DeploymentTest;
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
 * docker-compose.yml is valid for docker-compose, its replica services are the ones the keys of its
 * own keygen service describe, and it is safe by default: each replica mounts only its own key,
 * has its own database role, no password has a default, ports are published on 127.0.0.1 only, and
 * the replicas' actuator (metrics) has a port of its own, published on 127.0.0.1 whatever
 * LEDGER_BIND_ADDRESS says. Prometheus and Grafana run only in the profile "monitoring", on the
 * chart's rules and dashboard.
 * Needs the docker-compose binary (no Docker engine); skips without it.
 */
@DeploymentTest
class ComposeFileTest {
    private static final Path COMPOSE_FILE = Path.of("docker-compose.yml");
    private static final long COMMAND_TIMEOUT_SECONDS = 60;
    private static final int REPLICAS = 4;
    private static final List<String> MONITORING_SERVICES = List.of("prometheus", "grafana");
    /** The passwords the file requires, each set to a value of its own. */
    private static final Map<String, String> PASSWORDS = passwords();

    private static Map<String, Object> resolved;

    @TempDir
    static Path emptyDir;

    @TempDir
    Path work;

    @BeforeAll
    static void resolveWithDockerCompose() throws Exception {
        assumeTrue(onPath("docker-compose"),
                "docker-compose is not installed (apt-get install docker-compose); skipping the compose file checks");
        Result config = compose(PASSWORDS, "config");
        assertThat(config.exitCode()).as("docker-compose config: %s", config.output()).isZero();
        resolved = Yamls.load(config.output());
    }

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        Result result = compose(PASSWORDS, "config", "-q");
        assertThat(result.exitCode()).as("docker-compose config -q: %s", result.output()).isZero();
    }

    @Test
    void everyPasswordIsRequiredAndNoneHasADefault() throws Exception {
        for (String variable : PASSWORDS.keySet()) {
            Map<String, String> missing = new java.util.LinkedHashMap<>(PASSWORDS);
            missing.remove(variable);
            Result result = compose(missing, "config", "-q");
            assertThat(result.exitCode()).as("docker-compose config without %s", variable).isNotZero();
            assertThat(result.output()).contains("set " + variable);
        }
        String text = Files.readString(COMPOSE_FILE);
        for (String variable : PASSWORDS.keySet()) {
            assertThat(text).doesNotContain("${" + variable + ":-").doesNotContain("${" + variable + "-");
        }
    }

    /** README's docker-compose commands, run as written, give the file every variable it requires. */
    @Test
    void theReadmesCommandsSetEveryRequiredVariable() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## Run it with docker-compose");
        assertThat(section).as("README.md has a 'Run it with docker-compose' section").isNotNegative();
        int start = readme.indexOf("```bash\n", section) + "```bash\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        assertThat(block).contains("docker compose up");
        String setup = block.lines().filter(line -> !line.startsWith("docker compose")).collect(java.util.stream.Collectors.joining("\n"));
        Path dir = Files.createDirectories(work.resolve("readme"));
        Process sh = new ProcessBuilder("sh", "-ec", setup).directory(dir.toFile()).redirectErrorStream(true).start();
        String shOutput = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sh.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(sh.exitValue()).as("README's setup commands: %s", shOutput).isZero();

        Result result = compose(Map.of(), dir.resolve(".env"), "config", "-q");

        assertThat(result.exitCode()).as("docker-compose config -q with README's .env: %s", result.output()).isZero();
    }

    @Test
    void eachReplicaMountsOnlyItsOwnKeyVolumeWhichTheKeygenServiceFills() {
        Map<String, Object> services = mapAt(resolved, "services");
        Map<String, Object> keygen = mapAt(services, "keygen");
        Map<String, Object> keygenEnv = mapAt(keygen, "environment");
        String splitDir = (String) keygenEnv.get("KEYGEN_SPLIT_DIR");
        List<String> keygenVolumes = listAt(keygen, "volumes").stream().map(String::valueOf).toList();
        for (int i = 0; i < REPLICAS; i++) {
            List<String> volumes = listAt(mapAt(services, "replica-" + i), "volumes").stream().map(String::valueOf).toList();
            assertThat(volumes).as("volumes of replica-%d", i).contains("replica-" + i + "-keys:/var/lib/pbft-ledger/keys:ro");
            for (String volume : volumes) {
                String source = volume.substring(0, volume.indexOf(':'));
                assertThat(source).as("replica-%d mounts %s", i, volume).isIn("replica-" + i + "-keys", "replica-" + i + "-data");
            }
            assertThat(keygenVolumes).contains("replica-" + i + "-keys:" + splitDir + "/replica-" + i + ":rw");
        }
        assertThat(keygenEnv.get("KEYGEN_OWNER")).isEqualTo("10001:10001");
        services.forEach((name, service) -> {
            if (!name.equals("keygen") && asMap(service).containsKey("volumes")) {
                assertThat(listAt(asMap(service), "volumes")).as("volumes of %s", name)
                        .noneSatisfy(v -> assertThat(String.valueOf(v)).startsWith("keys:"));
            }
        });
    }

    @Test
    void eachReplicaHasItsOwnDatabaseRoleAndPasswordAndNeverTheSuperusers() {
        Map<String, Object> services = mapAt(resolved, "services");
        Map<String, Object> postgresEnv = mapAt(services, "postgres", "environment");
        assertThat(postgresEnv.get("POSTGRES_PASSWORD")).isEqualTo(PASSWORDS.get("LEDGER_DB_ADMIN_PASSWORD"));
        assertThat(String.valueOf(postgresEnv.get("LEDGER_REPLICAS"))).isEqualTo(String.valueOf(REPLICAS));
        for (int i = 0; i < REPLICAS; i++) {
            Map<String, Object> env = mapAt(services, "replica-" + i, "environment");
            assertThat(env.get("LEDGER_DB_URL")).isEqualTo("jdbc:postgresql://postgres:5432/ledger_" + i);
            assertThat(env.get("LEDGER_DB_USER")).isEqualTo("ledger_" + i);
            assertThat(env.get("LEDGER_DB_PASSWORD")).isEqualTo(PASSWORDS.get("LEDGER_DB_PASSWORD_" + i));
            // what init-databases.sh gives role ledger_<i>
            assertThat(postgresEnv.get("LEDGER_DB_PASSWORD_" + i)).isEqualTo(PASSWORDS.get("LEDGER_DB_PASSWORD_" + i));
            assertThat(env.values()).doesNotContain(PASSWORDS.get("LEDGER_DB_ADMIN_PASSWORD"));
        }
    }

    @Test
    void portsArePublishedOnLoopbackOnly() {
        Map<String, Object> services = mapAt(resolved, "services");
        services.forEach((name, service) -> {
            if (!asMap(service).containsKey("ports")) {
                return;
            }
            for (Object port : listAt(asMap(service), "ports")) {
                assertThat(Port.of(port).hostIp()).as("host address of %s's port %s", name, port).isEqualTo("127.0.0.1");
            }
        });
        assertThat(mapAt(services, "postgres")).doesNotContainKey("ports");
    }

    @Test
    void eachReplicasActuatorHasAPortOfItsOwnPublishedOnLoopbackEvenWhenTheApiIsPublishedElsewhere() throws Exception {
        Map<String, String> elsewhere = new java.util.LinkedHashMap<>(PASSWORDS);
        elsewhere.put("LEDGER_BIND_ADDRESS", "0.0.0.0");
        Result config = compose(elsewhere, "config");
        assertThat(config.exitCode()).as(config.output()).isZero();
        Map<String, Object> services = mapAt(Yamls.load(config.output()), "services");
        for (int i = 0; i < REPLICAS; i++) {
            Map<String, Object> service = mapAt(services, "replica-" + i);
            int managementPort = Integer.parseInt(String.valueOf(mapAt(service, "environment").get("MANAGEMENT_SERVER_PORT")));
            assertThat(managementPort).isNotEqualTo(8080);
            List<Port> ports = listAt(service, "ports").stream().map(Port::of).toList();
            assertThat(ports).as("ports of replica-%d", i).containsExactlyInAnyOrder(
                    new Port("0.0.0.0", 8080 + i, 8080), new Port("127.0.0.1", 9090 + i, managementPort));
        }
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
            assertThat(listAt(service, "ports")).hasSize(2).anySatisfy(port -> {
                assertThat(Port.of(port).target()).isEqualTo(listenPort);
                assertThat(Port.of(port).published()).isEqualTo(8080 + id);
            });
            Map<String, Object> env = mapAt(service, "environment");
            assertThat(env.get("LEDGER_DB_URL")).isEqualTo("jdbc:postgresql://postgres:5432/ledger_" + id);
            assertThat(env.get("SPRING_PROFILES_ACTIVE")).isEqualTo("postgres");
            assertThat(listAt(service, "volumes")).contains("replica-" + id + "-keys:" + keysMount + ":ro");
            assertThat(at(service, "depends_on", "keygen", "condition")).isEqualTo("service_completed_successfully");
            assertThat(at(service, "depends_on", "postgres", "condition")).isEqualTo("service_healthy");
        }
    }

    @Test
    void postgresRunsTheInitScriptThatCreatesEveryReplicasDatabase() {
        Map<String, Object> postgres = mapAt(resolved, "services", "postgres");
        assertThat(listAt(postgres, "volumes")).anySatisfy(v -> assertThat(String.valueOf(v))
                .endsWith("docker/postgres/init-databases.sh:/docker-entrypoint-initdb.d/10-init-databases.sh:ro"));
        // the health check waits for the last replica's database, which the init script creates last
        assertThat(listAt(postgres, "healthcheck", "test")).contains("ledger_" + (REPLICAS - 1));
    }

    /** `docker compose up` runs what it ran before; `--profile monitoring` adds Prometheus and Grafana. */
    @Test
    void prometheusAndGrafanaBelongToTheMonitoringProfileAndNothingElseDoes() throws Exception {
        Map<String, Object> services = mapAt(resolved, "services");
        assertThat(services).containsKeys(MONITORING_SERVICES.toArray(String[]::new));
        services.forEach((name, service) -> {
            if (MONITORING_SERVICES.contains(name)) {
                assertThat(listAt(asMap(service), "profiles")).as("profiles of %s", name).containsExactly("monitoring");
                assertThat(String.valueOf(asMap(service).get("image"))).as("image of %s", name).matches("[a-z/]+:v?[0-9]+\\.[0-9]+\\.[0-9]+");
            } else {
                assertThat(asMap(service)).as("%s runs without a profile", name).doesNotContainKey("profiles");
            }
        });
        Result withProfile = compose(PASSWORDS, "--profile", "monitoring", "config", "-q");
        assertThat(withProfile.exitCode()).as("docker-compose --profile monitoring config -q: %s", withProfile.output()).isZero();
    }

    /**
     * Prometheus loads the chart's rules file and scrapes every replica service's management port;
     * Grafana provisions its datasource (the Prometheus service) and the chart's dashboard directory;
     * all mounted read-only from the repository.
     */
    @Test
    void prometheusScrapesEveryReplicasManagementPortWithTheChartsRulesAndGrafanaShowsTheChartsDashboard() {
        Map<String, Object> services = mapAt(resolved, "services");
        Map<String, String> prometheusMounts = mounts(mapAt(services, "prometheus"));
        Map<String, Object> config = Yamls.load(MonitoringFiles.read(Path.of(prometheusMounts.get("/etc/prometheus/prometheus.yml"))));
        for (Object ruleFile : listAt(config, "rule_files")) {
            assertThat(prometheusMounts).as("rule file %s", ruleFile).containsKey(String.valueOf(ruleFile));
            assertThat(Path.of(prometheusMounts.get(String.valueOf(ruleFile))).toAbsolutePath().normalize())
                    .isEqualTo(MonitoringFiles.RULES.toAbsolutePath().normalize());
        }
        assertThat(listAt(config, "rule_files")).hasSize(1);
        Map<String, Object> job = asMap(listAt(config, "scrape_configs").get(0));
        assertThat(MonitoringFiles.jobMatchers()).isNotEmpty()
                .allSatisfy(matcher -> assertThat(String.valueOf(job.get("job_name"))).matches(matcher));
        List<String> replicaTargets = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            replicaTargets.add("replica-" + i + ":" + mapAt(services, "replica-" + i, "environment").get("MANAGEMENT_SERVER_PORT"));
        }
        assertThat(listAt(asMap(listAt(job, "static_configs").get(0)), "targets")).containsExactlyElementsOf(replicaTargets);
        assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
        assertThat(job).doesNotContainKey("scheme");

        Map<String, Object> grafana = mapAt(services, "grafana");
        Map<String, String> grafanaMounts = mounts(grafana);
        Path provisioning = Path.of(grafanaMounts.get("/etc/grafana/provisioning"));
        assertThat(provisioning.toAbsolutePath().normalize()).isEqualTo(MonitoringFiles.GRAFANA_PROVISIONING.toAbsolutePath().normalize());
        String dashboards = String.valueOf(at(asMap(listAt(Yamls.load(MonitoringFiles.read(
                provisioning.resolve("dashboards/pbft-ledger.yml"))), "providers").get(0)), "options", "path"));
        assertThat(Path.of(grafanaMounts.get(dashboards)).resolve(MonitoringFiles.DASHBOARD.getFileName()).toAbsolutePath().normalize())
                .isEqualTo(MonitoringFiles.DASHBOARD.toAbsolutePath().normalize());
        String datasourceUrl = String.valueOf(asMap(listAt(Yamls.load(MonitoringFiles.read(
                provisioning.resolve("datasources/prometheus.yml"))), "datasources").get(0)).get("url"));
        assertThat(URI.create(datasourceUrl).getHost()).isEqualTo("prometheus");
        assertThat(URI.create(datasourceUrl).getPort()).isEqualTo(9090);
        for (Map<String, Object> service : List.of(mapAt(services, "prometheus"), grafana)) {
            assertThat(listAt(service, "volumes")).allSatisfy(v -> assertThat(String.valueOf(v)).endsWith(":ro"));
        }
    }

    /** Grafana lets anyone who reaches it (127.0.0.1) view, and nobody log in: it has no password to default. */
    @Test
    void grafanaServesViewersWithoutAnAccountAndNoOneCanLogIn() {
        Map<String, Object> env = mapAt(resolved, "services", "grafana", "environment");
        assertThat(env).containsEntry("GF_AUTH_ANONYMOUS_ENABLED", "true").containsEntry("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer")
                .containsEntry("GF_AUTH_DISABLE_LOGIN_FORM", "true").containsEntry("GF_AUTH_BASIC_ENABLED", "false")
                .doesNotContainKey("GF_SECURITY_ADMIN_PASSWORD");
    }

    /** A service's bind mounts, container path to host path. */
    private static Map<String, String> mounts(Map<String, Object> service) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Object volume : listAt(service, "volumes")) {
            String[] parts = String.valueOf(volume).split(":");
            assertThat(parts).as("bind mount %s", volume).hasSizeGreaterThanOrEqualTo(2);
            out.put(parts[1], parts[0]);
        }
        return out;
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

    record Result(int exitCode, String output) {
    }

    /**
     * docker-compose with exactly these variables: none from the caller's environment, and an empty
     * env file instead of a .env that may lie in the working tree.
     */
    private static Result compose(Map<String, String> variables, String... args) throws IOException, InterruptedException {
        Path envFile = emptyDir.resolve("empty.env");
        if (!Files.exists(envFile)) {
            Files.writeString(envFile, "");
        }
        return compose(variables, envFile, args);
    }

    private static Result compose(Map<String, String> variables, Path envFile, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker-compose", "--env-file", envFile.toString(), "-f", COMPOSE_FILE.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("LEDGER_"));
        env.putAll(variables);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static Map<String, String> passwords() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        out.put("LEDGER_DB_ADMIN_PASSWORD", "admin-" + java.util.UUID.randomUUID());
        for (int i = 0; i < REPLICAS; i++) {
            out.put("LEDGER_DB_PASSWORD_" + i, "replica-" + i + "-" + java.util.UUID.randomUUID());
        }
        return Map.copyOf(out);
    }

    /** A published port as docker-compose config prints it: "ip:published:target/proto" or a mapping. */
    record Port(String hostIp, int published, int target) {
        static Port of(Object port) {
            if (port instanceof Map<?, ?> map) {
                Map<String, Object> m = asMap(map);
                return new Port(String.valueOf(m.getOrDefault("host_ip", "")), Integer.parseInt(String.valueOf(m.get("published"))),
                        Integer.parseInt(String.valueOf(m.get("target"))));
            }
            String text = String.valueOf(port).replaceFirst("/tcp$", "");
            String[] parts = text.split(":");
            if (parts.length == 3) {
                return new Port(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
            }
            if (parts.length == 2) {
                return new Port("", Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            }
            throw new AssertionError("cannot read the port " + port);
        }
    }
}
