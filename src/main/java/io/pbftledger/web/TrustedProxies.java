package io.pbftledger.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The proxies ({@code ledger.api.trusted-proxies}, addresses or CIDR ranges) whose
 * {@code X-Forwarded-For} this replica believes. A request's client address is its TCP peer's,
 * unless that peer is a trusted proxy: then the forwarded addresses are read from the right (the
 * one the nearest proxy appended) and the first that is not a trusted proxy is the client. Anyone
 * can write the header, so entries left of that one, and the header of a peer that is not trusted,
 * are never read. Addresses are parsed as literals only (never looked up by name).
 */
public final class TrustedProxies {
    public static final String FORWARDED_FOR = "X-Forwarded-For";
    /** Most forwarded addresses read from one request: a longer proxy chain is not a deployment. */
    static final int MAX_HOPS = 32;
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    private record Range(byte[] network, int prefixBits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = Collections.unmodifiableList(ranges);
    }

    /** Parses {@code ledger.api.trusted-proxies}; throws IllegalArgumentException naming a bad entry. */
    public static TrustedProxies of(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : entries == null ? List.<String>of() : entries) {
            ranges.add(range(entry == null ? "" : entry.strip()));
        }
        return new TrustedProxies(ranges);
    }

    private static Range range(String entry) {
        int slash = entry.indexOf('/');
        String host = slash < 0 ? entry : entry.substring(0, slash);
        Optional<byte[]> address = literal(host);
        if (address.isEmpty()) {
            throw bad(entry);
        }
        int bits = address.get().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw bad(entry);
            }
            if (prefix < 0 || prefix > bits) {
                throw bad(entry);
            }
        }
        return new Range(address.get(), prefix);
    }

    private static IllegalArgumentException bad(String entry) {
        return new IllegalArgumentException("ledger.api.trusted-proxies: '" + entry + "' is not an IP address or a "
                + "CIDR range (e.g. 10.0.0.0/8, 192.168.1.10, 2001:db8::/32)");
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    boolean trusted(byte[] address) {
        for (Range r : ranges) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The address {@code request} is from: its TCP peer's, or the client a trusted proxy forwarded it for. */
    public String clientAddress(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        if (ranges.isEmpty()) {
            return peer;
        }
        Optional<byte[]> peerAddress = literal(peer);
        if (peerAddress.isEmpty() || !trusted(peerAddress.get())) {
            return peer;
        }
        List<String> hops = forwarded(request);
        String client = peer;
        for (int i = hops.size() - 1; i >= 0 && i >= hops.size() - MAX_HOPS; i--) {
            String hop = withoutPort(hops.get(i));
            Optional<byte[]> address = literal(hop);
            if (address.isEmpty()) {
                // A proxy we trust wrote something that is no address: believe nothing further left.
                return client;
            }
            client = canonical(hop, address.get());
            if (!trusted(address.get())) {
                return client;
            }
        }
        return client;
    }

    /** The X-Forwarded-For entries in order, over all the request's headers of that name. */
    private static List<String> forwarded(HttpServletRequest request) {
        List<String> hops = new ArrayList<>();
        var headers = request.getHeaders(FORWARDED_FOR);
        while (headers != null && headers.hasMoreElements()) {
            for (String part : headers.nextElement().split(",")) {
                if (!part.isBlank()) {
                    hops.add(part.strip());
                }
            }
        }
        return hops;
    }

    /** {@code [2001:db8::1]:443} and {@code 192.0.2.1:8080} without the port (and brackets). */
    private static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(1, end);
        }
        int colon = hop.indexOf(':');
        return colon >= 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }

    private static String canonical(String text, byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            return text.toLowerCase(Locale.ROOT);
        }
    }

    /** The bytes of an IPv4 or IPv6 literal (4 or 16; IPv4-mapped IPv6 as 4), or empty; never a name lookup. */
    static Optional<byte[]> literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return Optional.empty();
        }
        var v4 = IPV4.matcher(text);
        if (v4.matches()) {
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) {
                    return Optional.empty();
                }
                out[i] = (byte) octet;
            }
            return Optional.of(out);
        }
        // Only hex digits, ':' and '.', and a ':' in it: InetAddress parses it as an IPv6 literal and never resolves it.
        if (text.indexOf(':') < 0 || !IPV6.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
