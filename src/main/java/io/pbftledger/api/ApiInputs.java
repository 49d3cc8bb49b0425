package io.pbftledger.api;

import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.Digest;
import java.util.regex.Pattern;

/** Checks of path and query values that Spring's type conversion does not cover. */
final class ApiInputs {
    private static final Pattern HEX_64 = Pattern.compile("[0-9a-fA-F]{64}");

    private ApiInputs() {
    }

    /** A 32-byte digest given as 64 hex characters (txId, block hash). */
    static Digest digest(String name, String hex) {
        if (hex == null || !HEX_64.matcher(hex).matches()) {
            throw LedgerException.invalid(name + " must be 64 hexadecimal characters, got '" + abbreviate(hex) + "'");
        }
        return Digest.fromHex(hex);
    }

    static long height(String name, long height) {
        if (height < 0) {
            throw LedgerException.invalid(name + " must be 0 or more, got " + height);
        }
        return height;
    }

    static String stateKey(String key) {
        if (!Transaction.KEY_PATTERN.matcher(key).matches()) {
            throw LedgerException.invalid("key must match " + Transaction.KEY_PATTERN.pattern());
        }
        return key;
    }

    /** Keeps echoed input short, so a detail stays one readable line. */
    static String abbreviate(String value) {
        if (value == null) {
            return "";
        }
        String oneLine = value.replaceAll("[\\r\\n\\t]", " ");
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }
}
