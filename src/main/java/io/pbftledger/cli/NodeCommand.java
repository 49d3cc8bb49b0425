package io.pbftledger.cli;

import io.pbftledger.PbftLedgerApplication;
import io.pbftledger.config.StartupCheckListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code node --config FILE [--spring.property=value ...]}: runs one replica until it is stopped.
 * The yml file is an additional Spring config location; remaining arguments are Spring
 * command-line properties and override it.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Runs one replica with the Spring properties in --config (e.g. keys/replicas/replica-0.yml).",
                "Further arguments of the form --name=value are Spring properties that override the file, e.g. --server.port=9000."})
final class NodeCommand implements Callable<Integer> {
    private static final Pattern SPRING_ARG = Pattern.compile("--[A-Za-z0-9][A-Za-z0-9._\\[\\]-]*=.*", Pattern.DOTALL);

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", required = true, description = "The replica's yml file (Spring properties).")
    private Path config;

    @Unmatched
    private List<String> springArgs = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        Path file = checkedConfig(config);
        List<String> args = springArgs(file, springArgs);
        SpringApplication app = new SpringApplication(PbftLedgerApplication.class);
        app.addListeners(new NodeConfigPaths(file), new StartupCheckListener());
        ConfigurableApplicationContext context;
        try {
            context = app.run(args.toArray(String[]::new));
        } catch (RuntimeException e) {
            // Spring Boot has already reported it (a failure analysis or the stack trace); a second copy would only add noise
            return CliErrors.EXIT_FAILURE;
        }
        awaitClose(context);
        return 0;
    }

    static Path checkedConfig(Path config) {
        Path file = config.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new CliException("--config " + config + ": file not found");
        }
        if (!Files.isReadable(file)) {
            throw new CliException("--config " + config + ": permission denied");
        }
        return file;
    }

    /** The Spring arguments: the config location first, then the user's overrides, each checked to be --name=value. */
    static List<String> springArgs(Path configFile, List<String> overrides) {
        List<String> args = new ArrayList<>();
        args.add("--spring.config.additional-location=file:" + configFile);
        for (String arg : overrides) {
            if (!SPRING_ARG.matcher(arg).matches()) {
                throw new CliException("unexpected argument '" + arg + "': Spring properties take the form --name=value", CliErrors.EXIT_USAGE);
            }
            args.add(arg);
        }
        return args;
    }

    /** Blocks until the context closes (Ctrl-C runs Spring's shutdown hook, which closes it). */
    private static void awaitClose(ConfigurableApplicationContext context) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        context.addApplicationListener((ApplicationListener<ContextClosedEvent>) event -> closed.countDown());
        if (!context.isActive()) {
            return;
        }
        closed.await();
    }
}
