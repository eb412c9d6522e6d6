package io.hfsync.database;

import io.hfsync.store.CatalogIndex;
import io.hfsync.settings.DatabaseSettings;
import io.hfsync.database.CatalogTables.Dialect;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog in PostgreSQL (docs/database.md), for platforms: the same tables as SQLite, full-text search as a generated
 * {@code tsvector} column with a GIN index, created if missing.
 *
 * <p>Each run writes the difference between {@code gguf_models.json} and what the database holds, in one transaction
 * ({@link CatalogDiff}), so a 0.5 % day touches about 0.5 % of the rows and a database that missed runs is brought
 * level by the next one. The run's {@code sync_runs} row is written by camel-sql, through {@link #dataSource()}.
 */
public final class PostgresCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresCatalog.class);

    private final DataSource dataSource;
    private final String name;
    private final Path catalog;

    /** {@code settings} with an empty URL: a catalog that is never written (the routes skip it). */
    public PostgresCatalog(DatabaseSettings settings, Path dataDir) {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        if (settings.postgresql()) {
            pg.setUrl(settings.url());
        }
        if (!settings.user().isEmpty()) {
            pg.setUser(settings.user());
        }
        if (!settings.password().isEmpty()) {
            pg.setPassword(settings.password());
        }
        pg.setApplicationName("hf-gguf-sync");
        // an unreachable database fails the run in seconds, not after the operating system's TCP timeout
        pg.setConnectTimeout(10);
        pg.setLoginTimeout(10);
        this.dataSource = pg;
        this.name = describe(settings.url(), settings.user());
        this.catalog = dataDir.resolve(CatalogFile.NAME);
    }

    public String name() {
        return name;
    }

    /** How logs and error messages name the database: URL and user, never the password. */
    public static String describe(String url, String user) {
        return DatabaseSettings.masked(url) + (user.isEmpty() ? "" : " (user " + user + ")");
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Creates the tables if missing and adds columns a newer version has (both paths: sync_runs must exist). */
    public void prepare() {
        try (Connection db = connect(); Statement ddl = db.createStatement()) {
            db.setAutoCommit(false);
            // two replicas preparing at once must not race on CREATE TABLE IF NOT EXISTS
            ddl.execute("SELECT pg_advisory_xact_lock(hashtext('hf-gguf-sync catalog schema'))");
            for (String statement : CatalogTables.createStatements(Dialect.POSTGRESQL)) {
                ddl.execute(statement);
            }
            for (String statement : CatalogTables.addMissingColumns()) {
                ddl.execute(statement);
            }
            for (String statement : CatalogTables.indexStatements(Dialect.POSTGRESQL)) {
                ddl.execute(statement);
            }
            db.commit();
        } catch (SQLException e) {
            throw failure("cannot be prepared", e);
        }
    }

    /** {@link #applyChanges(CatalogIndex)} without the writer's index: the catalog is read back from its file. */
    public CatalogDiff.Changes applyChanges() throws IOException {
        return applyChanges(null);
    }

    /**
     * A run that wrote the catalog: bring the database level with it, in one transaction (see CatalogDiff).
     *
     * @param index what the catalog writer recorded while it printed this run's catalog, or null
     */
    public CatalogDiff.Changes applyChanges(CatalogIndex index) throws IOException {
        long started = System.nanoTime();
        CatalogDiff.Changes changes;
        try (Connection db = connect()) {
            db.setAutoCommit(false);
            changes = CatalogDiff.apply(db, Dialect.POSTGRESQL, catalog, index, HeldHashes.fromRows(db));
            db.commit();
        } catch (SQLException e) {
            throw failure("cannot be written", e);
        }
        LOG.info("PostgreSQL catalog {}: {} in {} s", name, changes, Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        return changes;
    }

    private Connection connect() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw failure("cannot be reached", e);
        }
    }

    private CatalogDatabaseException failure(String what, SQLException cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getMessage().lines().findFirst().orElse("");
        return new CatalogDatabaseException("PostgreSQL catalog database " + name + " " + what + ": " + reason, cause);
    }
}
