package io.hfsync.events;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The events' own JSON mapper (plain Jackson: events are maps, the cursor and change logs are read as trees). */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }
}
