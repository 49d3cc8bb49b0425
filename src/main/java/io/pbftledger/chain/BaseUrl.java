package io.pbftledger.chain;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A replica's base URL: http or https, a host, an optional port, and nothing else (no path, query,
 * fragment or user info). One trailing slash is dropped, so two spellings of one URL are one URL. The
 * membership file and replica-set changes read URLs the same way.
 */
public final class BaseUrl {
    private BaseUrl() {
    }

    /** The URL without a trailing slash; IllegalArgumentException naming what is wrong otherwise. */
    public static String normalize(String url) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL: '" + url + "'", e);
        }
        boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        if (!http || uri.getHost() == null || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must be an http(s) base URL such as http://10.0.0.1:8080, got '" + url + "'");
        }
        return trimmed;
    }
}
