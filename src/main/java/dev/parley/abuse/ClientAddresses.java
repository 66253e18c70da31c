package dev.parley.abuse;

import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The client address that per-address limits count against. It is the socket's remote address,
 * unless that is a configured trusted proxy ({@code parley.limits.rate.trusted-proxies}): then
 * {@code X-Forwarded-For} is read from the right, skipping trusted proxies, and the first address
 * that is not one is the client. A client cannot pick its own address by sending the header: it
 * is only read from a trusted proxy, and only the hops that trusted proxies appended are believed.
 * <p>
 * IPv6 clients are counted per /64 network, because one subscriber usually holds a whole /64 and
 * could otherwise change address at every attempt.
 */
@Singleton
public class ClientAddresses {

    private final List<Network> trusted;

    ClientAddresses(RateLimitConfig config) {
        this.trusted = config.trustedProxiesOrEmpty().stream().map(Network::parse).toList();
    }

    /** The key of the request's client, e.g. {@code 203.0.113.7} or {@code 2001:db8:1:2::/64}. */
    public String of(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        InetAddress peer = remote == null ? null : remote.getAddress();
        if (peer == null) {
            return "unknown";
        }
        InetAddress client = peer;
        if (isTrusted(peer)) {
            List<String> hops = new ArrayList<>();
            for (String header : request.getHeaders().getAll("X-Forwarded-For")) {
                hops.addAll(Arrays.asList(header.split(",")));
            }
            for (int i = hops.size() - 1; i >= 0; i--) {
                Optional<InetAddress> hop = literal(hops.get(i).strip());
                if (hop.isEmpty()) {
                    break;   // garbage from beyond the last trusted hop: count the hop that passed it on
                }
                client = hop.get();
                if (!isTrusted(client)) {
                    break;
                }
            }
        }
        return key(client);
    }

    private boolean isTrusted(InetAddress address) {
        return trusted.stream().anyMatch(network -> network.contains(address));
    }

    static String key(InetAddress address) {
        InetAddress plain = unmapped(address);
        if (plain instanceof Inet6Address) {
            byte[] bytes = plain.getAddress();
            Arrays.fill(bytes, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return plain.getHostAddress();
    }

    /** ::ffff:a.b.c.d is the IPv4 client a.b.c.d. */
    private static InetAddress unmapped(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 16) {
            boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = bytes[i] == 0;
            }
            if (mapped) {
                try {
                    return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return address;
    }

    /**
     * An IP literal, never a host name: {@link InetAddress#getByName} would look a name up in DNS,
     * and a header value must not make the service do that.
     */
    static Optional<InetAddress> literal(String text) {
        String candidate = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (candidate.isEmpty() || candidate.length() > 45 || !candidate.chars().allMatch(
                c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            return Optional.empty();
        }
        if (!candidate.contains(":") && !candidate.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return Optional.empty();   // "1" or "1.2" would be read as shorthand IPv4 forms
        }
        try {
            return Optional.of(InetAddress.getByName(candidate));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** An address range in CIDR notation; a bare address is a range of one. */
    record Network(byte[] base, int prefix) {

        static Network parse(String text) {
            String[] parts = text.strip().split("/", 2);
            InetAddress address = literal(parts[0])
                    .orElseThrow(() -> new ConfigurationException("trusted proxy is not an IP address or CIDR range: " + text));
            byte[] bytes = unmapped(address).getAddress();
            int prefix = bytes.length * 8;
            if (parts.length == 2) {
                try {
                    prefix = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new ConfigurationException("bad prefix length in trusted proxy " + text);
                }
            }
            return new Network(bytes, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = unmapped(address).getAddress();
            if (bytes.length != base.length) {
                return false;
            }
            int fullBytes = prefix / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (bytes[i] != base[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (bytes[fullBytes] & mask) == (base[fullBytes] & mask);
        }
    }
}
