package io.hfsync.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** The SQL the catalog's readers share: which files are weights, one number, a statement with its parameters. */
final class CatalogSql {

    /**
     * The weights files (alias {@code f}): those the filters, the size sort and the page index look at. A file with
     * no role is one, as an older catalog wrote it.
     */
    static final String WEIGHTS = "coalesce(f.role, 'weights') = 'weights'";
    static long single(Connection db, String sql) throws SQLException {
        return single(db, sql, List.of());
    }

    static long single(Connection db, String sql, List<Object> parameters) throws SQLException {
        try (PreparedStatement query = prepare(db, sql, parameters); ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    static PreparedStatement prepare(Connection db, String sql, List<Object> parameters) throws SQLException {
        PreparedStatement statement = db.prepareStatement(sql);
        for (int i = 0; i < parameters.size(); i++) {
            Object value = parameters.get(i);
            if (value instanceof String text) {
                statement.setString(i + 1, text);
            } else {
                statement.setLong(i + 1, ((Number) value).longValue());
            }
        }
        return statement;
    }

    private CatalogSql() {
    }
}
