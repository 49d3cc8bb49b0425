package io.pbftledger.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/** The replicas' base URLs, from host and base port or from a template such as {@code http://ledger-{i}.ledger:8080}. */
final class ReplicaUrls {
    static final String PLACEHOLDER = "{i}";

    private ReplicaUrls() {
    }

    static List<String> fromHost(String host, int basePort, int replicas) {
        if (basePort < 1 || basePort + replicas - 1 > 65_535) {
            throw new CliException("--base-port " + basePort + " leaves no room for " + replicas + " ports below 65536", CliErrors.EXIT_USAGE);
        }
        List<String> urls = new ArrayList<>(replicas);
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        for (int i = 0; i < replicas; i++) {
            urls.add(checked("--host", "http://" + hostPart + ":" + (basePort + i)));
        }
        return urls;
    }

    static List<String> fromTemplate(String template, int replicas) {
        if (!template.contains(PLACEHOLDER)) {
            throw new CliException("--url-template must contain " + PLACEHOLDER + " (the replica id), got '" + template + "'", CliErrors.EXIT_USAGE);
        }
        List<String> urls = new ArrayList<>(replicas);
        for (int i = 0; i < replicas; i++) {
            urls.add(checked("--url-template", template.replace(PLACEHOLDER, Integer.toString(i))));
        }
        return urls;
    }

    /** The port a replica listens on for {@code url}: the explicit port, else the scheme's default. */
    static int port(String url) {
        URI uri = URI.create(url);
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private static String checked(String option, String url) {
        try {
            URI uri = new URI(url);
            boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty();
            if (!http || uri.getHost() == null || !bare || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new CliException(option + " gives '" + url + "', which is not an http(s) base URL such as http://host:8080",
                        CliErrors.EXIT_USAGE);
            }
            return url;
        } catch (URISyntaxException e) {
            throw new CliException(option + " gives '" + url + "', which is not a valid URL", CliErrors.EXIT_USAGE);
        }
    }
}
