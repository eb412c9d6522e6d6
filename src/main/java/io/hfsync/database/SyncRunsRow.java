package io.hfsync.database;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run's {@code sync_runs} row as camel-sql's named parameters: every column of the table, by the metadata's JSON
 * key; a key the metadata does not carry (yet) is null.
 */
public final class SyncRunsRow {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param metadata what {@code last_sync_metadata.json} will hold for this run */
    public Map<String, Object> of(Object metadata) {
        JsonNode json = JSON.valueToTree(metadata);
        Map<String, Object> row = new LinkedHashMap<>();
        for (CatalogTables.Column column : CatalogTables.SYNC_RUNS) {
            JsonNode value = json.get(column.name());
            row.put(column.name(), value == null || value.isNull() ? null : switch (column.kind()) {
                case INTEGER -> value.asLong();
                case REAL -> value.asDouble();
                case BOOLEAN -> value.asBoolean();
                case TEXT, JSON -> value.isTextual() ? value.textValue() : value.toString();
            });
        }
        row.computeIfPresent("error_message", (column, message) -> withoutInternals((String) message));
        return row;
    }

    /**
     * The error as the public page and {@code /api/runs} show it: no URL (a database's host and port, an endpoint's
     * address) and no absolute path of this machine, only the file's name. The log and last_sync_metadata.json keep
     * the whole message for the operator. A Hub path ({@code /api/...}) is public and stays.
     */
    static String withoutInternals(String message) {
        String noUrls = URL.matcher(message).replaceAll("<address>");
        return ABSOLUTE_PATH.matcher(noUrls).replaceAll(path -> java.util.regex.Matcher.quoteReplacement(
                path.group().substring(path.group().lastIndexOf('/') + 1)));
    }

    private static final java.util.regex.Pattern URL = java.util.regex.Pattern.compile(
            "\\b[A-Za-z][A-Za-z0-9+.:-]*://[^\\s,;()'\"]+");
    private static final java.util.regex.Pattern ABSOLUTE_PATH = java.util.regex.Pattern.compile(
            "(?<![\\w.~:/-])/(?!api/)[^\\s,;()'\"]+");
}
