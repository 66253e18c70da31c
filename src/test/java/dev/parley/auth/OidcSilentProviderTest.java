package dev.parley.auth;

import com.nimbusds.jose.jwk.RSAKey;
import dev.parley.support.Api;
import dev.parley.support.ApiTest;
import dev.parley.support.FakeIdentityProvider;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An identity provider whose key endpoint accepts the connection and never answers: its tokens are
 * refused after {@code parley.oidc.jwks-timeout}, instead of every sign-in hanging with the fetch.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcSilentProviderTest extends ApiTest implements TestPropertyProvider {

    private final FakeIdentityProvider idp = new FakeIdentityProvider(18610, 18699);
    private final RSAKey rsa = idp.rsaKey(true);
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final ServerSocket silent = silentServer();

    @Override
    public Map<String, String> getProperties() {
        return Map.of("parley.oidc.issuer", idp.issuer(),
                "parley.oidc.audience", FakeIdentityProvider.AUDIENCE,
                "parley.oidc.jwks-timeout", "1s",
                "micronaut.security.token.jwt.signatures.jwks.oidc.url",
                "http://127.0.0.1:" + silent.getLocalPort() + "/jwks.json");
    }

    @AfterAll
    void stop() throws IOException {
        idp.close();
        silent.close();
        for (Socket socket : held) {
            socket.close();
        }
    }

    @Test
    void aProviderThatNeverAnswersGetsItsTokensRefusedNotHung() {
        String token = idp.sign(rsa, idp.claims("sub-" + Api.unique("silent")).build());
        // The bound only stops a hang from hanging the suite; the fetch gives up after 1 s.
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> api.get("/api/me", token).expectProblem(401));
        assertTrue(!held.isEmpty(), "the key endpoint was never asked");
        // Local accounts are not affected.
        api.get("/api/me", api.register("local").token()).expect(200);
    }

    private ServerSocket silentServer() {
        try {
            ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "silent-jwks");
            acceptor.setDaemon(true);
            acceptor.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
