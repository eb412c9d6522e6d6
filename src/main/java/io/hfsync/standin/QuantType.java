package io.hfsync.standin;

import java.util.Locale;

/** GGUF quantisation types the demo data uses, with their typical size in bits per weight. */
enum QuantType {
    IQ1_S(1.78), IQ1_M(1.95), IQ2_XXS(2.38), IQ2_XS(2.59), IQ2_M(2.93), Q2_K(3.16), IQ3_XXS(3.21),
    Q3_K_S(3.64), IQ3_M(3.76), Q3_K_M(4.00), Q3_K_L(4.30), IQ4_XS(4.46), IQ4_NL(4.68), Q4_0(4.68),
    Q4_K_S(4.70), Q4_K_M(4.95), Q5_0(5.68), Q5_K_S(5.68), Q5_K_M(5.82), Q6_K(6.59), Q8_0(8.50),
    F16(16.0), BF16(16.0), F32(32.0);

    private final double bitsPerWeight;

    QuantType(double bitsPerWeight) {
        this.bitsPerWeight = bitsPerWeight;
    }

    /** Approximate file size for a model of this many parameters. */
    long fileSize(long parameters) {
        return (long) (parameters * bitsPerWeight / 8.0);
    }

    String lowerCase() {
        return name().toLowerCase(Locale.ROOT);
    }
}
