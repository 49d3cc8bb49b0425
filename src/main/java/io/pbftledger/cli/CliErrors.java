package io.pbftledger.cli;

import io.pbftledger.chain.LedgerException;
import io.pbftledger.config.MembershipFileException;
import io.pbftledger.config.StartupCheckException;
import picocli.CommandLine;

/** Turns every error into one line on stderr, {@code <command>: <problem>}, and an exit code. */
final class CliErrors {
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    private CliErrors() {
    }

    static int onBadUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        String name = commandLine.getCommandSpec().qualifiedName();
        commandLine.getErr().println(name + ": " + oneLine(e.getMessage()) + " (see '" + name + " --help')");
        commandLine.getErr().flush();
        return EXIT_USAGE;
    }

    static int onFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + oneLine(message(e)));
        commandLine.getErr().flush();
        return e instanceof CliException c ? c.exitCode() : EXIT_FAILURE;
    }

    private static String message(Exception e) {
        boolean known = e instanceof CliException || e instanceof MembershipFileException
                || e instanceof StartupCheckException || e instanceof LedgerException || e instanceof IllegalArgumentException;
        if (known && e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    static String oneLine(String message) {
        if (message == null) {
            return "failed";
        }
        String trimmed = message.strip();
        int nl = trimmed.indexOf('\n');
        return (nl < 0 ? trimmed : trimmed.substring(0, nl)).strip();
    }
}
