package dev.parley.auth;

import dev.parley.common.LowercaseEnumConverter;
import jakarta.inject.Singleton;

/** Stores a role as its lowercase wire name, the values the {@code users.role} check allows. */
@Singleton
class RoleConverter extends LowercaseEnumConverter<Role> {

    RoleConverter() {
        super(Role.class);
    }
}
