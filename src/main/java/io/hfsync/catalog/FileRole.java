package io.hfsync.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a {@code .gguf} file of a repo is (docs/files.md), read from its name: a quantisation of the model, a vision
 * projector, an importance matrix, or something else (a LoRA adapter, a control vector, a vocabulary-only file).
 */
public enum FileRole {
    WEIGHTS, MMPROJ, IMATRIX, OTHER;

    /** Files that ship beside a model but are not one; a merged LoRA is weights ("...-lora-merged-Q4_K_M"). */
    private static final Pattern NOT_A_MODEL = Pattern.compile(
            "(?<![a-z])(?:lora|adapter|vocab|control[-_]?vectors?)(?![a-z])");

    public static FileRole of(String path) {
        String name = path.toLowerCase(Locale.ROOT);
        if (name.contains("mmproj")) {
            return MMPROJ;
        }
        String fileName = name.substring(name.lastIndexOf('/') + 1);
        // an imatrix names no quantisation of its own ("Model.imatrix.gguf", "imatrix.gguf") unless it starts
        // with the word ("imatrix-Model-Q8_0.gguf": computed on Q8_0); "Model-Q4_K_M-imatrix.gguf" is weights
        if (name.contains("imatrix") && (fileName.startsWith("imatrix") || Quantization.of(fileName) == null)) {
            return IMATRIX;
        }
        if (NOT_A_MODEL.matcher(name).find() && !name.contains("merge")) {
            return OTHER;
        }
        return WEIGHTS;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Lenient: a value this version does not know reads as null (and is derived again from the name). */
    @JsonCreator
    public static FileRole fromWireName(String value) {
        for (FileRole role : values()) {
            if (role.wireName().equals(value)) {
                return role;
            }
        }
        return null;
    }
}
