package io.hfsync.web;

import io.hfsync.database.ModelFilter;
import io.hfsync.database.Sort;
import io.hfsync.memory.MemoryEstimator;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parameters of {@code GET /api/models} (docs/browser.md), checked: anything else is a {@link BadParameterException} whose
 * message names the parameter. An empty value is the same as no value ({@code ?q=&page=} asks for everything).
 *
 * @param filter   what the models must match
 * @param sort     the order, descending
 * @param page     1-based
 * @param pageSize at most {@value #MAX_PAGE_SIZE}
 */
public record ModelQuery(ModelFilter filter, Sort sort, int page, int pageSize) {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 200;
    static final int MAX_PAGE = 100_000;
    static final int MAX_QUERY_LENGTH = 200;
    static final int MAX_WORDS = 16;
    private static final Set<String> PARAMETERS = Set.of("q", "quantization", "architecture", "max_size_gb", "gated",
            "fits_gb", "context", "sort", "page", "page_size");
    /** The context {@code fits_gb} is asked at when none is given (docs/memory.md). */
    public static final long DEFAULT_CONTEXT = 8192;
    private static final Pattern WORD_SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern QUANTIZATION = Pattern.compile("[A-Za-z0-9_]{1,32}");
    private static final Pattern ARCHITECTURE = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final BigDecimal GB = BigDecimal.valueOf(1_000_000_000L);
    private static final BigDecimal MAX_GB = BigDecimal.valueOf(1_000_000);

    /** @param rawQuery the URL's query string as sent (percent-encoded), or null */
    public static ModelQuery parse(String rawQuery) {
        Map<String, String> parameters = parameters(rawQuery);
        return new ModelQuery(
                new ModelFilter(
                        match(parameters.get("q")),
                        quantization(parameters.get("quantization")),
                        architecture(parameters.get("architecture")),
                        gigabytes(parameters.get("max_size_gb"), "max_size_gb", "8 or 4.5"),
                        gated(parameters.get("gated")),
                        gigabytes(parameters.get("fits_gb"), "fits_gb", "16 or 7.5"),
                        context(parameters.get("context"))),
                sort(parameters.get("sort")),
                integer(parameters, "page", 1, MAX_PAGE, 1),
                integer(parameters, "page_size", 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE));
    }

    /** Each parameter once, known, decoded; empty values dropped. */
    static Map<String, String> parameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), "parameter name");
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), name);
            if (!PARAMETERS.contains(name)) {
                throw new BadParameterException("unknown parameter '" + shorten(name) + "' (known: q, quantization, "
                        + "architecture, max_size_gb, gated, fits_gb, context, sort, page, page_size)");
            }
            if (parameters.containsKey(name)) {
                throw new BadParameterException(name + " given more than once");
            }
            parameters.put(name, value.trim());
        }
        parameters.values().removeIf(String::isEmpty);
        return parameters;
    }

    private static String decode(String text, String what) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadParameterException(what + ": malformed percent-encoding");
        }
    }

    /**
     * The words of {@code q} as an FTS5 expression that matches models holding all of them: each word quoted, so
     * nothing a user types is FTS5 syntax ({@code AND}, {@code *}, {@code "}, {@code NEAR} are plain words or dropped).
     */
    static String match(String q) {
        if (q == null) {
            return null;
        }
        if (q.length() > MAX_QUERY_LENGTH) {
            throw new BadParameterException("q: at most " + MAX_QUERY_LENGTH + " characters");
        }
        List<String> words = new ArrayList<>();
        for (String word : WORD_SEPARATORS.split(q.toLowerCase(Locale.ROOT))) {
            if (!word.isEmpty() && !words.contains(word)) {
                words.add('"' + word + '"');
            }
        }
        if (words.isEmpty()) {
            throw new BadParameterException("q: no letters or digits to search for");
        }
        if (words.size() > MAX_WORDS) {
            throw new BadParameterException("q: at most " + MAX_WORDS + " words");
        }
        return String.join(" ", words);
    }

    private static String quantization(String value) {
        if (value == null) {
            return null;
        }
        if (!QUANTIZATION.matcher(value).matches()) {
            throw new BadParameterException("quantization: expected a name such as Q4_K_M, IQ3_XS or F16");
        }
        return value.toUpperCase(Locale.ROOT);
    }

    private static String architecture(String value) {
        if (value == null) {
            return null;
        }
        if (!ARCHITECTURE.matcher(value).matches()) {
            throw new BadParameterException("architecture: expected a name such as llama or qwen3");
        }
        return value;
    }

    /** GB as the Hub shows sizes: 10^9 bytes. */
    private static Long gigabytes(String value, String name, String example) {
        if (value == null) {
            return null;
        }
        BigDecimal gb;
        try {
            gb = new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw new BadParameterException(name + ": expected a number of GB such as " + example);
        }
        if (gb.signum() <= 0 || gb.compareTo(MAX_GB) > 0) {
            throw new BadParameterException(name + ": expected a number of GB above 0 and at most " + MAX_GB);
        }
        return gb.multiply(GB).longValue();
    }

    /** One of the contexts every memory estimate is given at (docs/memory.md); 8192 when not given. */
    private static Long context(String value) {
        if (value == null) {
            return DEFAULT_CONTEXT;
        }
        for (long context : MemoryEstimator.CONTEXTS) {
            if (Long.toString(context).equals(value)) {
                return context;
            }
        }
        throw new BadParameterException("context: expected one of " + MemoryEstimator.CONTEXTS.stream()
                .map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")) + " (tokens)");
    }

    private static String gated(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> "true";
            case "false" -> "false";
            case "auto" -> "auto";
            case "manual" -> "manual";
            default -> throw new BadParameterException("gated: expected true, false, auto or manual");
        };
    }

    private static Sort sort(String value) {
        if (value == null) {
            return Sort.DOWNLOADS;
        }
        for (Sort sort : Sort.values()) {
            if (sort.name().toLowerCase(Locale.ROOT).equals(value)) {
                return sort;
            }
        }
        throw new BadParameterException("sort: expected downloads, likes, last_modified or size");
    }

    private static int integer(Map<String, String> parameters, String name, int min, int max, int fallback) {
        String value = parameters.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new BadParameterException(name + ": expected a whole number from " + min + " to " + max);
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
