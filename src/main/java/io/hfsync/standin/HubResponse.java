package io.hfsync.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An answer to send: status, headers and body bytes. */
record HubResponse(int status, Map<String, String> headers, byte[] body) {

    static final String JSON_TYPE = "application/json; charset=utf-8";

    static HubResponse json(int status, JsonNode body) {
        return new HubResponse(status, jsonHeaders(), body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static HubResponse error(int status, String message) {
        ObjectNode body = ModelJson.MAPPER.createObjectNode();
        body.put("error", message);
        return json(status, body);
    }

    /** The same answer with one more header (or a replaced one). */
    HubResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HubResponse(status, more, body);
    }

    private static Map<String, String> jsonHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", JSON_TYPE);
        return headers;
    }
}
