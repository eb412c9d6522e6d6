package io.hfsync.events;

import java.util.Map;

/**
 * One change event: the JSON of docs/events.md as a map (the route marshals it) and the cursor that stands once it is
 * delivered.
 */
public record OutboxEvent(Map<String, Object> json, EventCursor after) {
}
