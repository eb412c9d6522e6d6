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
        return row;
    }
}
