package io.pbftledger.cli;

/** Entry point of the jar (placeholder until the picocli commands land). */
public final class PbftLedgerCli {
    private PbftLedgerCli() {
    }

    public static void main(String[] args) {
        System.out.println("pbft-ledger");
    }
}
