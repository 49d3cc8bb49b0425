package io.pbftledger.chain;

import java.util.Locale;

/** What a client may do. */
public enum Role {
    SUBMIT, READ, ADMIN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String label) {
        for (Role r : values()) {
            if (r.label().equals(label)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + label + "' (expected submit, read or admin)");
    }
}
