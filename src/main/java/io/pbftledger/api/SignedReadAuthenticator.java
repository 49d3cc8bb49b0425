package io.pbftledger.api;

import static io.pbftledger.chain.ReadRequestSignature.CLIENT_HEADER;
import static io.pbftledger.chain.ReadRequestSignature.SIGNATURE_HEADER;
import static io.pbftledger.chain.ReadRequestSignature.TIMESTAMP_HEADER;

import io.pbftledger.chain.ClientEntry;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.ReadRequestSignature;
import io.pbftledger.chain.UnknownClientException;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.node.ClientRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Base64;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The signed-request scheme of {@link ReadRequestSignature}: the client's current key must have
 * signed this method, path, query and a timestamp within {@code skewMs} of this replica's clock.
 * The window bounds replays: a captured request can be sent again only within it, and only for
 * the same read.
 */
public final class SignedReadAuthenticator implements ReadAuthenticator {
    private final ClientRegistry clients;
    private final LongSupplier clockMillis;
    private final long skewMs;

    public SignedReadAuthenticator(ClientRegistry clients, LongSupplier clockMillis, long skewMs) {
        this.clients = clients;
        this.clockMillis = clockMillis;
        this.skewMs = skewMs;
    }

    @Override
    public Optional<ClientEntry> authenticate(HttpServletRequest request) {
        String clientId = request.getHeader(CLIENT_HEADER);
        String timestamp = request.getHeader(TIMESTAMP_HEADER);
        String signature = request.getHeader(SIGNATURE_HEADER);
        if (clientId == null && timestamp == null && signature == null) {
            return Optional.empty();
        }
        if (clientId == null || timestamp == null || signature == null) {
            throw unauthorized("a signed read needs all of " + CLIENT_HEADER + ", " + TIMESTAMP_HEADER + " and "
                    + SIGNATURE_HEADER);
        }
        long timestampMs = timestamp(timestamp);
        long offMs = Math.abs(clockMillis.getAsLong() - timestampMs);
        if (offMs > skewMs) {
            throw unauthorized(TIMESTAMP_HEADER + " is " + offMs + " ms away from this replica's clock; at most "
                    + skewMs + " ms is accepted (ledger.api.read-timestamp-skew-ms)");
        }
        byte[] sig = signature(signature);
        ClientMembership membership = clients.current();
        ClientEntry client = membership.client(clientId).orElseThrow(() -> UnknownClientException.notAMember(clientId));
        String target = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        if (!ReadRequestSignature.verify(client.publicKey(), membership.chainId(), request.getMethod(), target,
                timestampMs, sig)) {
            throw unauthorized(SIGNATURE_HEADER + " does not verify with the key of client '" + clientId + "' over "
                    + ReadRequestSignature.DOMAIN + ", chain " + membership.chainId() + ", " + request.getMethod()
                    + " " + target + ", timestamp " + timestampMs);
        }
        return Optional.of(client);
    }

    private static long timestamp(String header) {
        try {
            return Long.parseLong(header);
        } catch (NumberFormatException e) {
            throw unauthorized(TIMESTAMP_HEADER + " must be unix time in milliseconds, got '" + abbreviate(header) + "'");
        }
    }

    private static byte[] signature(String header) {
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(header);
        } catch (IllegalArgumentException e) {
            throw unauthorized(SIGNATURE_HEADER + " is not base64");
        }
        if (sig.length != Ed25519.SIGNATURE_BYTES) {
            throw unauthorized(SIGNATURE_HEADER + " must be a 64-byte Ed25519 signature, got " + sig.length + " bytes");
        }
        return sig;
    }

    private static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "...";
    }

    private static LedgerException unauthorized(String detail) {
        return new LedgerException(ErrorKind.BAD_SIGNATURE, detail);
    }
}
