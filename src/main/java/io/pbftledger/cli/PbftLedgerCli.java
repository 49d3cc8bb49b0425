package io.pbftledger.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the jar: {@code keygen}, {@code node}, {@code demo}, {@code client}, {@code bench}
 * and {@code verify}. Every bad input ends with one line on stderr and
 * a non-zero exit code: 1 for a failure, 2 for bad usage.
 */
@Command(name = "pbft-ledger", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
        description = "A permissioned ledger ordered by PBFT (Castro and Liskov).",
        subcommands = {KeygenCommand.class, NodeCommand.class, DemoCommand.class, ClientCommand.class, AdminCommand.class,
                BenchCommand.class, VerifyCommand.class})
public final class PbftLedgerCli {

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The command tree with this CLI's one-line error handling; tests execute it without exiting. */
    public static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new PbftLedgerCli());
        commandLine.setParameterExceptionHandler(CliErrors::onBadUsage);
        commandLine.setExecutionExceptionHandler(CliErrors::onFailure);
        return commandLine;
    }
}
