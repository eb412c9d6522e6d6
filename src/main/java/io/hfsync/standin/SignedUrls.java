package io.hfsync.standin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The file host's signed URLs, as a CDN's: {@code ?Expires=...&Signature=...}, an HMAC of the path and the expiry
 * under a key of this host's own, drawn when it starts (docs/gguf-headers.md: the Hub redirects {@code /resolve/} to
 * such a URL).
 */
final class SignedUrls {

    private final Clock clock;
    private final byte[] key = new byte[32];

    SignedUrls(Clock clock) {
        this.clock = clock;
        new SecureRandom().nextBytes(key);
    }

    /** Why the URL is refused (null: valid): no signature, a wrong one, or past its expiry. */
    String refusal(String rawPath, QueryParams query) {
        String expires = query.last("Expires");
        String signature = query.last("Signature");
        if (expires == null || signature == null || !expires.chars().allMatch(Character::isDigit) || expires.isEmpty()
                || expires.length() > 18) {
            return "Missing or malformed signature";
        }
        if (!MessageDigest.isEqual(sign(rawPath, Long.parseLong(expires)).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            return "The request signature we calculated does not match the signature you provided";
        }
        if (clock.instant().getEpochSecond() >= Long.parseLong(expires)) {
            return "Request has expired";
        }
        return null;
    }

    String sign(String rawPath, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((rawPath + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
