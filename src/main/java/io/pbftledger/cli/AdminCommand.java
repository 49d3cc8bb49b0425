package io.pbftledger.cli;

import picocli.CommandLine.Command;

/** {@code admin}: changes that an admin client makes to the ledger itself. */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Changes an admin client makes to the ledger itself, as ordinary signed transactions.",
        subcommands = {AdminReplicasCommand.class})
final class AdminCommand {
}
