package io.hfsync.standin;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The {@code expand} parameter: which fields a listing item or a model-info answer carries. */
final class ExpandFields {

    /** Every value the Hub accepts for models; anything else is HTTP 400. */
    static final Set<String> ALLOWED = Set.of(
            "author", "baseModels", "cardData", "childrenModelCount", "config", "createdAt", "disabled",
            "downloads", "downloadsAllTime", "gated", "gguf", "gitalyUid", "inference",
            "inferenceProviderMapping", "lastModified", "library_name", "likes", "mask_token", "model-index",
            "pipeline_tag", "private", "resourceGroup", "safetensors", "sha", "siblings", "spaces", "tags",
            "transformersInfo", "trendingScore", "usedStorage", "widgetData", "xetEnabled");

    private ExpandFields() {
    }

    /**
     * The requested fields, in request order, from both spellings ({@code expand=a&expand=b} and
     * {@code expand[]=a}); empty when none was asked for.
     */
    static List<String> from(QueryParams params) {
        Set<String> fields = new LinkedHashSet<>();
        List<String> values = new ArrayList<>(params.all("expand"));
        values.addAll(params.all("expand[]"));
        for (String value : values) {
            if (!ALLOWED.contains(value)) {
                throw new HubError(400, "\"expand\" must be one of " + sorted(ALLOWED) + ", got \"" + value + "\"");
            }
            fields.add(value);
        }
        return List.copyOf(fields);
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
