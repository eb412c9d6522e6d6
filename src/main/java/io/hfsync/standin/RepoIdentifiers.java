package io.hfsync.standin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The ids the Hub shows besides a repo's own: its database {@code _id} and each file's git blob id and LFS
 * sha256. The stand-in derives them from what it knows, so they are stable across requests and runs, and
 * an unchanged file keeps its ids across commits.
 */
final class RepoIdentifiers {

    private RepoIdentifiers() {
    }

    /** 24 hex like a MongoDB ObjectId, whose first 4 bytes are the creation time. */
    static String objectId(HubRepo repo) {
        long seconds = repo.createdAt() == null ? 0 : repo.createdAt().getEpochSecond();
        return String.format("%08x", seconds & 0xffffffffL) + sha256Hex("objectId:" + repo.id()).substring(0, 16);
    }

    /** 40 hex, like a git object id. */
    static String blobId(RepoFile file) {
        return sha256Hex("blob:" + file.path() + ":" + file.size()).substring(0, 40);
    }

    /** 64 hex, the sha256 of the file content an LFS pointer names. */
    static String lfsSha256(RepoFile file) {
        return sha256Hex("lfs:" + file.path() + ":" + file.size());
    }


    private static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
