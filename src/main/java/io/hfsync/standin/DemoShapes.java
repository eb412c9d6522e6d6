package io.hfsync.standin;

import io.hfsync.gguf.GgufWriter;
import io.hfsync.gguf.GgufWriter.TensorType;
import io.hfsync.gguf.GgufWriter.ValueType;
import io.hfsync.gguf.ModelShape;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The hyper-parameters of a stand-in repo's model: its architecture's family (dense grouped-query attention, a
 * sliding window, experts, a recurrent state between attention layers, multi-head latent attention), scaled to the
 * repo's parameter count from the nearest real configuration of that family (the layer count grows with the
 * parameters), and its vocabulary. Everything derives from the repo (id, architecture, parameters), so the same repo
 * gives the same header every time, with no random draw the demo data depends on.
 *
 * <p>Long because the real configurations per family, their scaling and the tokenizer key-values they
 * give change together.
 */
final class DemoShapes {

    private DemoShapes() {
    }

    /**
     * A tokenizer: BPE ({@code gpt2}: tokens, types, merges) or SentencePiece ({@code llama}: tokens, scores, types).
     *
     * @param model {@code tokenizer.ggml.model}
     * @param pre   {@code tokenizer.ggml.pre}, or null
     * @param size  tokens
     */
    record Vocabulary(String model, String pre, int size, int bos, int eos) {

        static Vocabulary bpe(String pre, int size) {
            return new Vocabulary("gpt2", pre, size, size - 2, size - 1);
        }

        static Vocabulary sentencePiece(int size) {
            return new Vocabulary("llama", null, size, 1, 2);
        }

        /**
         * The tokenizer's key-values encoded as a GGUF file holds them (several MB for 150k tokens, as on the Hub),
         * written straight into one buffer: a header's tokenizer takes milliseconds, not the tenths of a second a
         * list of strings through {@link GgufWriter} takes.
         */
        Encoded encode() {
            boolean bpe = "gpt2".equals(model);
            byte[][] pieces = new byte[size][];
            long total = 0;
            for (int i = 0; i < size; i++) {
                pieces[i] = token(i, bpe).getBytes(StandardCharsets.UTF_8);
                total += 8 + pieces[i].length;
            }
            Buffer out = new Buffer((int) (total * (bpe ? 2 : 1) + size * 8L + 4096));
            int count = 0;
            out.key("tokenizer.ggml.model", STRING).string(model.getBytes(StandardCharsets.UTF_8));
            count++;
            if (pre != null) {
                out.key("tokenizer.ggml.pre", STRING).string(pre.getBytes(StandardCharsets.UTF_8));
                count++;
            }
            out.key("tokenizer.ggml.tokens", ARRAY).u32(STRING).u64(size);
            for (byte[] piece : pieces) {
                out.string(piece);
            }
            count++;
            if (!bpe) {
                out.key("tokenizer.ggml.scores", ARRAY).u32(FLOAT32).u64(size);
                for (int i = 0; i < size; i++) {
                    out.u32(Float.floatToRawIntBits(-(float) i));
                }
                count++;
            }
            out.key("tokenizer.ggml.token_type", ARRAY).u32(INT32).u64(size);
            for (int i = 0; i < size; i++) {
                out.u32(i < 3 || i >= size - 2 ? 3 : bpe || i >= 259 ? 1 : 6);
            }
            count++;
            if (bpe) {
                out.key("tokenizer.ggml.merges", ARRAY).u32(STRING).u64(size - 258L);
                for (int i = 256; i < size - 2; i++) {
                    // "left right": the piece cut in two halves (by characters, so UTF-8 stays whole)
                    String token = token(i, true);
                    int cut = Math.max(1, token.length() / 2);
                    out.string((token.substring(0, cut) + " " + token.substring(cut)).getBytes(StandardCharsets.UTF_8));
                }
                count++;
            }
            return new Encoded(count, out.toByteArray());
        }

        /** An invented piece: byte tokens first, then syllables, half of them with a leading-space marker. */
        private static String token(int i, boolean bpe) {
            if (i < 256 && bpe) {
                return String.valueOf((char) (0x100 + i));
            }
            if (i >= 3 && i < 259 && !bpe) {
                return String.format("<0x%02X>", i - 3);
            }
            StringBuilder piece = new StringBuilder(i % 2 == 0 ? (bpe ? "Ġ" : "▁") : "");
            for (int rest = i; rest > 0; rest /= SYLLABLES.length) {
                piece.append(SYLLABLES[rest % SYLLABLES.length]);
            }
            return piece.toString();
        }

        private static final String[] SYLLABLES = {"a", "ka", "ren", "mo", "tsu", "li", "an", "vor", "el", "is", "ta",
                "no", "dre", "ve", "qu", "zo", "mi", "ra", "sol", "ben", "jun", "pax", "ori", "tek", "lum", "st", "ing",
                "ed", "er", "th", "ion", "e"};
    }

    /** Key-values encoded as they stand in a file, and how many they are. */
    record Encoded(int count, byte[] bytes) {
    }

    private static final int FLOAT32 = ValueType.FLOAT32.id;
    private static final int INT32 = ValueType.INT32.id;
    private static final int STRING = ValueType.STRING.id;
    private static final int ARRAY = ValueType.ARRAY.id;

    /** A growing little-endian buffer for the tokenizer's key-values. */
    private static final class Buffer {
        private byte[] bytes;
        private int size;

        Buffer(int capacity) {
            bytes = new byte[Math.max(64, capacity)];
        }

        Buffer key(String key, int type) {
            return string(key.getBytes(StandardCharsets.UTF_8)).u32(type);
        }

        Buffer string(byte[] utf8) {
            u64(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
            return this;
        }

        Buffer u32(long value) {
            ensure(4);
            for (int shift = 0; shift < 32; shift += 8) {
                bytes[size++] = (byte) (value >>> shift);
            }
            return this;
        }

        Buffer u64(long value) {
            ensure(8);
            for (int shift = 0; shift < 64; shift += 8) {
                bytes[size++] = (byte) (value >>> shift);
            }
            return this;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(bytes, size);
        }
    }

    /**
     * A repo's model: its keys and the tensors a header of it lists.
     *
     * @param keys       the {@code {architecture}.} keys
     * @param parameters the parameter count the shape was scaled to
     * @param vocabulary the tokenizer
     * @param tied       the output layer shares the embedding (no {@code output.weight})
     */
    record Shape(ModelShape keys, long parameters, Vocabulary vocabulary, boolean tied) {

        String architecture() {
            return keys.architecture();
        }

        /** Adds the tensor infos: matrices in {@code type} when their rows fit its blocks, vectors as F32. */
        void addTensors(GgufWriter w, TensorType type) {
            int d = keys.embeddingLength();
            tensor(w, type, "token_embd.weight", d, vocabulary.size());
            for (int i = 0; i < keys.blockCount(); i++) {
                tensor(w, type, blk(i, "attn_norm"), d);
                if (keys.kvLoraRank() != null) {
                    mla(w, type, i, d);
                } else if (keys.kvHeadsOf(i) == 0 && keys.shortconvLCache() != null) {
                    int l = keys.shortconvLCache();
                    tensor(w, type, blk(i, "shortconv.conv"), l, d);
                    tensor(w, type, blk(i, "shortconv.in_proj"), d, 3L * d);
                    tensor(w, type, blk(i, "shortconv.out_proj"), d, d);
                } else if (keys.fullAttentionInterval() != null && (i + 1) % keys.fullAttentionInterval() != 0) {
                    int inner = keys.ssmInnerSize();
                    tensor(w, type, blk(i, "attn_qkv"), d, 2L * inner);
                    tensor(w, type, blk(i, "ssm_conv1d"), keys.ssmConvKernel(), 2L * inner);
                    tensor(w, type, blk(i, "ssm_out"), inner, d);
                } else {
                    int kv = keys.kvHeadsOf(i);
                    tensor(w, type, blk(i, "attn_q"), d, (long) keys.headCount() * keys.keyWidth());
                    tensor(w, type, blk(i, "attn_k"), d, (long) kv * keys.keyWidth());
                    tensor(w, type, blk(i, "attn_v"), d, (long) kv * keys.valueWidth());
                    tensor(w, type, blk(i, "attn_output"), (long) keys.headCount() * keys.valueWidth(), d);
                }
                tensor(w, type, blk(i, "ffn_norm"), d);
                boolean dense = keys.expertCount() == null
                        || keys.leadingDenseBlockCount() != null && i < keys.leadingDenseBlockCount();
                if (dense) {
                    tensor(w, type, blk(i, "ffn_gate"), d, keys.feedForwardLength());
                    tensor(w, type, blk(i, "ffn_up"), d, keys.feedForwardLength());
                    tensor(w, type, blk(i, "ffn_down"), keys.feedForwardLength(), d);
                } else {
                    int experts = keys.expertCount();
                    int width = keys.expertFeedForwardLength();
                    tensor(w, type, blk(i, "ffn_gate_inp"), d, experts);
                    tensor(w, type, blk(i, "ffn_gate_exps"), d, width, experts);
                    tensor(w, type, blk(i, "ffn_up_exps"), d, width, experts);
                    tensor(w, type, blk(i, "ffn_down_exps"), width, d, experts);
                }
            }
            tensor(w, type, "output_norm.weight", d);
            if (!tied) {
                tensor(w, type, "output.weight", d, vocabulary.size());
            }
        }

        private void mla(GgufWriter w, TensorType type, int i, int d) {
            int heads = keys.headCount();
            int kvLora = keys.kvLoraRank();
            int rope = keys.keyLengthMla() - keys.valueLengthMla();
            int nope = keys.keyLengthMla() - rope;
            if (keys.qLoraRank() != null && keys.qLoraRank() > 0) {
                tensor(w, type, blk(i, "attn_q_a_norm"), keys.qLoraRank());
                tensor(w, type, blk(i, "attn_q_a"), d, keys.qLoraRank());
                tensor(w, type, blk(i, "attn_q_b"), keys.qLoraRank(), (long) heads * keys.keyLengthMla());
            } else {
                tensor(w, type, blk(i, "attn_q"), d, (long) heads * keys.keyLengthMla());
            }
            tensor(w, type, blk(i, "attn_kv_a_norm"), kvLora);
            tensor(w, type, blk(i, "attn_kv_a_mqa"), d, kvLora + rope);
            tensor(w, type, blk(i, "attn_k_b"), nope, kvLora, heads);
            tensor(w, type, blk(i, "attn_v_b"), kvLora, keys.valueLengthMla(), heads);
            tensor(w, type, blk(i, "attn_output"), (long) heads * keys.valueLengthMla(), d);
        }

        private static void tensor(GgufWriter w, TensorType type, String name, long... dims) {
            boolean fits = dims.length >= 2 && dims[0] % 32 == 0;
            w.tensor(name, fits || type == TensorType.F16 || type == TensorType.BF16 ? type : TensorType.F32, dims);
        }

        private static String blk(int layer, String name) {
            return "blk." + layer + "." + name + ".weight";
        }
    }

    /** A real configuration a family comes in: its nominal parameters and dimensions. */
    private record Row(double billions, int layers, int embd, int heads, int kvHeads, int headDim, int ffn) {
    }

    /** Dense GQA configurations (Llama 3, Qwen 2.5 / 3, SmolLM2), from 135M to 70B. */
    private static final List<Row> DENSE = List.of(
            new Row(0.135, 30, 576, 9, 3, 64, 1536), new Row(0.36, 32, 960, 15, 5, 64, 2560),
            new Row(0.5, 24, 896, 14, 2, 64, 4864), new Row(1.0, 16, 2048, 32, 8, 64, 8192),
            new Row(1.5, 28, 1536, 12, 2, 128, 8960), new Row(3.0, 28, 3072, 24, 8, 128, 8192),
            new Row(4.0, 36, 2560, 32, 8, 128, 9728), new Row(8.0, 32, 4096, 32, 8, 128, 14336),
            new Row(14.0, 40, 5120, 40, 8, 128, 13824), new Row(32.0, 64, 5120, 40, 8, 128, 27648),
            new Row(70.0, 80, 8192, 64, 8, 128, 28672));

    /** Gemma 2 and 3 (head width 256 written out; every 2nd, or every 6th, layer global). */
    private static final List<Row> GEMMA = List.of(
            new Row(1.0, 26, 1152, 4, 1, 256, 6912), new Row(2.0, 26, 2304, 8, 4, 256, 9216),
            new Row(4.0, 34, 2560, 8, 4, 256, 10240), new Row(9.0, 42, 3584, 16, 8, 256, 14336),
            new Row(12.0, 48, 3840, 16, 8, 256, 15360), new Row(27.0, 62, 5376, 32, 16, 128, 21504));

    /** The model of {@code repo}: its family from the architecture (by name when the listing has none). */
    static Shape shape(HubRepo repo) {
        String name = repo.id().toLowerCase(Locale.ROOT);
        String architecture = repo.architecture() != null ? repo.architecture() : architectureFromName(name);
        long parameters = repo.parameters() != null ? repo.parameters() : parametersFromFiles(repo);
        long context = repo.contextLength() != null ? repo.contextLength() : 32768;
        return switch (architecture) {
            case "gemma2", "gemma3" -> gemma(architecture, parameters, context, repo.id());
            case "qwen3moe" -> qwen3moe(parameters, context);
            case "deepseek2" -> deepseek2(parameters, context, name);
            case "lfm2" -> lfm2(parameters, context);
            case "qwen3next" -> qwen3next(parameters, context);
            default -> dense(architecture, parameters, context, name);
        };
    }

    /** Dense grouped-query attention: the nearest real row, its layer count scaled to the parameters. */
    private static Shape dense(String architecture, long parameters, long context, String name) {
        Row row = nearest(DENSE, parameters);
        int layers = scaledLayers(row, parameters);
        Vocabulary vocabulary = vocabulary(architecture, name);
        ModelShape keys = new ModelShape(architecture, layers, row.embd(), row.heads()).contextLength(context)
                .feedForwardLength(row.ffn()).headCountKv(row.kvHeads()).rmsEpsilon(1e-5f)
                .ropeFreqBase(architecture.startsWith("qwen") ? 1_000_000f : 500_000f).ropeDimensionCount(row.headDim());
        if (architecture.equals("qwen3")) {
            keys.lengths(128, 128); // every Qwen3 size has heads of 128, whatever embedding / heads is
        } else if (row.embd() / row.heads() != row.headDim()) {
            keys.lengths(row.headDim(), row.headDim());
        }
        if (architecture.equals("llama")) {
            keys.vocabSize(vocabulary.size());
        }
        if (architecture.equals("qwen2vl")) {
            keys.ropeDimensionSections(List.of(16, 24, 24, 0));
        }
        return new Shape(keys, parameters, vocabulary, parameters < 4_000_000_000L);
    }

    /**
     * Gemma: a sliding window on most layers (Gemma 2: 4096 tokens on every other layer; Gemma 3: 1024, 512 at 1B,
     * on five of every six). Half the Gemma 3 repos also carry the per-layer pattern as a key.
     */
    private static Shape gemma(String architecture, long parameters, long context, String id) {
        Row row = nearest(GEMMA, parameters);
        int layers = scaledLayers(row, parameters);
        boolean three = architecture.equals("gemma3");
        ModelShape keys = new ModelShape(architecture, layers, row.embd(), row.heads()).contextLength(context)
                .feedForwardLength(row.ffn()).headCountKv(row.kvHeads()).lengths(row.headDim(), row.headDim())
                .ropeFreqBase(three ? 1_000_000f : 10_000f);
        int every = three ? 6 : 2;
        List<Boolean> pattern = IntStream.range(0, layers).mapToObj(i -> i % every != every - 1).toList();
        int window = three ? (parameters < 2_000_000_000L ? 512 : 1024) : 4096;
        keys.slidingWindow(window, three && (hash(id) & 1) == 0 ? pattern : null);
        return new Shape(keys, parameters, Vocabulary.sentencePiece(three ? 262_144 : 256_000), true);
    }

    /** Qwen3 MoE: 30B-A3B (128 experts of 768, 8 used) or 235B-A22B. */
    private static Shape qwen3moe(long parameters, long context) {
        boolean big = parameters > 100_000_000_000L;
        int layers = scaled(big ? 94 : 48, big ? 235e9 : 30.5e9, parameters);
        ModelShape keys = new ModelShape("qwen3moe", layers, big ? 4096 : 2048, big ? 64 : 32).contextLength(context)
                .headCountKv(4).lengths(128, 128).ropeFreqBase(1_000_000f).ropeDimensionCount(128)
                .experts(128, 8, big ? 1536 : 768);
        return new Shape(keys, parameters, Vocabulary.bpe("qwen2", 151_936), false);
    }

    /**
     * DeepSeek V2-Lite (16B) and V3 / R1 (671B) with multi-head latent attention as llama.cpp's converter writes it:
     * one KV head whose key is the latent plus the rotary part, no value cache of its own.
     */
    private static Shape deepseek2(long parameters, long context, String name) {
        boolean big = parameters > 100_000_000_000L;
        int kvLora = 512;
        int rope = 64;
        int layers = scaled(big ? 61 : 27, big ? 671e9 : 15.7e9, parameters);
        int heads = big ? 128 : 16;
        ModelShape keys = new ModelShape("deepseek2", layers, big ? 7168 : 2048, heads).contextLength(context)
                .feedForwardLength(big ? 18432 : 10944).headCountKv(1).lengths(kvLora + rope, kvLora)
                .ropeFreqBase(10_000f).ropeDimensionCount(rope).mla(kvLora, big ? 1536 : 0, 128 + rope, 128)
                .experts(big ? 256 : 64, big ? 8 : 6, big ? 2048 : 1408).sharedExperts(big ? 1 : 2, big ? 3 : 1);
        Vocabulary vocabulary = big || name.contains("v3") || name.contains("r1")
                ? Vocabulary.bpe("deepseek-v3", 129_280) : Vocabulary.bpe("deepseek-llm", 102_400);
        return new Shape(keys, parameters, vocabulary, false);
    }

    /** LFM2: short-convolution layers with attention on 6 of 16 (or 8 of 30) layers, KV heads 0 elsewhere. */
    private static Shape lfm2(long parameters, long context) {
        record Lfm(double billions, int layers, int embd, int heads, int ffn, List<Integer> attention) {
        }
        List<Lfm> rows = List.of(new Lfm(0.35, 16, 1024, 16, 4608, List.of(2, 5, 8, 10, 12, 14)),
                new Lfm(0.7, 16, 1536, 24, 6656, List.of(2, 5, 8, 10, 12, 14)),
                new Lfm(1.2, 16, 2048, 32, 8192, List.of(2, 5, 8, 10, 12, 14)),
                new Lfm(2.6, 30, 2048, 32, 10752, List.of(2, 6, 10, 14, 18, 21, 24, 27)));
        Lfm row = rows.get(0);
        for (Lfm candidate : rows) {
            if (Math.abs(Math.log(candidate.billions() * 1e9 / parameters)) < Math.abs(Math.log(row.billions() * 1e9 / parameters))) {
                row = candidate;
            }
        }
        List<Integer> kvHeads = new ArrayList<>(Collections.nCopies(row.layers(), 0));
        row.attention().forEach(layer -> kvHeads.set(layer, 8));
        ModelShape keys = new ModelShape("lfm2", row.layers(), row.embd(), row.heads()).contextLength(context)
                .feedForwardLength(row.ffn()).headCountKv(kvHeads).ropeFreqBase(1_000_000f).shortconv(3)
                .vocabSize(65_536);
        return new Shape(keys, parameters, Vocabulary.bpe("lfm2", 65_536), true);
    }

    /** Qwen3-Next 80B-A3B: gated delta-net layers with full attention on every 4th, 512 experts of 512, 10 used. */
    private static Shape qwen3next(long parameters, long context) {
        int layers = scaled(48, 80e9, parameters);
        ModelShape keys = new ModelShape("qwen3next", layers, 2048, 16).contextLength(context).headCountKv(2)
                .lengths(256, 256).ropeFreqBase(10_000_000f).ropeDimensionCount(64).fullAttentionInterval(4).ssm(4, 4096, 128, 16, 32)
                .experts(512, 10, 512);
        return new Shape(keys, parameters, Vocabulary.bpe("qwen2", 151_936), false);
    }

    private static Vocabulary vocabulary(String architecture, String name) {
        return switch (architecture) {
            case "qwen2", "qwen2vl", "qwen3" -> Vocabulary.bpe("qwen2", 151_936);
            case "mistral3" -> Vocabulary.bpe("tekken", 131_072);
            case "phi3" -> name.contains("phi-4") ? Vocabulary.bpe("dbrx", 100_352) : Vocabulary.sentencePiece(32_064);
            case "granite" -> Vocabulary.bpe("refact", 49_155);
            case "olmo2" -> Vocabulary.bpe("dbrx", 100_278);
            case "glm4" -> Vocabulary.bpe("glm4", 151_552);
            case "llama" -> {
                if (name.contains("nemo")) {
                    yield Vocabulary.bpe("tekken", 131_072);
                } else if (name.contains("mistral")) {
                    yield Vocabulary.sentencePiece(32_768);
                } else if (name.contains("smollm")) {
                    yield Vocabulary.bpe("smollm", 49_152);
                } else if (name.contains("falcon")) {
                    yield Vocabulary.bpe("falcon3", 131_072);
                }
                yield Vocabulary.bpe("llama-bpe", 128_256);
            }
            default -> Vocabulary.sentencePiece(32_000);
        };
    }

    /** The listing had no architecture (the Hub could not parse the file): the family its name suggests. */
    private static String architectureFromName(String name) {
        if (name.contains("qwen3")) {
            return "qwen3";
        }
        if (name.contains("qwen")) {
            return "qwen2";
        }
        if (name.contains("gemma-3")) {
            return "gemma3";
        }
        if (name.contains("gemma")) {
            return "gemma2";
        }
        if (name.contains("phi")) {
            return "phi3";
        }
        return "llama";
    }

    /** No parameter count in the listing: from the smallest GGUF file at about 5 bits a weight. */
    private static long parametersFromFiles(HubRepo repo) {
        long smallest = repo.files().stream().filter(RepoFile::isGguf).mapToLong(RepoFile::size).min()
                .orElse(4_000_000_000L);
        return Math.max(100_000_000L, smallest * 8 / 5);
    }

    /**
     * llama.cpp's converter writes the hyper-parameters before the tokenizer; other writers may not (the reader
     * then reads on). One quantiser here writes them after, and about one in 25 other repos.
     */
    static boolean hyperParametersLast(HubRepo repo) {
        return repo.owner().equals("kvantlab") || Math.floorMod(hash(repo.id()), 25) == 7;
    }

    /** {@code general.size_label}: {@code 135M}, {@code 8.0B}, {@code 671B}. */
    static String sizeLabel(long parameters) {
        if (parameters < 1_000_000_000L) {
            return Math.round(parameters / 1e6) + "M";
        }
        double billions = parameters / 1e9;
        return billions < 10 ? String.format(Locale.ROOT, "%.1fB", billions) : Math.round(billions) + "B";
    }

    private static Row nearest(List<Row> rows, long parameters) {
        Row best = rows.get(0);
        for (Row row : rows) {
            if (Math.abs(Math.log(row.billions() * 1e9 / parameters)) < Math.abs(Math.log(best.billions() * 1e9 / parameters))) {
                best = row;
            }
        }
        return best;
    }

    private static int scaledLayers(Row row, long parameters) {
        return scaled(row.layers(), row.billions() * 1e9, parameters);
    }

    /** The layer count of a configuration scaled to the parameters (a fine-tune a little larger has a few more). */
    private static int scaled(int layers, double nominal, long parameters) {
        return (int) Math.max(2, Math.min(200, Math.round(layers * parameters / nominal)));
    }

    /** A stable hash of a string (String.hashCode is specified, so the same across runs and JVMs). */
    private static int hash(String text) {
        return text.hashCode() * 0x9E3779B1;
    }
}
