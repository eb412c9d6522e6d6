package io.hfsync.standin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A raw query string decoded into its parameters, in order, with repeated keys kept. */
final class QueryParams {

    private final List<Map.Entry<String, String>> entries;

    private QueryParams(List<Map.Entry<String, String>> entries) {
        this.entries = entries;
    }

    static QueryParams parse(String rawQuery) {
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                entries.add(Map.entry(decode(key), decode(value)));
            }
        }
        return new QueryParams(entries);
    }

    /** Every value of the key, in order. */
    List<String> all(String key) {
        return entries.stream().filter(e -> e.getKey().equals(key)).map(Map.Entry::getValue).toList();
    }

    /** The last value of the key (a repeated single-valued parameter: the last one wins), or null. */
    String last(String key) {
        List<String> values = all(key);
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    boolean has(String key) {
        return entries.stream().anyMatch(e -> e.getKey().equals(key));
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedEscape) {
            throw new HubError(400, "Malformed query string");
        }
    }
}
