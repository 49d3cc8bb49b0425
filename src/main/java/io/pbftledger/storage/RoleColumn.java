package io.pbftledger.storage;

import io.pbftledger.chain.Role;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Roles in one column: comma-separated labels in enum order, e.g. {@code submit,read}. */
final class RoleColumn {
    private RoleColumn() {
    }

    static String format(Set<Role> roles) {
        return EnumSet.copyOf(roles).stream().map(Role::label).collect(Collectors.joining(","));
    }

    static Set<Role> parse(String column) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        if (!column.isEmpty()) {
            for (String label : column.split(",")) {
                roles.add(Role.parse(label));
            }
        }
        return roles;
    }
}
