package io.hfsync.hub;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The IETF draft header the Hub sends on every answer: {@code RateLimit: "api";r=<remaining>;t=<seconds>}. */
public record RateLimitHeader(long remaining, long resetSeconds) {

    private static final Pattern R = Pattern.compile("(?:^|;)\\s*r\\s*=\\s*(\\d+)");
    private static final Pattern T = Pattern.compile("(?:^|;)\\s*t\\s*=\\s*(\\d+)");

    /** Null when the header is absent or says nothing usable. */
    public static RateLimitHeader parse(String header) {
        if (header == null) {
            return null;
        }
        Matcher r = R.matcher(header);
        Matcher t = T.matcher(header);
        if (!r.find() || !t.find()) {
            return null;
        }
        return new RateLimitHeader(Long.parseLong(r.group(1)), Long.parseLong(t.group(1)));
    }
}
