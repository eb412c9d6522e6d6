package io.hfsync.database;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The tables of docs/database.md, declared once for SQLite and PostgreSQL. Column names are the catalog's JSON keys, so a row
 * is filled by looking each column up in the model's JSON: a key the catalog does not carry yet (the fidelity fields,
 * {@code details_pending}, {@code size_source}) is simply {@code NULL}, and is filled as soon as the catalog has it.
 */
public final class CatalogTables {

    /** How a JSON value is stored. */
    enum Kind {
        TEXT("TEXT", "TEXT"),
        INTEGER("INTEGER", "BIGINT"),
        REAL("REAL", "DOUBLE PRECISION"),
        /** 0/1 in SQLite (it has no boolean type), BOOLEAN in PostgreSQL. */
        BOOLEAN("INTEGER", "BOOLEAN"),
        /** A JSON array as text in SQLite, jsonb in PostgreSQL. */
        JSON("TEXT", "JSONB");

        final String sqlite;
        final String postgres;

        Kind(String sqlite, String postgres) {
            this.sqlite = sqlite;
            this.postgres = postgres;
        }
    }

    enum Dialect {
        SQLITE, POSTGRESQL;

        String type(Kind kind) {
            return this == SQLITE ? kind.sqlite : kind.postgres;
        }

        String placeholder(Kind kind) {
            return this == POSTGRESQL && kind == Kind.JSON ? "CAST(? AS jsonb)" : "?";
        }
    }

    record Column(String name, Kind kind) {
    }

    /** One row per model; {@code tags} and {@code capabilities} hold the JSON array as the catalog has it. */
    static final List<Column> MODELS = List.of(
            text("id"), text("author"), text("sha"), text("last_modified"), text("created_at"),
            integer("downloads"), integer("likes"), text("pipeline_tag"),
            // false, auto or manual: the Hub's value as text
            text("gated"),
            text("architecture"), integer("context_length"), integer("parameters"), json("tags"),
            bool("details_pending"),
            text("base_model"), text("license"), json("capabilities"),
            // docs/gguf-headers.md and docs/memory.md: the header as the catalog holds it, the largest vision projector
            json("gguf_header"), text("gguf_header_error"), integer("mmproj_bytes"));

    /** One row per logical file of a model (a split set is one file); the key is (model_id, name). */
    static final List<Column> FILES = List.of(
            text("model_id"), text("name"), text("quantization"), integer("size"),
            text("role"), integer("parts"), bool("complete"), text("size_source"),
            // docs/memory.md: [{context, weights, kv_cache, compute, total}] as the catalog holds it
            json("memory"));

    /** One row per run, failed ones included: the keys of last_sync_metadata.json; one run per start second. */
    static final List<Column> SYNC_RUNS = List.of(
            integer("schema_version"), text("last_sync_time"), text("last_successful_sync_time"),
            text("last_full_sync_time"), text("sync_mode"), text("mode_reason"), integer("total_models_processed"),
            integer("total_models"), integer("models_added"), integer("models_updated"), integer("models_removed"),
            real("sync_duration"), integer("hub_requests"), bool("success"), text("error_message"),
            integer("details_pending"), integer("details_fetched"), integer("size_mismatches"),
            integer("sizes_from_listing"), text("listing_sizes"), integer("headers_read"), integer("headers_pending"),
            integer("resolver_calls"));

    /** The full-text columns: models_fts in SQLite, the search tsvector in PostgreSQL. */
    static final List<String> SEARCHED = List.of("id", "author", "architecture", "tags");

    private static final ObjectMapper JSON = new ObjectMapper();

    private CatalogTables() {
    }

    static List<String> createStatements(Dialect dialect) {
        List<String> ddl = new ArrayList<>();
        // entry_hash, files_hash: let a run write only the models (and files) whose catalog entry changed (CatalogDiff)
        List<String> extra = new ArrayList<>(List.of("entry_hash " + dialect.type(Kind.INTEGER),
                "files_hash " + dialect.type(Kind.INTEGER)));
        if (dialect == Dialect.POSTGRESQL) {
            extra.add("search tsvector GENERATED ALWAYS AS (to_tsvector('simple', "
                    + SEARCHED.stream().map(c -> "regexp_replace(coalesce(" + c + "::text, ''), '[^[:alnum:]]+', ' ', 'g')")
                            .collect(Collectors.joining(" || ' ' || "))
                    + ")) STORED");
        }
        ddl.add(createTable(dialect, "models", MODELS, List.of("id"), null, extra));
        ddl.add(createTable(dialect, "files", FILES, List.of("model_id", "name"),
                "FOREIGN KEY (model_id) REFERENCES models (id) ON DELETE CASCADE", List.of()));
        ddl.add(createTable(dialect, "sync_runs", SYNC_RUNS, List.of("last_sync_time"), null, List.of()));
        if (dialect == Dialect.SQLITE) {
            ddl.add("CREATE VIRTUAL TABLE IF NOT EXISTS models_fts USING fts5(" + String.join(", ", SEARCHED) + ")");
        }
        return ddl;
    }

    /**
     * Indexes for what a catalog page asks: filter by quantization, architecture or size, sort by downloads, likes
     * or modification time. Created after a bulk load (cheaper than keeping them up to date row by row).
     */
    static List<String> indexStatements(Dialect dialect) {
        List<String> ddl = new ArrayList<>(List.of(
                "CREATE INDEX IF NOT EXISTS models_downloads ON models (downloads DESC)",
                "CREATE INDEX IF NOT EXISTS models_likes ON models (likes DESC)",
                "CREATE INDEX IF NOT EXISTS models_last_modified ON models (last_modified DESC)",
                "CREATE INDEX IF NOT EXISTS models_architecture ON models (architecture, downloads DESC)",
                "CREATE INDEX IF NOT EXISTS models_author ON models (author)",
                "CREATE INDEX IF NOT EXISTS files_quantization ON files (quantization, size)",
                "CREATE INDEX IF NOT EXISTS files_size ON files (size)"));
        if (dialect == Dialect.POSTGRESQL) {
            ddl.add("CREATE INDEX IF NOT EXISTS models_search ON models USING GIN (search)");
        }
        return ddl;
    }

    /** Columns a table lacks (a database created by an older version) are added, in PostgreSQL, which is kept. */
    static List<String> addMissingColumns() {
        List<String> ddl = new ArrayList<>();
        addColumns(ddl, "models", MODELS);
        addColumns(ddl, "files", FILES);
        addColumns(ddl, "sync_runs", SYNC_RUNS);
        ddl.add("ALTER TABLE models ADD COLUMN IF NOT EXISTS entry_hash BIGINT");
        ddl.add("ALTER TABLE models ADD COLUMN IF NOT EXISTS files_hash BIGINT");
        return ddl;
    }

    static String insert(Dialect dialect, String table, List<Column> columns) {
        return "INSERT INTO " + table + " (" + names(columns) + ") VALUES ("
                + columns.stream().map(c -> dialect.placeholder(c.kind())).collect(Collectors.joining(", ")) + ")";
    }

    static String names(List<Column> columns) {
        return columns.stream().map(Column::name).collect(Collectors.joining(", "));
    }

    /**
     * Binds {@code columns} from the JSON object {@code source} to parameters {@code first, first + 1, ...}.
     * {@code model_id} is not a key of a file's JSON: it comes from {@code modelId}.
     */
    static int bind(PreparedStatement statement, int first, List<Column> columns, JsonNode source, String modelId)
            throws SQLException {
        int index = first;
        for (Column column : columns) {
            JsonNode value = "model_id".equals(column.name()) ? JSON.getNodeFactory().textNode(modelId)
                    : source.get(column.name());
            bindValue(statement, index++, column.kind(), value);
        }
        return index;
    }

    private static void bindValue(PreparedStatement statement, int index, Kind kind, JsonNode value) throws SQLException {
        if (value == null || value.isNull() || value.isMissingNode()) {
            statement.setNull(index, switch (kind) {
                case TEXT, JSON -> Types.VARCHAR;
                case INTEGER -> Types.BIGINT;
                case REAL -> Types.DOUBLE;
                case BOOLEAN -> Types.BOOLEAN;
            });
            return;
        }
        switch (kind) {
            case TEXT -> statement.setString(index, value.isTextual() ? value.textValue() : value.toString());
            case INTEGER -> statement.setLong(index, value.asLong());
            case REAL -> statement.setDouble(index, value.asDouble());
            case BOOLEAN -> statement.setBoolean(index, value.asBoolean());
            case JSON -> statement.setString(index, value.toString());
        }
    }

    private static String createTable(Dialect dialect, String table, List<Column> columns, List<String> key,
            String foreignKey, List<String> extraColumns) {
        List<String> parts = new ArrayList<>();
        for (Column column : columns) {
            parts.add(column.name() + " " + dialect.type(column.kind()) + (key.contains(column.name()) ? " NOT NULL" : ""));
        }
        parts.addAll(extraColumns);
        parts.add("PRIMARY KEY (" + String.join(", ", key) + ")");
        if (foreignKey != null) {
            parts.add(foreignKey);
        }
        return "CREATE TABLE IF NOT EXISTS " + table + " (" + String.join(", ", parts) + ")";
    }

    private static void addColumns(List<String> ddl, String table, List<Column> columns) {
        for (Column column : columns) {
            ddl.add("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS " + column.name() + " "
                    + Dialect.POSTGRESQL.type(column.kind()));
        }
    }

    private static Column text(String name) {
        return new Column(name, Kind.TEXT);
    }

    private static Column integer(String name) {
        return new Column(name, Kind.INTEGER);
    }

    private static Column real(String name) {
        return new Column(name, Kind.REAL);
    }

    private static Column bool(String name) {
        return new Column(name, Kind.BOOLEAN);
    }

    private static Column json(String name) {
        return new Column(name, Kind.JSON);
    }
}
