package dev.parley.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The non-public address ranges a webhook target must not resolve to unless configuration allows
 * the class ({@code parley.webhooks.allow-private-targets}). {@link #UNROUTABLE} (unspecified,
 * multicast, broadcast, "this network") is never allowed.
 */
enum AddressClass {
    /** 127/8, ::1. */
    LOOPBACK,
    /** RFC 1918 (10/8, 172.16/12, 192.168/16) and unique local IPv6 (fc00::/7). */
    PRIVATE,
    /** 169.254/16 (cloud metadata services live here) and fe80::/10. */
    LINK_LOCAL,
    /** Carrier-grade NAT, 100.64/10 (RFC 6598). */
    SHARED,
    /** 0/8, ::, multicast, 255.255.255.255: never a receiver. */
    UNROUTABLE;

    /** The configuration name: {@code loopback}, {@code private}, {@code link-local}, {@code shared}. */
    String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Optional<AddressClass> ofWire(String wire) {
        return Arrays.stream(values()).filter(c -> c.wire().equals(wire.strip().toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    /** The class of a non-public address, or empty for a public one. */
    static Optional<AddressClass> of(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            // NAT64 (64:ff9b::/96) and IPv4-compatible (::/96) addresses reach the IPv4 address they embed.
            if (isNat64(b) || isV4Compatible(b)) {
                return ofV4(Arrays.copyOfRange(b, 12, 16));
            }
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return Optional.of(UNROUTABLE);
        }
        if (address.isLoopbackAddress()) {
            return Optional.of(LOOPBACK);
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of(LINK_LOCAL);
        }
        if (address instanceof Inet4Address) {
            return ofV4(address.getAddress());
        }
        byte[] b = address.getAddress();
        if ((b[0] & 0xfe) == 0xfc) {
            return Optional.of(PRIVATE);
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
            // fec0::/10, the deprecated site-local range: private in effect.
            return Optional.of(PRIVATE);
        }
        return Optional.empty();
    }

    private static Optional<AddressClass> ofV4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0 || first >= 224) {
            return Optional.of(UNROUTABLE);
        }
        if (first == 127) {
            return Optional.of(LOOPBACK);
        }
        if (first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168)) {
            return Optional.of(PRIVATE);
        }
        if (first == 169 && second == 254) {
            return Optional.of(LINK_LOCAL);
        }
        if (first == 100 && second >= 64 && second <= 127) {
            return Optional.of(SHARED);
        }
        return Optional.empty();
    }

    private static boolean isNat64(byte[] b) {
        return (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 12);
    }

    private static boolean isV4Compatible(byte[] b) {
        // ::/96 except :: and ::1 themselves (handled as unspecified and loopback).
        return allZero(b, 0, 12) && !(allZero(b, 12, 15) && (b[15] & 0xff) <= 1);
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
