package io.hfsync.hub;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Hub's cursor pagination: {@code Link: <url>; rel="next"}; no next link on the last page. */
public final class LinkHeader {

    private static final Pattern LINK = Pattern.compile("<([^>]*)>([^,]*)");
    private static final Pattern REL = Pattern.compile(";\\s*rel\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s]+))", Pattern.CASE_INSENSITIVE);

    private LinkHeader() {
    }

    public static String next(String header) {
        if (header == null) {
            return null;
        }
        Matcher link = LINK.matcher(header);
        while (link.find()) {
            Matcher rel = REL.matcher(link.group(2));
            if (rel.find()) {
                String values = rel.group(1) != null ? rel.group(1) : rel.group(2);
                for (String value : values.trim().split("\\s+")) {
                    if (value.equalsIgnoreCase("next")) {
                        return link.group(1);
                    }
                }
            }
        }
        return null;
    }
}
