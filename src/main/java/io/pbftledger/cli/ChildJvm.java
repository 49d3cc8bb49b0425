package io.pbftledger.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;

/**
 * The command line that runs this CLI again in a new JVM: {@code java -jar <jar>} when running
 * from the Spring Boot executable jar (its classes are nested and need the jar's launcher), else
 * {@code java -cp <class path> io.pbftledger.cli.PbftLedgerCli}.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    static List<String> command(List<String> jvmOptions, List<String> cliArgs) {
        return command(System.getProperty("java.home"), System.getProperty("java.class.path"), jvmOptions, cliArgs);
    }

    static List<String> command(String javaHome, String classPath, List<String> jvmOptions, List<String> cliArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(javaHome, "bin", "java").toString());
        command.addAll(jvmOptions);
        Optional<Path> jar = bootJar(classPath);
        if (jar.isPresent()) {
            command.add("-jar");
            command.add(jar.get().toString());
        } else {
            command.add("-cp");
            command.add(classPath);
            command.add(PbftLedgerCli.class.getName());
        }
        command.addAll(cliArgs);
        return command;
    }

    /** How a user runs this CLI, for hints printed to them. */
    static String invocation() {
        return bootJar(System.getProperty("java.class.path"))
                .map(jar -> "java -jar " + jar)
                .orElse("pbft-ledger");
    }

    /** The executable jar when the class path is exactly one jar with a Spring Boot Start-Class. */
    static Optional<Path> bootJar(String classPath) {
        if (classPath == null || classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            return Optional.empty();
        }
        Path jar = Path.of(classPath).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            boolean boot = file.getManifest() != null && file.getManifest().getMainAttributes().getValue("Start-Class") != null;
            return boot ? Optional.of(jar) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
