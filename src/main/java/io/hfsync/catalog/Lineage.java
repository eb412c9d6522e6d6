package io.hfsync.catalog;

import java.util.List;

/** Where a repo comes from and under which licence, as its Hub tags say (docs/files.md). */
public final class Lineage {

    private static final String BASE_MODEL = "base_model:";
    private static final String QUANTIZED = BASE_MODEL + "quantized:";
    private static final String LICENSE = "license:";

    private Lineage() {
    }

    /**
     * The repo that {@code base_model:quantized:<id>} names, else the plain {@code base_model:<id>}; never the other
     * relations ({@code base_model:finetune:}, {@code :adapter:}, {@code :merge:}), which name a grandparent.
     */
    public static String baseModel(List<String> tags) {
        String plain = null;
        if (tags == null) {
            return null;
        }
        for (String tag : tags) {
            if (tag == null || !tag.startsWith(BASE_MODEL)) {
                continue;
            }
            if (tag.startsWith(QUANTIZED) && tag.length() > QUANTIZED.length()) {
                return tag.substring(QUANTIZED.length());
            }
            String rest = tag.substring(BASE_MODEL.length());
            // a repo id holds no colon; "finetune:<id>" and the like are relations
            if (plain == null && !rest.isEmpty() && rest.indexOf(':') < 0) {
                plain = rest;
            }
        }
        return plain;
    }

    /** The licence the {@code license:<name>} tag names. */
    public static String license(List<String> tags) {
        if (tags == null) {
            return null;
        }
        for (String tag : tags) {
            if (tag != null && tag.startsWith(LICENSE) && tag.length() > LICENSE.length()) {
                return tag.substring(LICENSE.length());
            }
        }
        return null;
    }
}
