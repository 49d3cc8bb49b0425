package io.pbftledger.cli;

import picocli.CommandLine.Command;

/** {@code client}: signs and submits transactions as one client identity. */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "Signs transactions with a client key file and submits them; reads committed data with verified proofs.",
        subcommands = {ClientSignCommand.class, ClientSubmitCommand.class, ClientGetCommand.class})
final class ClientCommand {
}
