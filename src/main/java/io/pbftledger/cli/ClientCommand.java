package io.pbftledger.cli;

import picocli.CommandLine.Command;

/** {@code client}: signs and submits transactions as one client identity. */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "Signs transactions with a client key file and submits them to a replica.",
        subcommands = {ClientSignCommand.class, ClientSubmitCommand.class})
final class ClientCommand {
}
