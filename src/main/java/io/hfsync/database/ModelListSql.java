package io.hfsync.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The model list as plain SQL (docs/browser.md): a filter's WHERE clause, a full-text search's models, and the
 * counting and sorting queries the {@link ModelIndex} is compared with (CatalogReaderPlansIT). Every value a user sends
 * is bound as a parameter; the SQL text is chosen from fixed fragments only.
 */
final class ModelListSql {

    /** The WHERE clause of a filter and its parameters, in order. */
    private record Where(String sql, List<Object> parameters) {
    }

    private static Where where(ModelFilter filter, boolean aligned) {
        List<String> clauses = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        if (filter.match() != null) {
            // SqliteCatalog fills models_fts in the order of models, in a new file: the same rowids, a cheaper join
            // than by id (checked once per file, see FileGeneration#ftsAligned)
            clauses.add(aligned ? "m.rowid IN (SELECT rowid FROM models_fts WHERE models_fts MATCH ?)"
                    : "m.id IN (SELECT id FROM models_fts WHERE models_fts MATCH ?)");
            parameters.add(filter.match());
        }
        if (filter.architecture() != null) {
            clauses.add("m.architecture = ?");
            parameters.add(filter.architecture());
        }
        if (filter.gated() != null) {
            if (filter.gated().equals("true")) {
                clauses.add("m.gated IS NOT NULL AND m.gated <> ?");
                parameters.add("false");
            } else {
                clauses.add("m.gated = ?");
                parameters.add(filter.gated());
            }
        }
        if (filter.filtersFiles()) {
            Where files = fileConditions(filter);
            clauses.add("EXISTS (SELECT 1 FROM files f WHERE f.model_id = m.id AND " + files.sql() + ")");
            parameters.addAll(files.parameters());
        }
        return new Where(clauses.isEmpty() ? "1" : String.join(" AND ", clauses), parameters);
    }

    /** The weights files a filter looks at: of its quantization, at most its size (a size must then be known). */
    private static Where fileConditions(ModelFilter filter) {
        List<String> clauses = new ArrayList<>(List.of(CatalogSql.WEIGHTS));
        List<Object> parameters = new ArrayList<>();
        if (filter.quantization() != null) {
            clauses.add("f.quantization = ?");
            parameters.add(filter.quantization());
        }
        if (filter.maxSizeBytes() != null) {
            clauses.add("f.size <= ?");
            parameters.add(filter.maxSizeBytes());
        }
        if (filter.fitsBytes() != null) {
            clauses.add("EXISTS (SELECT 1 FROM json_each(f.memory) e WHERE json_extract(e.value, '$.context') = ?"
                    + " AND json_extract(e.value, '$.total') <= ?)");
            parameters.add(filter.context());
            parameters.add(filter.fitsBytes());
        }
        return new Where(String.join(" AND ", clauses), parameters);
    }

    private static final ModelFilter NO_FILTER = new ModelFilter(null, null, null, null, null);

    /** A full-text search's matching models, as rowids. */
    static List<Long> searchRowids(Connection db, FileGeneration generation, String match) throws SQLException {
        // SqliteCatalog fills models_fts in the order of models, in a new file: the same rowids (FileGeneration#ftsAligned)
        String sql = generation.ftsAligned(db) ? "SELECT rowid FROM models_fts WHERE models_fts MATCH ?"
                : "SELECT m.rowid FROM models m WHERE m.id IN (SELECT id FROM models_fts WHERE models_fts MATCH ?)";
        List<Long> rowids = new ArrayList<>();
        try (PreparedStatement query = CatalogSql.prepare(db, sql, List.of(match)); ResultSet row = query.executeQuery()) {
            while (row.next()) {
                rowids.add(row.getLong(1));
            }
        }
        return rowids;
    }

    /** How many models a filter keeps, by SQL (the reference {@link ModelIndex} is compared with). */
    static long count(Connection db, FileGeneration generation, ModelFilter filter) throws SQLException {
        if (filter.equals(NO_FILTER)) {
            return CatalogSql.single(db, "SELECT count(*) FROM models");
        }
        Where where = where(filter, generation.ftsAligned(db));
        return CatalogSql.single(db, "SELECT count(*) FROM models m WHERE " + where.sql(), where.parameters());
    }

    /** A page of the model list by the plain sorting query (the reference {@link ModelIndex} is compared with). */
    static List<Long> sortedPage(Connection db, FileGeneration generation, ModelFilter filter, Sort sort,
            long offset, int limit) throws SQLException {
        Where where = where(filter, generation.ftsAligned(db));
        List<Object> parameters = new ArrayList<>(where.parameters());
        String order;
        if (sort == Sort.SIZE) {
            // each model's largest weights file that passes the filters; models with none of a known size last
            Where files = fileConditions(filter);
            order = "(SELECT max(f.size) FROM files f WHERE f.model_id = m.id AND " + files.sql() + ") DESC NULLS LAST";
            parameters.addAll(files.parameters());
        } else {
            order = "m." + sort.column + " DESC";
        }
        parameters.add(limit);
        parameters.add(offset);
        List<Long> rowids = new ArrayList<>(limit);
        try (PreparedStatement query = CatalogSql.prepare(db, "SELECT m.rowid FROM models m WHERE " + where.sql() + " ORDER BY "
                + order + ", m.rowid LIMIT ? OFFSET ?", parameters); ResultSet row = query.executeQuery()) {
            while (row.next()) {
                rowids.add(row.getLong(1));
            }
        }
        return rowids;
    }
}
