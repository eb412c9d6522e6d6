package io.hfsync.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hfsync.database.CatalogReader;
import io.hfsync.database.CatalogReader.CatalogMissingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code routes/web.camel.yaml} answers (docs/browser.md): the JSON API over {@link CatalogReader} and the page's static
 * files from the jar. Read-only: nothing here starts a sync or writes a file. Errors are JSON too: 400 for a bad
 * parameter, 404 for an unknown model, 503 while no catalog has been published.
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
    /** The page's own files only (no inline script or style, no other host), never inside another site's frame. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";
    private static final Logger LOG = LoggerFactory.getLogger(CatalogApi.class);

    private final CatalogReader reader;
    private final String hubUrl;
    private final Map<String, Optional<byte[]>> assets = new ConcurrentHashMap<>();

    /** @param hubUrl where the download links point: {@code {hubUrl}/{id}/resolve/main/{name}} */
    public CatalogApi(CatalogReader reader, String hubUrl) {
        this.reader = reader;
        this.hubUrl = hubUrl.endsWith("/") ? hubUrl.substring(0, hubUrl.length() - 1) : hubUrl;
    }

    /** {@code GET /api/models?q=&quantization=&architecture=&max_size_gb=&gated=&sort=&page=&page_size=} */
    public void models(Exchange exchange) {
        String query = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        respond(exchange, () -> {
            ModelQuery parsed = ModelQuery.parse(query);
            return Optional.of(reader.models(parsed.filter(), parsed.sort(), parsed.page(), parsed.pageSize()));
        }, "");
    }

    /** From a timer: reads a newly published catalog file's page index before the first question needs it. */
    public void readAhead() {
        reader.readAhead();
    }

    /** {@code GET /api/models/{owner}/{name}}: one catalog entry or 404. */
    public void model(Exchange exchange) {
        String id = exchange.getMessage().getHeader("owner", String.class) + "/"
                + exchange.getMessage().getHeader("name", String.class);
        respond(exchange, () -> reader.model(id), "no model " + id + " in the catalog");
    }

    /** {@code GET /api/runs}: the last 30 sync_runs rows, newest first. */
    public void runs(Exchange exchange) {
        respond(exchange, () -> Optional.of(reader.runs(RUNS_SHOWN)), "");
    }

    /** {@code GET /api/filters}: what the page's filters offer, and where downloads come from. */
    public void filters(Exchange exchange) {
        respond(exchange, () -> {
            try {
                ObjectNode facets = (ObjectNode) JSON.readTree(reader.facets());
                facets.put("hub_url", hubUrl);
                return Optional.of(JSON.writeValueAsBytes(facets));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "");
    }

    /** {@code GET /}: the page. */
    public void page(Exchange exchange) {
        asset(exchange, "index.html");
    }

    /** {@code GET /static/{file}}: the page's scripts and styles. */
    public void staticFile(Exchange exchange) {
        asset(exchange, exchange.getMessage().getHeader("file", "", String.class));
    }

    /** The page and its files, from the jar; {@code name} is one of the files shipped, nothing else is served. */
    private void asset(Exchange exchange, String name) {
        Optional<byte[]> content = name.matches("[a-z]+\\.(html|js|css|svg)") ? assets.computeIfAbsent(name, this::load)
                : Optional.empty();
        Message message = clear(exchange);
        if (content.isEmpty()) {
            error(message, 404, "not found");
            return;
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        message.setHeader("Cache-Control", "no-cache");
        message.setBody(content.get());
    }

    private Optional<byte[]> load(String name) {
        try (InputStream in = CatalogApi.class.getClassLoader().getResourceAsStream(ASSETS + name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void respond(Exchange exchange, Supplier<Optional<byte[]>> answer, String notFound) {
        Message message = clear(exchange);
        try {
            Optional<byte[]> body = answer.get();
            if (body.isEmpty()) {
                error(message, 404, notFound);
                return;
            }
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            message.setHeader("Cache-Control", "no-cache");
            message.setBody(body.get());
        } catch (BadRequestException e) {
            error(message, 400, e.getMessage());
        } catch (CatalogMissingException e) {
            LOG.debug("Catalog page: {}", e.getMessage());
            error(message, 503, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Catalog page: {} failed", exchange.getFromRouteId(), e);
            error(message, 500, "internal error (logged by the server)");
        }
    }

    /**
     * Nothing of the request (its headers, its query parameters) goes back in the response; every answer says what it
     * is (no sniffing), that only this server's files may run in the page, and that no other site may frame it.
     */
    private static Message clear(Exchange exchange) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(null);
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        message.setHeader("X-Frame-Options", "DENY");
        message.setHeader("Referrer-Policy", "no-referrer");
        return message;
    }

    private static void error(Message message, int status, String error) {
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader("Cache-Control", "no-cache");
        ObjectNode body = JSON.createObjectNode().put("error", error);
        message.setBody(body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
