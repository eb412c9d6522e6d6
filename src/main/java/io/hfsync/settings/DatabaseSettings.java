package io.hfsync.settings;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where the catalog goes besides {@code gguf_models.json} (docs/database.md): the SQLite file (on unless turned off) and an
 * optional PostgreSQL database. The keys are optional, so a host application that embeds the routes need not define
 * them. The password is a secret: it never appears in a log line, including this record's own toString.
 */
public record DatabaseSettings(boolean sqlite, String url, String user, String password) {

    private static final Pattern USER_INFO = Pattern.compile("//[^/@?]*@");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&]*");
    public static final DatabaseSettings DEFAULT = new DatabaseSettings(true, "", "", "");

    public static DatabaseSettings read(Function<String, Optional<String>> lookup) {
        SyncSettings.Reader r = new SyncSettings.Reader(lookup);
        boolean sqlite = lookup.apply("sync.sqlite").isEmpty() ? DEFAULT.sqlite() : r.bool("sync.sqlite");
        String url = r.text("sync.database.url", "").trim();
        if (!url.isEmpty() && !url.startsWith("jdbc:postgresql://")) {
            throw new InvalidSettingException("sync.database.url", masked(url),
                    "expected a PostgreSQL JDBC URL such as jdbc:postgresql://db:5432/catalog, or empty for none");
        }
        return new DatabaseSettings(sqlite, url, r.text("sync.database.user", "").trim(),
                r.text("sync.database.password", ""));
    }

    /** A database URL as logs and messages show it: a password in it (user:password@ or password=) as ***. */
    public static String masked(String url) {
        return PASSWORD_PARAMETER.matcher(USER_INFO.matcher(url).replaceAll("//***@")).replaceAll("$1***");
    }

    public boolean postgresql() {
        return !url.isEmpty();
    }

    @Override
    public String toString() {
        return "DatabaseSettings[sqlite=" + sqlite + ", postgresql=" + (postgresql() ? "on" : "off") + ", password="
                + (password.isEmpty() ? "none" : "set") + "]";
    }
}
