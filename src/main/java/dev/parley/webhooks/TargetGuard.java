package dev.parley.webhooks;

import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The guard against server-side request forgery: a webhook URL must be http or https and its host
 * must resolve only to public addresses, unless configuration allows a class of private ones. Checked
 * when an endpoint is registered or changed and again before every attempt, after a fresh DNS
 * lookup, since a name can be pointed elsewhere after registration.
 */
@Singleton
class TargetGuard {

    static final int MAX_URL_LENGTH = 2000;

    /** The target may not be called; the message says why, without echoing more than the host. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A URL that is not an absolute http(s) URL the guard can check. */
    static final class Malformed extends Exception {
        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    private final Set<AddressClass> allowed;

    TargetGuard(WebhooksConfig config) {
        Set<AddressClass> classes = EnumSet.noneOf(AddressClass.class);
        for (String name : config.allowPrivateTargets()) {
            if (name.isBlank()) {
                continue;
            }
            AddressClass addressClass = AddressClass.ofWire(name).filter(c -> c != AddressClass.UNROUTABLE)
                    .orElseThrow(() -> new IllegalArgumentException("parley.webhooks.allow-private-targets: unknown "
                            + "address class '" + name + "' (loopback, private, link-local or shared)"));
            classes.add(addressClass);
        }
        this.allowed = Set.copyOf(classes);
    }

    /** Parses a webhook URL: absolute, http or https, with a host, without user info or fragment. */
    URI parse(String url) throws Malformed {
        if (url == null || url.isBlank()) {
            throw new Malformed("is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw new Malformed("must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new Malformed("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Malformed("must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new Malformed("must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Malformed("must not carry user info; use the signature to authenticate deliveries");
        }
        if (uri.getRawFragment() != null) {
            throw new Malformed("must not have a fragment");
        }
        return uri;
    }

    /**
     * Resolves the URL's host now and returns its addresses, or refuses it when any of them is not
     * public (and its class not allowed) or the host does not resolve.
     */
    List<InetAddress> check(URI uri) throws Refused {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Refused("the host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<AddressClass> addressClass = AddressClass.of(address);
            if (addressClass.isPresent() && !allowed.contains(addressClass.get())) {
                String where = address.getHostAddress().equals(host) ? host
                        : "the host " + host + " resolves to " + address.getHostAddress() + ", which";
                throw new Refused(where + " is a " + addressClass.get().wire()
                        + " address; webhooks go to public addresses only");
            }
        }
        return List.of(addresses);
    }
}
