package io.hfsync.standin;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A misbehaviour the stand-in Hub serves once, to the first request whose path (with its raw query, when it has
 * one) starts with {@code pathPrefix}, instead of the normal answer.
 *
 * @param pathPrefix request prefix, e.g. {@code /api/models}, {@code /api/models/owner/name} or
 *                   {@code /api/models?search=gguf} to hit one listing only
 * @param status     HTTP status to answer (ignored when {@code truncate})
 * @param headers    extra response headers; they replace the normal ones of the same name
 * @param body       response body (ignored when {@code truncate})
 * @param truncate   send the real answer but break the connection half-way through the JSON
 * @param rawBody    response body as bytes, for a body that is not UTF-8 (null: {@code body} as UTF-8)
 * @param trickle    send the answer one byte per this interval (null: at once), like a stalled transfer
 */
public record Fault(String pathPrefix, int status, Map<String, String> headers, String body, boolean truncate,
        byte[] rawBody, Duration trickle) {

    public Fault {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        headers = headers == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(headers));
        body = body == null ? "" : body;
        rawBody = rawBody == null ? null : rawBody.clone();
    }

    public Fault(String pathPrefix, int status, Map<String, String> headers, String body, boolean truncate) {
        this(pathPrefix, status, headers, body, truncate, null, null);
    }

    /** Any status with a body of any bytes, e.g. a listing page with bytes that are not UTF-8 in one item. */
    public static Fault bytes(String pathPrefix, int status, byte[] body) {
        return new Fault(pathPrefix, status, Map.of(), "", false, body, null);
    }

    /**
     * The real answer (status and headers at once), its body sent one byte per {@code interval}: a call that never
     * stalls long enough for a read timeout, and never ends in useful time.
     */
    public static Fault trickling(String pathPrefix, Duration interval) {
        return new Fault(pathPrefix, 200, Map.of(), "", false, null, Objects.requireNonNull(interval, "interval"));
    }

    /** The bytes to send for a fault that replaces the answer. */
    byte[] bodyBytes() {
        return rawBody != null ? rawBody.clone() : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** An error status with a small JSON error body, like the Hub's own errors. */
    public static Fault status(String pathPrefix, int status) {
        return new Fault(pathPrefix, status, Map.of(), "{\"error\":\"" + reasonOf(status) + "\"}", false);
    }

    /**
     * HTTP 429 the way the Hub sends it: {@code Retry-After} (seconds or an HTTP date) and a
     * {@code RateLimit} header with nothing remaining.
     */
    public static Fault rateLimited(String pathPrefix, String retryAfter) {
        Objects.requireNonNull(retryAfter, "retryAfter");
        String resetSeconds = retryAfter.chars().allMatch(Character::isDigit) && !retryAfter.isEmpty() ? retryAfter : "60";
        return new Fault(pathPrefix, 429,
                Map.of("Retry-After", retryAfter, "RateLimit", "\"api\";r=0;t=" + resetSeconds),
                "{\"error\":\"You have exceeded our rate limit for api requests. Please retry later.\"}", false);
    }

    /**
     * {@code 302} to {@code location} instead of the answer: on a {@code /resolve/} prefix, a Hub that redirects a file
     * read somewhere unexpected ({@code ftp://...}, back to itself).
     */
    public static Fault redirect(String pathPrefix, String location) {
        return new Fault(pathPrefix, 302, Map.of("Location", Objects.requireNonNull(location, "location")), "", false);
    }

    /** The real answer, cut in the middle of its JSON while the declared length promises more. */
    public static Fault truncated(String pathPrefix) {
        return new Fault(pathPrefix, 200, Map.of(), "", true);
    }

    /** Any status with any body, e.g. a body that is not JSON or a JSON object where an array belongs. */
    public static Fault body(String pathPrefix, int status, String body) {
        return new Fault(pathPrefix, status, Map.of(), body, false);
    }

    boolean matches(String path) {
        return path.startsWith(pathPrefix);
    }

    private static String reasonOf(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Invalid credentials in Authorization header";
            case 403 -> "Forbidden";
            case 404 -> "Repository not found";
            case 408 -> "Request Timeout";
            case 500 -> "Internal Error - We're working hard to fix this as soon as possible!";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Error " + status;
        };
    }
}
