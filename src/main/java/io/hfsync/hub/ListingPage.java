package io.hfsync.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One page of the Hub's model listing, read item by item so that one malformed item cannot sink the page: an item
 * that is not an object, whose {@code id} or {@code private} flag is unusable, is left out; any other field that
 * cannot be read (an impossible date, a number beyond {@code long}, a wrong JSON type, bytes that are not UTF-8) is
 * read as absent; a {@code null} inside a list is dropped. A page that is not a JSON array is no listing at all.
 *
 * @param models    the usable items, in page order
 * @param malformed one entry per item that needed a repair or was left out
 */
public record ListingPage(List<HubModel> models, List<Malformed> malformed) {

    /** What was wrong with one item; {@code id} is as sent (null when unknown), {@code skipped} if it was left out. */
    public record Malformed(String id, String problem, boolean skipped) {
    }

    /** The page is not a JSON array of items: the run cannot trust anything in it. */
    public static final class NotAListingException extends IOException {
        public NotAListingException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char REPLACEMENT = '\uFFFD';
    /** Fields whose loss would change what the catalog may contain: such an item is left out, not repaired. */
    private static final List<String> REQUIRED_INTACT = List.of("id", "private");
    private static final int MAX_REPAIRS = 32;

    public static ListingPage read(byte[] body) throws NotAListingException {
        String text = null;
        boolean notUtf8 = false;
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            // the bytes that are not UTF-8 become U+FFFD, and the fields holding one are read as absent
            text = new String(body, StandardCharsets.UTF_8);
            notUtf8 = true;
        }
        JsonNode page;
        try {
            page = text == null ? JSON.readTree(body) : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new NotAListingException("not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new NotAListingException("unreadable: " + e.getMessage(), e);
        }
        if (page == null || !page.isArray()) {
            throw new NotAListingException("not a JSON array but " + (page == null ? "nothing" : page.getNodeType()), null);
        }
        List<HubModel> models = new ArrayList<>(page.size());
        List<Malformed> malformed = new ArrayList<>();
        for (JsonNode item : page) {
            readItem(item, notUtf8, models, malformed);
        }
        return new ListingPage(models, malformed);
    }

    private static void readItem(JsonNode item, boolean notUtf8, List<HubModel> models, List<Malformed> malformed) {
        Item read = item(item, notUtf8);
        if (read.malformed() != null) {
            malformed.add(read.malformed());
        }
        if (read.model() != null) {
            models.add(read.model());
        }
    }

    /**
     * One model as the Hub sends it, a listing item or a detail answer (one item of the same shape): every field the
     * catalog keeps checked against its documented type ({@link HubFields}), a field that fails removed, then bound.
     *
     * @param model     the model, or null when the item was left out
     * @param malformed what was repaired or why it was left out, or null when nothing was wrong
     */
    public record Item(HubModel model, Malformed malformed) {
    }

    /** Reads one item; {@code notUtf8} says its text may hold U+FFFD for bytes that were not UTF-8. */
    public static Item item(JsonNode item, boolean notUtf8) {
        if (item == null || !item.isObject()) {
            return new Item(null, new Malformed(null, "item is " + (item == null ? "missing" : item.getNodeType())
                    + ", not an object", true));
        }
        ObjectNode fields = (ObjectNode) item;
        String id = fields.path("id").isValueNode() ? fields.path("id").asText() : null;
        List<String> problems = new ArrayList<>();
        if (notUtf8) {
            dropNotUtf8(fields, "", problems);
        }
        dropNullElements(fields, "", problems);
        HubFields.normalise(fields, problems);
        for (int attempt = 0; ; attempt++) {
            try {
                HubModel model = HubModel.READER.treeToValue(fields, HubModel.class);
                if (lostRequiredField(problems) != null) {
                    return new Item(null, new Malformed(id, String.join("; ", problems), true));
                }
                return new Item(model, problems.isEmpty() ? null : new Malformed(id, String.join("; ", problems), false));
            } catch (JsonMappingException e) {
                String path = pathOf(e);
                if (attempt >= MAX_REPAIRS || path == null || !drop(fields, e.getPath())) {
                    return new Item(null, new Malformed(id, "unreadable: " + e.getOriginalMessage(), true));
                }
                problems.add(path + " unreadable (" + firstLine(e.getOriginalMessage()) + ")");
            } catch (IOException | RuntimeException e) {
                return new Item(null, new Malformed(id, "unreadable: " + e.getMessage(), true));
            }
        }
    }

    private static String lostRequiredField(List<String> problems) {
        for (String problem : problems) {
            for (String field : REQUIRED_INTACT) {
                if (problem.startsWith(field + " ")) {
                    return field;
                }
            }
        }
        return null;
    }

    /** Text values that held bytes which are not UTF-8 are removed (a list element, or the field). */
    private static void dropNotUtf8(ContainerNode<?> node, String path, List<String> problems) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String where = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (field.getValue().isTextual() && field.getValue().textValue().indexOf(REPLACEMENT) >= 0) {
                    problems.add(where + " holds bytes that are not UTF-8");
                    it.remove();
                } else if (field.getValue() instanceof ContainerNode<?> inner) {
                    dropNotUtf8(inner, where, problems);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = array.size() - 1; i >= 0; i--) {
                JsonNode element = array.get(i);
                if (element.isTextual() && element.textValue().indexOf(REPLACEMENT) >= 0) {
                    problems.add(path + "[" + i + "] holds bytes that are not UTF-8");
                    array.remove(i);
                } else if (element instanceof ContainerNode<?> inner) {
                    dropNotUtf8(inner, path + "[" + i + "]", problems);
                }
            }
        }
    }

    /** {@code null} inside a list ({@code siblings}, {@code tags}) is no element. */
    private static void dropNullElements(ContainerNode<?> node, String path, List<String> problems) {
        if (node instanceof ObjectNode object) {
            object.fields().forEachRemaining(field -> {
                if (field.getValue() instanceof ContainerNode<?> inner) {
                    dropNullElements(inner, path.isEmpty() ? field.getKey() : path + "." + field.getKey(), problems);
                }
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = array.size() - 1; i >= 0; i--) {
                if (array.get(i).isNull()) {
                    problems.add(path + "[" + i + "] is null");
                    array.remove(i);
                } else if (array.get(i) instanceof ContainerNode<?> inner) {
                    dropNullElements(inner, path + "[" + i + "]", problems);
                }
            }
        }
    }

    /** Removes what the path points at: a field of an object, or an element of a list. */
    private static boolean drop(ObjectNode root, List<JsonMappingException.Reference> path) {
        JsonNode parent = root;
        for (int i = 0; i < path.size() - 1; i++) {
            JsonMappingException.Reference step = path.get(i);
            parent = step.getFieldName() != null ? parent.get(step.getFieldName()) : parent.get(step.getIndex());
            if (parent == null) {
                return false;
            }
        }
        JsonMappingException.Reference last = path.get(path.size() - 1);
        if (last.getFieldName() != null && parent instanceof ObjectNode object && object.has(last.getFieldName())) {
            object.remove(last.getFieldName());
            return true;
        }
        if (last.getFieldName() == null && parent instanceof ArrayNode array && last.getIndex() >= 0
                && last.getIndex() < array.size()) {
            array.remove(last.getIndex());
            return true;
        }
        return false;
    }

    private static String pathOf(JsonMappingException e) {
        if (e.getPath() == null || e.getPath().isEmpty()) {
            return null;
        }
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference step : e.getPath()) {
            if (step.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(step.getFieldName());
            } else {
                path.append('[').append(step.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.lines().findFirst().orElse("");
        return line.length() > 120 ? line.substring(0, 120) + "…" : line;
    }

    /** An id as it may appear in a log line: no control or format characters (they could forge lines), at most 200. */
    public static String sanitise(String id) {
        if (id == null) {
            return "(no id)";
        }
        StringBuilder out = new StringBuilder(Math.min(id.length(), 200));
        id.codePoints().limit(200).forEach(c -> {
            int type = Character.getType(c);
            boolean unsafe = Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR;
            out.appendCodePoint(unsafe ? '?' : c);
        });
        return id.codePointCount(0, id.length()) > 200 ? out + "…" : out.toString();
    }
}
