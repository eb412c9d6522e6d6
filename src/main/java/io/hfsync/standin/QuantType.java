package io.hfsync.standin;

import io.hfsync.gguf.GgufWriter;

import java.util.Locale;

/** GGUF quantisation types the demo data uses, with their typical size in bits per weight. */
enum QuantType {
    IQ1_S(1.78, 24), IQ1_M(1.95, 31), IQ2_XXS(2.38, 19), IQ2_XS(2.59, 20), IQ2_M(2.93, 29), Q2_K(3.16, 10),
    IQ3_XXS(3.21, 23), Q3_K_S(3.64, 11), IQ3_M(3.76, 27), Q3_K_M(4.00, 12), Q3_K_L(4.30, 13), IQ4_XS(4.46, 30),
    IQ4_NL(4.68, 25), Q4_0(4.68, 2), Q4_K_S(4.70, 14), Q4_K_M(4.95, 15), Q5_0(5.68, 8), Q5_K_S(5.68, 16),
    Q5_K_M(5.82, 17), Q6_K(6.59, 18), Q8_0(8.50, 7), F16(16.0, 1), BF16(16.0, 32), F32(32.0, 0);

    private final double bitsPerWeight;
    private final int fileType;

    QuantType(double bitsPerWeight, int fileType) {
        this.bitsPerWeight = bitsPerWeight;
        this.fileType = fileType;
    }

    /** llama.cpp's {@code general.file_type} for a file quantised this way ({@code llama_ftype}). */
    int fileType() {
        return fileType;
    }

    /**
     * The tensor type a header of this quantisation lists for its matrices, among those {@link GgufWriter} sizes:
     * Q4_0 up to 5.x bits, Q8_0 up to 8.5, then F16, BF16 or F32.
     */
    GgufWriter.TensorType tensorType() {
        return switch (this) {
            case F16 -> GgufWriter.TensorType.F16;
            case BF16 -> GgufWriter.TensorType.BF16;
            case F32 -> GgufWriter.TensorType.F32;
            default -> bitsPerWeight < 6 ? GgufWriter.TensorType.Q4_0 : GgufWriter.TensorType.Q8_0;
        };
    }

    /** Every type, longer names first, so that {@code Q4_K_M} is found before {@code Q4_K}-like prefixes. */
    static java.util.List<QuantType> byNameLength() {
        return java.util.Arrays.stream(values())
                .sorted(java.util.Comparator.comparingInt((QuantType q) -> q.name().length()).reversed()).toList();
    }

    /** Approximate file size for a model of this many parameters. */
    long fileSize(long parameters) {
        return (long) (parameters * bitsPerWeight / 8.0);
    }

    String lowerCase() {
        return name().toLowerCase(Locale.ROOT);
    }
}
