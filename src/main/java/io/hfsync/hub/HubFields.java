package io.hfsync.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hfsync.catalog.Times;
import java.time.DateTimeException;
import java.util.List;
import java.util.Set;

/**
 * Every field of a Hub model that the catalog keeps (or derives from), checked against the type HUB_API.md documents
 * for it before anything is bound: a field of another type is a malformed field, removed from the item and named in
 * {@code problems}. Only documented shapes pass, so what reaches the catalog is as shallow and as typed as the
 * Hub's own answers; fields the catalog does not keep are left alone (they are never bound, and
 * {@code gguf.chat_template} is only searched for the capabilities it names, whatever JSON it is). docs/faults.md
 * lists what is refused.
 */
final class HubFields {

    private static final List<String> TEXT = List.of("author", "sha", "pipeline_tag", "library_name");
    private static final List<String> DATES = List.of("lastModified", "createdAt");
    private static final List<String> INTEGERS = List.of("downloads", "likes");
    private static final List<String> GGUF_INTEGERS = List.of("total", "context_length", "totalFileSize");
    /** {@code gated} is {@code false}, {@code "auto"} or {@code "manual"} (HUB_API.md); older answers said {@code true}. */
    private static final Set<String> GATES = Set.of("auto", "manual");

    /**
     * Bounds on what one model may keep, far above any real repo's and low enough that a model stays well under the
     * 16 MB a catalog entry may take (CatalogSpool): tags, files, and the length of each text.
     */
    static final int MAX_TAGS = 1_000;
    static final int MAX_SIBLINGS = 10_000;
    static final int MAX_TEXT = 256;
    static final int MAX_PATH = 512;

    private HubFields() {
    }

    static void normalise(ObjectNode item, List<String> problems) {
        keepIf(item, "id", value -> value.isTextual() && RepoIds.isValid(value.textValue()),
                "is not a Hub repo id (owner/name of letters, digits, -, _ and .)", problems);
        for (String field : TEXT) {
            keepIf(item, field, value -> value.isTextual() && value.textValue().length() <= MAX_TEXT,
                    "is not text of at most " + MAX_TEXT + " characters", problems);
        }
        for (String field : DATES) {
            keepIf(item, field, value -> value.isTextual() && isDate(value.textValue()), "is not a date", problems);
        }
        for (String field : INTEGERS) {
            keepIf(item, field, HubFields::isLong, "is not an integer within long", problems);
        }
        keepIf(item, "private", JsonNode::isBoolean, "is not true or false", problems);
        keepIf(item, "gated", value -> value.isBoolean() || value.isTextual() && GATES.contains(value.textValue()),
                "is not false, \"auto\" or \"manual\"", problems);
        if (keepIf(item, "tags", JsonNode::isArray, "is not a list", problems)) {
            ArrayNode tags = (ArrayNode) item.get("tags");
            keepElements(tags, "tags", value -> value.isTextual() && value.textValue().length() <= MAX_TEXT,
                    "is not text of at most " + MAX_TEXT + " characters", problems);
            if (tags.size() > MAX_TAGS) {
                problems.add("tags holds " + tags.size() + " entries: the first " + MAX_TAGS + " kept");
                while (tags.size() > MAX_TAGS) {
                    tags.remove(tags.size() - 1);
                }
            }
        }
        // a repo's files cannot be cut short (sizes, split sets would be wrong): too many, and they are unknown
        keepIf(item, "siblings", value -> !value.isArray() || value.size() <= MAX_SIBLINGS,
                "holds more than " + MAX_SIBLINGS + " files", problems);
        if (keepIf(item, "siblings", JsonNode::isArray, "is not a list", problems)) {
            ArrayNode siblings = (ArrayNode) item.get("siblings");
            for (int i = siblings.size() - 1; i >= 0; i--) {
                if (siblings.get(i).isObject() && siblings.get(i).path("rfilename").isTextual()
                        && siblings.get(i).path("rfilename").textValue().length() <= MAX_PATH
                        && RepoIds.isRepoPath(siblings.get(i).path("rfilename").textValue())) {
                    sibling((ObjectNode) siblings.get(i), "siblings[" + i + "]", problems);
                } else {
                    problems.add("siblings[" + i + "] is not a file with a relative rfilename");
                    siblings.remove(i);
                }
            }
        }
        if (keepIf(item, "gguf", JsonNode::isObject, "is not an object", problems)) {
            ObjectNode gguf = (ObjectNode) item.get("gguf");
            for (String field : GGUF_INTEGERS) {
                keepIf(gguf, field, HubFields::isLong, "is not an integer within long", problems, "gguf.");
            }
            keepIf(gguf, "architecture", value -> value.isTextual() && value.textValue().length() <= MAX_TEXT,
                    "is not text of at most " + MAX_TEXT + " characters", problems, "gguf.");
        }
    }

    private static void sibling(ObjectNode sibling, String path, List<String> problems) {
        keepIf(sibling, "size", HubFields::isLong, "is not an integer within long", problems, path + ".");
        if (keepIf(sibling, "lfs", JsonNode::isObject, "is not an object", problems, path + ".")) {
            keepIf((ObjectNode) sibling.get("lfs"), "size", HubFields::isLong, "is not an integer within long",
                    problems, path + ".lfs.");
        }
    }

    private static boolean keepIf(ObjectNode object, String field, java.util.function.Predicate<JsonNode> documented,
            String problem, List<String> problems) {
        return keepIf(object, field, documented, problem, problems, "");
    }

    /** True when the field is there with its documented type; removed (and named) when it is there with another. */
    private static boolean keepIf(ObjectNode object, String field, java.util.function.Predicate<JsonNode> documented,
            String problem, List<String> problems, String prefix) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (documented.test(value)) {
            return true;
        }
        object.remove(field);
        problems.add(prefix + field + " " + problem);
        return false;
    }

    private static void keepElements(ArrayNode array, String path, java.util.function.Predicate<JsonNode> documented,
            String problem, List<String> problems) {
        for (int i = array.size() - 1; i >= 0; i--) {
            if (!documented.test(array.get(i))) {
                problems.add(path + "[" + i + "] " + problem);
                array.remove(i);
            }
        }
    }

    private static boolean isLong(JsonNode value) {
        return value.isIntegralNumber() && value.canConvertToLong();
    }

    private static boolean isDate(String text) {
        try {
            Times.parse(text);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
