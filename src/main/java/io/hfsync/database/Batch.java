package io.hfsync.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A prepared statement executed every {@value #BATCH} rows, for both databases ({@link CatalogDiff}). Batches it
 * {@link #after depends on} are executed first each time, so a file row never reaches the database before its model's
 * row or its model's old files' delete.
 */
final class Batch {

    private static final int BATCH = 1_000;

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private final PreparedStatement statement;
    private final List<Batch> predecessors = new ArrayList<>();
    private int pending;
    private long rows;

    Batch(Connection db, String sql) throws SQLException {
        this.statement = db.prepareStatement(sql);
    }

    void add(Binder binder) throws SQLException {
        binder.bind(statement);
        statement.addBatch();
        if (++pending == BATCH) {
            flush();
        }
    }

    Batch after(Batch... batches) {
        predecessors.addAll(List.of(batches));
        return this;
    }

    long rows() {
        return rows;
    }

    void flush() throws SQLException {
        for (Batch predecessor : predecessors) {
            predecessor.flush();
        }
        if (pending > 0) {
            for (int count : statement.executeBatch()) {
                rows += Math.max(count, 0);
            }
            pending = 0;
        }
    }

    /** Closes the statement without executing what is pending (the transaction is committed or rolled back). */
    void closeStatement() throws SQLException {
        statement.close();
    }
}
