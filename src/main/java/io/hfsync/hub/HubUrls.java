package io.hfsync.hub;

import java.net.URI;

/** Where Hub requests may go: only the scheme, host and port of {@code hub.url}, the one place the token may go. */
public final class HubUrls {

    private HubUrls() {
    }

    public static boolean sameOrigin(String hubUrl, String url) {
        URI hub = URI.create(hubUrl);
        URI other = URI.create(url);
        return hub.getScheme().equalsIgnoreCase(String.valueOf(other.getScheme()))
                && hub.getHost().equalsIgnoreCase(String.valueOf(other.getHost()))
                && port(hub) == port(other);
    }

    public static void requireSameOrigin(String hubUrl, String url) {
        if (!sameOrigin(hubUrl, url)) {
            URI other = URI.create(url);
            throw new IllegalStateException("Hub sent a next-page link to another origin (" + other.getScheme() + "://"
                    + other.getHost() + "), refusing to follow it");
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /**
     * The {@code ?blobs=true} detail URL of a repo, each segment of its id percent-encoded: an id from an older catalog
     * that the listing's check would refuse today ({@link RepoIds}) still makes a legal URL that stays on its path.
     */
    public static String detail(String hubUrl, String id) {
        return hubUrl + "/api/models/" + encodedPath(id) + "?blobs=true";
    }

    /** A file's bytes at a revision: {@code {hub}/{id}/resolve/{revision}/{path}}, every segment percent-encoded. */
    public static String resolve(String hubUrl, String id, String revision, String path) {
        return hubUrl + "/" + encodedPath(id) + "/resolve/" + encodedPath(revision) + "/" + encodedPath(path);
    }

    private static String encodedPath(String slashed) {
        StringBuilder path = new StringBuilder();
        for (String segment : slashed.split("/", -1)) {
            path.append(path.length() == 0 ? "" : "/").append(segment.equals(".") || segment.equals("..")
                    ? segment.replace(".", "%2E")
                    : java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return path.toString();
    }

    /** Path and query of a Hub URL for a log line, with the long, constant expand list shortened. */
    public static String forLog(String url) {
        if (url == null) {
            return "";
        }
        URI uri = URI.create(url);
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery().replaceAll("(&expand=[^&]*)+", "&expand=…");
        return uri.getRawPath() + query;
    }
}
