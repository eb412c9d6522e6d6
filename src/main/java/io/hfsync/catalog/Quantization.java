package io.hfsync.catalog;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The quantisation type named in a GGUF file name (llama.cpp's ggml types): Q2_K … Q8_0, the K-quant size suffixes
 * (unsloth's {@code UD-Q4_K_XL} reads as Q4_K_XL), IQ*_* i-quants, ternary TQ*, MXFP4, F16, BF16, F32, and
 * ik_llama.cpp's IQ*_K / IQ*_KS / IQ*_KT types and {@code _R4}/{@code _R8} repacked variants (ubergarm's repos).
 * Null when the name carries none.
 */
public final class Quantization {

    // Bounded by anything but a letter or digit, so "bf16" is not read as F16 and "q4_k_m" matches whole.
    private static final Pattern TYPE = Pattern.compile(
            "(?<![A-Za-z0-9])("
                    + "I?Q[1-8]_(?:K(?:_(?:XXS|XS|S|M|L|XL)|SS?|T|L)?|[0-9](?:_[0-9]+)*|XXS|XS|S|M|L|XL|NL)(?:_R(?:4|8|16))?"
                    + "|TQ[12]_0|MXFP4(?:_MOE)?|BF16|FP16|FP32|F16|F32"
                    + ")(?![A-Za-z0-9])",
            Pattern.CASE_INSENSITIVE);

    private Quantization() {
    }

    public static String of(String path) {
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        String found = lastMatch(fileName);
        if (found == null && fileName.length() != path.length()) {
            found = lastMatch(path.substring(0, path.length() - fileName.length()));
        }
        return found;
    }

    private static String lastMatch(String text) {
        Matcher m = TYPE.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (last == null) {
            return null;
        }
        String upper = last.toUpperCase(Locale.ROOT);
        return switch (upper) {
            case "FP16" -> "F16";
            case "FP32" -> "F32";
            default -> upper;
        };
    }
}
