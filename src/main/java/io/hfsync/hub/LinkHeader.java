package io.hfsync.hub;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Hub's cursor pagination: {@code Link: <url>; rel="next"}; no next link on the last page. */
public final class LinkHeader {

    private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?next\"?");

    private LinkHeader() {
    }

    public static String next(String header) {
        if (header == null) {
            return null;
        }
        Matcher m = NEXT.matcher(header);
        return m.find() ? m.group(1) : null;
    }
}
