package io.hfsync.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hfsync.database.CatalogReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@code routes/web.camel.yaml} answers (docs/browser.md): the JSON API over {@link CatalogReader} and the page's
 * files from the jar. Read-only: nothing here starts a sync or writes a file. Each method returns the answer's body or
 * throws what the routes map to a status: {@link BadParameterException} (400), {@link NotFoundException} (404),
 * {@link io.hfsync.database.CatalogMissingException} (503 while no catalog has been published).
 */
public final class CatalogApi {

    /** The runs the status panel charts. */
    public static final int RUNS_SHOWN = 30;
    private static final String ASSETS = "hf-gguf-sync/web/";
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CatalogReader reader;
    private final String hubUrl;
    private final Map<String, Optional<Asset>> assets = new ConcurrentHashMap<>();

    /** @param hubUrl where the download links point: {@code {hubUrl}/{id}/resolve/main/{name}} */
    public CatalogApi(CatalogReader reader, String hubUrl) {
        this.reader = reader;
        this.hubUrl = hubUrl.endsWith("/") ? hubUrl.substring(0, hubUrl.length() - 1) : hubUrl;
    }

    /**
     * {@code GET /api/models}: one page of catalog entries.
     *
     * @param rawQuery the URL's query string as sent (percent-encoded), or null: every parameter is checked here,
     *                 including the ones not declared (unknown or repeated ones are a 400 too)
     */
    public byte[] models(String rawQuery) {
        ModelQuery query = ModelQuery.parse(rawQuery);
        return reader.models(query.filter(), query.sort(), query.page(), query.pageSize());
    }

    /** From a timer: reads a newly published catalog file's page index before the first question needs it. */
    public void readAhead() {
        reader.readAhead();
    }

    /** {@code GET /api/models/{owner}/{name}}: one catalog entry. */
    public byte[] model(String owner, String name) {
        String id = owner + "/" + name;
        return reader.model(id).orElseThrow(() -> new NotFoundException("no model " + id + " in the catalog"));
    }

    /** {@code GET /api/runs}: the last 30 sync_runs rows, newest first. */
    public byte[] runs() {
        return reader.runs(RUNS_SHOWN);
    }

    /** {@code GET /api/filters}: what the page's filters offer, and where downloads come from. */
    public byte[] filters() throws IOException {
        ObjectNode facets = (ObjectNode) JSON.readTree(reader.facets());
        facets.put("hub_url", hubUrl);
        return JSON.writeValueAsBytes(facets);
    }

    /**
     * {@code GET /} ({@code index.html}) and {@code GET /static/{file}}: one of the page's files shipped in the jar.
     * Only a plain name of a shipped file is served: no path, nothing from the working directory.
     */
    public Asset asset(String name) {
        Optional<Asset> asset = name != null && name.matches("[a-z]+\\.(html|js|css|svg)")
                ? assets.computeIfAbsent(name, CatalogApi::load) : Optional.empty();
        return asset.orElseThrow(() -> new NotFoundException("not found"));
    }

    /** The body of every error answer: {@code {"error": message}}. */
    public static byte[] error(String message) {
        return JSON.createObjectNode().put("error", message).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A file of the page and the Content-Type it is served with. */
    public record Asset(byte[] content, String contentType) {
    }

    private static Optional<Asset> load(String name) {
        try (InputStream in = CatalogApi.class.getClassLoader().getResourceAsStream(ASSETS + name)) {
            return in == null ? Optional.empty() : Optional.of(new Asset(in.readAllBytes(),
                    CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
