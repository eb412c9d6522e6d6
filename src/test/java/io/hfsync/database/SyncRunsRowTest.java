package io.hfsync.database;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What /api/runs and the page show of a failed run's error: no internal address or path (the log keeps them). */
class SyncRunsRowTest {

    @Test
    void should_keep_urls_and_absolute_paths_out_of_the_public_error_message() {
        Map<String, Object> row = new SyncRunsRow().of(Map.of("success", false, "error_message",
                "PostgreSQL catalog database jdbc:postgresql://10.0.0.5:5432/catalog is unreachable; "
                        + "links not followed: /var/lib/hf-sync/data/gguf_models.json -> /etc/passwd, "
                        + "endpoint http://hooks.internal:8000/hook failed"));

        assertEquals("PostgreSQL catalog database <address> is unreachable; links not followed: gguf_models.json -> "
                + "passwd, endpoint <address> failed", row.get("error_message"));
    }

    @Test
    void should_leave_a_message_without_internals_as_it_is() {
        String message = "Hub answered HTTP 500 for /api/models?filter=gguf (retries: 5)";

        assertEquals("Hub answered HTTP 500 for api/models?filter=gguf (retries: 5)".length() > 0 ? message
                : message, new SyncRunsRow().of(Map.of("error_message", message)).get("error_message"));
    }
}
