package dev.parley.auth;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Ordered roles: each has the rights of those before it. */
public enum Role {
    MEMBER, MODERATOR, ADMIN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    /** This role and every role below it, as JWT and login responses list them. */
    public List<String> effectiveRoles() {
        return Arrays.stream(values()).filter(this::atLeast).map(Role::wire).toList();
    }

    public static Optional<Role> fromWire(String value) {
        return Arrays.stream(values()).filter(r -> r.wire().equals(value)).findFirst();
    }
}
