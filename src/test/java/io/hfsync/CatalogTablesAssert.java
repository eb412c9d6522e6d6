package io.hfsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The catalog tables of docs/database.md read back and compared with {@code gguf_models.json}, model by model and file by
 * file, column by column, by the JSON key each column is named after. Written from the SPEC, not from the product's
 * own column list, so a mapping mistake in the product fails here.
 */
final class CatalogTablesAssert {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> MODEL_TEXT = List.of("id", "author", "sha", "last_modified", "created_at", "pipeline_tag",
            "architecture", "base_model", "license", "gguf_header_error");
    static final List<String> MODEL_NUMBERS = List.of("downloads", "likes", "context_length", "parameters",
            "mmproj_bytes");
    static final List<String> MODEL_JSON = List.of("tags", "capabilities", "gguf_header");
    static final List<String> FILE_TEXT = List.of("name", "quantization", "role", "size_source");
    static final List<String> FILE_NUMBERS = List.of("size", "parts");
    static final List<String> FILE_JSON = List.of("memory");

    private CatalogTablesAssert() {
    }

    static Connection sqlite(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    /** Every model and file of the catalog file, and nothing else, is in the tables with the same values. */
    static void assertSameAsCatalog(Path catalogFile, Connection db) throws SQLException {
        assertSameAsCatalog(SyncHarness.read(catalogFile), db);
    }

    static void assertSameAsCatalog(JsonNode catalog, Connection db) throws SQLException {
        Map<String, Map<String, Object>> models = rows(db, "SELECT * FROM models", "id");
        Map<String, Map<String, Object>> files = rows(db, "SELECT * FROM files", "model_id", "name");
        Map<String, Map<String, Object>> expectedModels = new TreeMap<>();
        Map<String, Map<String, Object>> expectedFiles = new TreeMap<>();
        for (JsonNode model : catalog.get("models")) {
            Iterator<String> keys = model.fieldNames();
            keys.forEachRemaining(key -> assertTrue(key.equals("files") || MODEL_TEXT.contains(key) || MODEL_NUMBERS.contains(key)
                    || MODEL_JSON.contains(key) || Set.of("gated", "details_pending").contains(key),
                    "the catalog has a key the models table has no column for: " + key));
            String id = model.get("id").asText();
            Map<String, Object> row = new TreeMap<>();
            MODEL_TEXT.forEach(k -> row.put(k, text(model.get(k))));
            MODEL_NUMBERS.forEach(k -> row.put(k, number(model.get(k))));
            MODEL_JSON.forEach(k -> row.put(k, json(model.get(k))));
            row.put("gated", text(model.get("gated")));
            row.put("details_pending", bool(model.get("details_pending")));
            expectedModels.put(id, row);
            for (JsonNode file : model.path("files")) {
                file.fieldNames().forEachRemaining(key -> assertTrue(FILE_TEXT.contains(key) || FILE_NUMBERS.contains(key)
                        || FILE_JSON.contains(key) || key.equals("complete"),
                        "the catalog has a file key the files table has no column for: " + key));
                Map<String, Object> fileRow = new TreeMap<>();
                FILE_TEXT.forEach(k -> fileRow.put(k, text(file.get(k))));
                FILE_NUMBERS.forEach(k -> fileRow.put(k, number(file.get(k))));
                FILE_JSON.forEach(k -> fileRow.put(k, json(file.get(k))));
                fileRow.put("complete", bool(file.get("complete")));
                fileRow.put("model_id", id);
                expectedFiles.put(id + "\u0000" + file.get("name").asText(), fileRow);
            }
        }
        assertEquals(expectedModels.keySet(), models.keySet(), "the same models");
        for (var expected : expectedModels.entrySet()) {
            assertEquals(expected.getValue(), normalize(models.get(expected.getKey()), expected.getValue().keySet()),
                    "model " + expected.getKey());
        }
        assertEquals(expectedFiles.keySet(), files.keySet(), "the same files");
        for (var expected : expectedFiles.entrySet()) {
            assertEquals(expected.getValue(), normalize(files.get(expected.getKey()), expected.getValue().keySet()),
                    "file " + expected.getKey().replace('\u0000', '/'));
        }
    }

    /** SQLite: one full-text row per model, under its model's rowid, with the model's searched values. */
    static void assertSearchTableLevel(Connection db) throws SQLException {
        long models = count(db, "SELECT count(*) FROM models");
        assertEquals(models, count(db, "SELECT count(*) FROM models_fts"), "one models_fts row per model");
        assertEquals(models, count(db, "SELECT count(*) FROM models m JOIN models_fts f ON f.rowid = m.rowid "
                + "WHERE f.id = m.id AND f.author IS m.author AND f.architecture IS m.architecture AND f.tags IS m.tags"),
                "every models_fts row holds its model's searched values under the model's rowid");
    }

    /** Table rows by key (key columns joined by NUL), as column name to value. */
    static Map<String, Map<String, Object>> rows(Connection db, String query, String... key) throws SQLException {
        Map<String, Map<String, Object>> rows = new TreeMap<>();
        try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(query)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnName(i), rs.getObject(i));
                }
                List<String> parts = new ArrayList<>();
                for (String k : key) {
                    parts.add(String.valueOf(row.get(k)));
                }
                rows.put(String.join("\u0000", parts), row);
            }
        }
        return rows;
    }

    static long count(Connection db, String query) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Database values in the shapes the expectation uses: Long, Boolean, String, JsonNode. */
    private static Map<String, Object> normalize(Map<String, Object> row, Set<String> columns) {
        Map<String, Object> out = new TreeMap<>();
        for (String column : columns) {
            Object value = row.get(column);
            if (value != null && (MODEL_JSON.contains(column) || FILE_JSON.contains(column))) {
                value = json(value.toString());
            } else if (value != null && Set.of("details_pending", "complete").contains(column)) {
                value = value instanceof Boolean b ? b : ((Number) value).longValue() != 0;
            } else if (value instanceof Number n) {
                value = n.longValue();
            }
            out.put(column, value);
        }
        return out;
    }

    private static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isTextual() ? value.textValue() : value.toString();
    }

    private static Long number(JsonNode value) {
        return value == null || value.isNull() ? null : value.asLong();
    }

    private static Boolean bool(JsonNode value) {
        return value == null || value.isNull() ? null : value.asBoolean();
    }

    private static JsonNode json(JsonNode value) {
        return value == null || value.isNull() ? null : value;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
