package dev.parley.auth;

import io.micronaut.core.annotation.Nullable;

/**
 * Who an identity provider's verified access token says the caller is: the stable pair
 * (issuer, subject), and the mapped claims that shape the account when Parley first sees it.
 */
record ExternalIdentity(String issuer, String subject, @Nullable String username, @Nullable String email,
                        Role role) {

    /** The attribute of the {@code Authentication} that carries it. */
    static final String ATTRIBUTE = "parley.external-identity";
}
