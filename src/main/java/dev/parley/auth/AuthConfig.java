package dev.parley.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * Authentication settings ({@code parley.auth.*} in application.yml, overridable by environment).
 *
 * @param jwtSecret         HS256 signing secret, at least 32 bytes; generated per process when blank
 * @param tokenTtl          lifetime of an access token
 * @param refreshTokenTtl   lifetime of a refresh token; each rotation issues a new one with a full lifetime
 * @param adminUsername     bootstrap admin created at start-up when both username and password are set
 * @param adminPassword     the bootstrap admin's password
 * @param argon2MemoryKib   Argon2id memory cost
 * @param argon2Iterations  Argon2id passes
 */
@ConfigurationProperties("parley.auth")
public record AuthConfig(@Nullable String jwtSecret,
                         Duration tokenTtl,
                         Duration refreshTokenTtl,
                         @Nullable String adminUsername,
                         @Nullable String adminPassword,
                         int argon2MemoryKib,
                         int argon2Iterations) {
}
