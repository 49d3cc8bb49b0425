package io.pbftledger.cli;

import picocli.CommandLine;

/** {@code --version}: the jar's Implementation-Version (set by the Maven build), or "dev" from a class directory. */
final class CliVersion implements CommandLine.IVersionProvider {

    static String version() {
        String version = PbftLedgerCli.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"pbft-ledger " + version(), "Java " + Runtime.version()};
    }
}
