package io.hfsync.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A minimal Hub client for the tests: GET over loopback, JSON bodies, Link paging. */
final class HubHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One answer: status, headers and raw body. */
    record Answer(int status, HttpResponse<String> response) {

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        String body() {
            return response.body();
        }

        JsonNode json() {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + response.body(), e);
            }
        }

        /** The {@code rel="next"} URL, or null on the last page. */
        String next() {
            String link = header("Link");
            if (link == null) {
                return null;
            }
            Matcher matcher = NEXT_LINK.matcher(link);
            return matcher.find() ? matcher.group(1) : null;
        }
    }

    Answer get(String url) throws IOException, InterruptedException {
        return get(url, null);
    }

    Answer get(String url, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response);
    }

    /** Every item of every page, following Link to the end; fails on any non-200 page. */
    List<JsonNode> listAll(String firstUrl) throws IOException, InterruptedException {
        List<JsonNode> items = new ArrayList<>();
        String url = firstUrl;
        while (url != null) {
            Answer page = get(url);
            if (page.status() != 200) {
                throw new AssertionError("page " + url + " answered " + page.status() + ": " + page.body());
            }
            page.json().forEach(items::add);
            url = page.next();
        }
        return items;
    }

    HttpClient client() {
        return client;
    }
}
