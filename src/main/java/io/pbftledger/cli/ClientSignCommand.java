package io.pbftledger.cli;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Transaction;
import io.pbftledger.config.KeyFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code client sign}: prints a signed transaction as the JSON body the REST API accepts. */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = {"Prints the signed transaction JSON (the body of POST /api/v1/transactions) on stdout",
                "and its txId on stderr, so stdout can be piped to curl -d @-."})
final class ClientSignCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--identity", paramLabel = "FILE", required = true, description = "Client key file (clients/client-<j>.key).")
    private Path identity;

    @Option(names = "--nonce", paramLabel = "N", required = true, description = "Nonce, 0..2^53-1, unique per client.")
    private long nonce;

    @Option(names = "--key", paramLabel = "K", description = "State key the transaction writes ([A-Za-z0-9._:-]{1,256}); none if omitted.")
    private String key;

    @Option(names = "--payload", paramLabel = "JSON", required = true, description = "Payload, any JSON value, e.g. '{\"hello\":\"world\"}'.")
    private String payload;

    @Override
    public Integer call() {
        ClientIdentity client = KeyFiles.loadClientIdentity(identity);
        Transaction tx = client.sign(nonce, key, payload);
        spec.commandLine().getOut().println(TransactionJson.body(tx));
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().println("txId: " + tx.txId().hex());
        spec.commandLine().getErr().flush();
        return 0;
    }
}
