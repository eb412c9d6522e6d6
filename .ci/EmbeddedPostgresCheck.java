import io.hfsync.MachineServices;
import java.sql.*;

/** MachineServices' PostgreSQL fallback, as the tests call it, with the probed port closed: an embedded PostgreSQL. */
public class EmbeddedPostgresCheck {
    public static void main(String[] args) throws Exception {
        System.setProperty("hfsync.test.postgres-port", "9");
        MachineServices.Postgres pg = MachineServices.postgres();
        try (Connection admin = pg.admin(); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE fallback_check");
        }
        try (Connection db = DriverManager.getConnection(pg.url("fallback_check"), "postgres", "");
                Statement s = db.createStatement()) {
            s.execute("CREATE TABLE t (id int)");
            s.execute("INSERT INTO t VALUES (42)");
            ResultSet r = s.executeQuery("SELECT version(), (SELECT id FROM t)");
            r.next();
            System.out.println("embedded PostgreSQL on port " + pg.port() + ": " + r.getString(1) + " -> " + r.getInt(2));
        }
    }
}
