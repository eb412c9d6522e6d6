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
        return new RateLimitHeader(saturated(r.group(1)), saturated(t.group(1)));
    }

    /** A count beyond {@code long} is read as {@code Long.MAX_VALUE}: "more than we will ever need", not a failure. */
    private static long saturated(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
