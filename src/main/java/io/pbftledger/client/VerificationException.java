package io.pbftledger.client;

/**
 * A replica's answer failed verification against the membership keys: a tampered or incomplete proof,
 * or a signed statement that does not verify. The answer must not be believed.
 */
public final class VerificationException extends LedgerClientException {

    public VerificationException(String message) {
        super(message);
    }
}
