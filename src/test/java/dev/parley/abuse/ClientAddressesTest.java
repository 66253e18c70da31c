package dev.parley.abuse;

import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpRequestWrapper;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClientAddressesTest {

    private static final ClientAddresses DIRECT = addresses();
    private static final ClientAddresses BEHIND_PROXIES = addresses("100.64.0.0/10", "192.0.2.10", "fd00::/8");

    @Test
    void withoutTrustedProxiesTheSocketAddressCountsAndForwardedForIsIgnored() {
        assertEquals("198.51.100.7", DIRECT.of(request("198.51.100.7", "203.0.113.1")));
        assertEquals("100.64.2.3", DIRECT.of(request("100.64.2.3", "203.0.113.1")));
    }

    @Test
    void aTrustedProxysForwardedForNamesTheClient() {
        assertEquals("203.0.113.1", BEHIND_PROXIES.of(request("100.64.2.3", "203.0.113.1")));
        assertEquals("203.0.113.1", BEHIND_PROXIES.of(request("192.0.2.10", "203.0.113.1, 100.64.9.9")));
    }

    @Test
    void aForgedForwardedForIsNotBelievedBeyondTheFirstUntrustedHop() {
        // The client put "1.1.1.1" in the header itself; the proxy appended the client's real address.
        assertEquals("203.0.113.1", BEHIND_PROXIES.of(request("100.64.2.3", "1.1.1.1, 203.0.113.1")));
        // A header from an untrusted peer is ignored entirely.
        assertEquals("198.51.100.7", BEHIND_PROXIES.of(request("198.51.100.7", "100.64.0.1")));
    }

    @Test
    void garbageInForwardedForFallsBackToTheHopThatPassedItOn() {
        assertEquals("100.64.2.3", BEHIND_PROXIES.of(request("100.64.2.3", "example.com")));
        assertEquals("100.64.9.9", BEHIND_PROXIES.of(request("100.64.2.3", "not-an-ip, 100.64.9.9")));
        assertEquals("100.64.2.3", BEHIND_PROXIES.of(request("100.64.2.3", "1")));
        assertEquals("100.64.2.3", BEHIND_PROXIES.of(request("100.64.2.3", "")));
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64AndMappedIpv4AsIpv4() {
        assertEquals("2001:db8:1:2:0:0:0:0/64", DIRECT.of(request("2001:db8:1:2:aaaa::1", null)));
        assertEquals("2001:db8:1:2:0:0:0:0/64", BEHIND_PROXIES.of(request("fd00::1", "[2001:db8:1:2::ffff]")));
        assertEquals("203.0.113.9", DIRECT.of(request("::ffff:203.0.113.9", null)));
    }

    @Test
    void trustedProxiesMustBeAddressesOrRanges() {
        assertThrows(ConfigurationException.class, () -> addresses("proxy.example.com"));
        assertThrows(ConfigurationException.class, () -> addresses("100.64.0.0/33"));
        assertThrows(ConfigurationException.class, () -> addresses("100.64.0.0/x"));
    }

    private static ClientAddresses addresses(String... trusted) {
        return new ClientAddresses(new RateLimitConfig(true, List.of(trusted), true));
    }

    private static HttpRequest<?> request(String peer, String forwardedFor) {
        var base = HttpRequest.GET("/api/auth/login");
        if (forwardedFor != null) {
            base.header("X-Forwarded-For", forwardedFor);
        }
        return new HttpRequestWrapper<>(base) {
            @Override
            public InetSocketAddress getRemoteAddress() {
                return new InetSocketAddress(ClientAddresses.literal(peer).orElseThrow(), 40_000);
            }
        };
    }
}
