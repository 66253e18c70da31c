package dev.parley.auth;

import io.micronaut.core.convert.ConversionContext;
import io.micronaut.data.model.runtime.convert.AttributeConverter;
import jakarta.inject.Singleton;

/** Stores a role as its lowercase wire name, the values the {@code users.role} check allows. */
@Singleton
class RoleConverter implements AttributeConverter<Role, String> {

    @Override
    public String convertToPersistedValue(Role role, ConversionContext context) {
        return role == null ? null : role.wire();
    }

    @Override
    public Role convertToEntityValue(String stored, ConversionContext context) {
        return stored == null ? null
                : Role.fromWire(stored).orElseThrow(() -> new IllegalStateException("unknown role " + stored));
    }
}
