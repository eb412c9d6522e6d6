package io.hfsync.events;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What in an events endpoint URI ({@code sync.events-uri}) may be a credential, so that no log line, error message or
 * metric shows it: the user-info ({@code user:password@}, or a token alone), the value of every query option whose
 * name says secret (any name holding {@code password}, {@code secret}, {@code token}, {@code key},
 * {@code signature}, {@code auth} or {@code credential}, or named {@code sig}), and every path
 * segment that looks like a webhook token (8 or more characters with a digit, or 20 or more). docs/events.md.
 */
public final class EndpointSecrets {

    public static final String MASK = "xxxxxx";
    private static final Pattern USER_INFO = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:(?://)?([^/?#@]*)@");
    /** Camel's sensitive keys that matter here, and more (its list also names users, which are no secret). */
    private static final Pattern SECRET_NAME = Pattern.compile("password|passwd|passphrase|passcode|secret|token|key"
            + "|signature|^sig$|auth|credential|jaas|connectionstring", Pattern.CASE_INSENSITIVE);
    /** One query option; a {@code RAW(...)} value may hold {@code &}. */
    private static final Pattern OPTION = Pattern.compile("([^&=]+)=(RAW\\([^)]*\\)|[^&]*)");
    private static final Pattern HTTP = Pattern.compile("^(?:https?|vertx-http|netty-http|webhook):(?://)?[^/?#]*(/[^?#]*)",
            Pattern.CASE_INSENSITIVE);

    private final List<String> secrets;

    private EndpointSecrets(List<String> secrets) {
        // longest first: a secret that contains another is replaced whole
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(secrets);
    }

    public static EndpointSecrets of(String uri) {
        List<String> secrets = new ArrayList<>();
        if (uri == null || uri.isBlank()) {
            return new EndpointSecrets(secrets);
        }
        Matcher userInfo = USER_INFO.matcher(uri);
        if (userInfo.find() && !userInfo.group(1).isEmpty()) {
            String info = userInfo.group(1);
            int colon = info.indexOf(':');
            add(secrets, colon >= 0 ? info.substring(colon + 1) : info);
        }
        int query = uri.indexOf('?');
        if (query >= 0) {
            Matcher option = OPTION.matcher(uri.substring(query + 1));
            while (option.find()) {
                if (isSecretName(option.group(1))) {
                    add(secrets, option.group(2));
                }
            }
        }
        Matcher http = HTTP.matcher(uri);
        if (http.find()) {
            for (String segment : http.group(1).split("/")) {
                if (segment.length() >= 20 || segment.length() >= 8 && segment.chars().anyMatch(Character::isDigit)) {
                    add(secrets, segment);
                }
            }
        }
        return new EndpointSecrets(secrets);
    }

    /** The text with every secret of the URI replaced, as written and as decoded (error messages may hold either). */
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }

    static boolean isSecretName(String name) {
        String key = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return SECRET_NAME.matcher(key).find();
    }

    private static void add(List<String> secrets, String value) {
        if (value.isEmpty() || value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return;
        }
        String raw = value.startsWith("RAW(") && value.endsWith(")") ? value.substring(4, value.length() - 1) : value;
        secrets.add(value);
        secrets.add(raw);
        try {
            secrets.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notEncoded) {
            // kept as written
        }
    }
}
