package io.hfsync.standin;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour of the stand-in's file host (where {@code /resolve/} redirects to), served once to the first file
 * request whose {@code owner/name/path} starts with {@code prefix}. Faults of the Hub's own {@code /resolve/} answer
 * (its status, a redirect to another place) are {@link Fault}s with the prefix {@code /owner/name/resolve/}.
 *
 * @param prefix   {@code owner/name/} for any file of the repo, {@code owner/name/file.gguf} for one
 * @param kind     what goes wrong
 * @param status   the status of a {@link Kind#STATUS} fault
 * @param location where a {@link Kind#REDIRECT} points
 * @param interval how long a {@link Kind#TRICKLE} answer waits before each byte
 */
public record FileFault(String prefix, Kind kind, int status, String location, Duration interval) {

    public enum Kind {
        /** {@code 200} with the whole file from byte 0, whatever {@code Range} asked. */
        IGNORE_RANGE,
        /** The normal answer, its body cut half-way while its length promises all of it. */
        TRUNCATE,
        /** An error status (404, 401, 403, 500...) with a small XML error body, as a CDN answers. */
        STATUS,
        /** {@code 302} to {@code location} (any URL, {@code ftp://} too). */
        REDIRECT,
        /** {@code 302} into a loop of two URLs on the file host that redirect to each other forever. */
        REDIRECT_LOOP,
        /** The normal status and headers at once, then one byte per interval: a transfer that stalls or never ends. */
        TRICKLE
    }

    public FileFault {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.REDIRECT) {
            Objects.requireNonNull(location, "location");
        }
        if (kind == Kind.TRICKLE) {
            Objects.requireNonNull(interval, "interval");
        }
    }

    public static FileFault ignoringRange(String prefix) {
        return new FileFault(prefix, Kind.IGNORE_RANGE, 200, null, null);
    }

    public static FileFault truncated(String prefix) {
        return new FileFault(prefix, Kind.TRUNCATE, 0, null, null);
    }

    public static FileFault status(String prefix, int status) {
        return new FileFault(prefix, Kind.STATUS, status, null, null);
    }

    public static FileFault redirect(String prefix, String location) {
        return new FileFault(prefix, Kind.REDIRECT, 302, location, null);
    }

    public static FileFault redirectLoop(String prefix) {
        return new FileFault(prefix, Kind.REDIRECT_LOOP, 302, null, null);
    }

    /**
     * The answer's status and headers at once, then its body one byte per {@code interval}: longer than the client's read
     * timeout, a stalled transfer; shorter, one that never ends in useful time.
     */
    public static FileFault trickling(String prefix, Duration interval) {
        return new FileFault(prefix, Kind.TRICKLE, 0, null, interval);
    }

    boolean matches(String repoPath) {
        return repoPath.startsWith(prefix);
    }
}
