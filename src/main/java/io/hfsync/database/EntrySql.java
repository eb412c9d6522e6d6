package io.hfsync.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The catalog entries as SQLite prints them for the page and its JSON API (docs/browser.md). */
final class EntrySql {

    /**
     * The catalog entries of the models {@code where} selects (alias {@code m}), by rowid, each as JSON bytes. SQLite
     * prints them (json_object over the row and its files): one value per model crosses JDBC instead of one per column,
     * which at 50 models and 260 files a page was most of an answer's time and allocation.
     */
    static Map<Long, byte[]> print(Connection db, String entryJson, String where, List<Object> parameters)
            throws SQLException {
        Map<Long, byte[]> entries = new HashMap<>();
        try (PreparedStatement query = CatalogSql.prepare(db, "SELECT m.rowid, " + entryJson + " FROM models m WHERE "
                + where, parameters); ResultSet row = query.executeQuery()) {
            while (row.next()) {
                entries.put(row.getLong(1), row.getBytes(2));
            }
        }
        return entries;
    }

    /**
     * The SQL expression of a model's catalog entry (alias {@code m}) as the catalog has it: the {@code models}
     * columns in docs/database.md's order, booleans as JSON booleans, {@code gated} as false or the gate's kind, the JSON
     * columns as JSON, and {@code files} (each without {@code model_id}, in the order the run wrote them). A column a
     * file written by an older version lacks is null ({@code size_source}: absent, as its catalog had it).
     */
    static String entryJson(Set<String> modelColumns, Set<String> fileColumns) {
        List<String> model = new ArrayList<>();
        for (CatalogTables.Column column : CatalogTables.MODELS) {
            String value = "m." + column.name();
            if (!modelColumns.contains(column.name())) {
                value = "NULL";
            } else if (column.name().equals("gated")) {
                // the Hub's value: false, or the kind of gate ("auto", "manual")
                value = "json(CASE WHEN m.gated IN ('true', 'false') THEN m.gated ELSE json_quote(m.gated) END)";
            } else {
                value = jsonValue(column, value);
            }
            model.add("'" + column.name() + "', " + value);
        }
        List<String> file = new ArrayList<>();
        for (CatalogTables.Column column : CatalogTables.FILES) {
            boolean present = fileColumns.contains(column.name());
            // size_source: an older catalog's files had no such key
            if (!column.name().equals("model_id") && (present || !column.name().equals("size_source"))) {
                file.add("'" + column.name() + "', " + (present ? jsonValue(column, "f." + column.name()) : "NULL"));
            }
        }
        String fileJson = "json_object(" + String.join(", ", file) + ")";
        // json(): a subquery's value loses its JSON type, and would be printed as a string
        model.add("'files', json((SELECT json_group_array(" + fileJson + " ORDER BY f.rowid) FROM files f"
                + " WHERE f.model_id = m.id))");
        return "json_object(" + String.join(", ", model) + ")";
    }

    private static String jsonValue(CatalogTables.Column column, String value) {
        return switch (column.kind()) {
            case TEXT, INTEGER, REAL -> value;
            case BOOLEAN -> "json(CASE WHEN " + value + " IS NULL THEN NULL WHEN " + value
                    + " THEN 'true' ELSE 'false' END)";
            // written by this product from the catalog's own JSON
            case JSON -> "json(" + value + ")";
        };
    }
}
