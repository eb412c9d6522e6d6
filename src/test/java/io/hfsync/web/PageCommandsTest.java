package io.hfsync.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.HostProgram;
import io.hfsync.NeedsHostProgram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The page puts a repo id into its copy-paste commands (llama-server, ollama) only when it is an id as the Hub names
 * repos (docs/faults.md): an older catalog may hold any id. The page's own check, run by node from
 * the page's script as served.
 */
@NeedsHostProgram(HostProgram.NODE)
class PageCommandsTest {

    private static final Path APP_JS = Path.of("src/main/resources/hf-gguf-sync/web/app.js");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void should_put_only_hub_repo_ids_into_the_copy_paste_commands() throws Exception {
        List<String> safe = List.of("TheBloke/Llama-2-7B-GGUF", "unsloth/Qwen3-30B-A3B-Instruct-2507-GGUF", "a/b",
                "bartowski/gemma_2.b");
        List<String> refused = List.of("odd/$(reboot)-GGUF", "odd/a;b", "odd/Sp ace", "odd/Pipe|x", "odd/{x}",
                "odd/\u202Egguf.exe-GGUF", "odd/..", "../etc", "odd/a..b", "odd/Two--Dashes-GGUF", "no-owner-GGUF",
                "odd/`id`", "odd/x\ny", "o/n/x", "o/-n");
        Map<String, Boolean> expected = new LinkedHashMap<>();
        safe.forEach(id -> expected.put(id, true));
        refused.forEach(id -> expected.put(id, false));

        assertEquals(expected, pageSafeId(List.copyOf(expected.keySet())));
    }

    /** Runs the page's REPO_ID and safeId, as app.js declares them, on each id. */
    private static Map<String, Boolean> pageSafeId(List<String> ids) throws IOException, InterruptedException {
        String declarations = Files.readAllLines(APP_JS).stream()
                .filter(line -> line.startsWith("const REPO_ID = ") || line.startsWith("const safeId = "))
                .collect(Collectors.joining("\n"));
        assertEquals(2, declarations.lines().count(), "app.js declares REPO_ID and safeId on one line each");
        String script = declarations + "\nconst ids = JSON.parse(process.argv[1]);\n"
                + "process.stdout.write(JSON.stringify(Object.fromEntries(ids.map((id) => [id, safeId(id)]))));\n";
        Process node = new ProcessBuilder("node", "-e", script, JSON.writeValueAsString(ids))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        node.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, node.exitValue(), out);
        Map<String, Boolean> answers = new LinkedHashMap<>();
        JSON.readTree(out).fields().forEachRemaining(e -> answers.put(e.getKey(), e.getValue().asBoolean()));
        return answers;
    }
}
