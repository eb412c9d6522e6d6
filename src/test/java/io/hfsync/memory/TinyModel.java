package io.hfsync.memory;

import io.hfsync.gguf.GgufHeader;
import io.hfsync.gguf.GgufWriter;
import io.hfsync.gguf.ModelShape;
import io.hfsync.gguf.GgufWriter.TensorType;
import io.hfsync.gguf.GgufWriter.ValueType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Tiny models with zero weights, one per family the memory estimate treats differently, that llama.cpp loads: the
 * GGUF file (header and zero tensors) and the {@link GgufHeader} a header read of that file yields. Sized so that a
 * wrong dimension shows in llama.cpp's two-decimal MiB, and with a vocabulary large enough that the output logits
 * weigh in the compute buffer as they do in real models.
 *
 * @param name     what the proof and the bench call it
 * @param writer   the GGUF file
 * @param header   what a header read of it yields
 * @param contexts the two contexts the proof loads it at
 */
public record TinyModel(String name, GgufWriter writer, GgufHeader header, List<Long> contexts) {

    private static final int VOCAB = 32_000;
    private static final long TRAINED_CONTEXT = 131_072;

    /** Every family of the proof. */
    public static List<TinyModel> all() {
        return List.of(llama(), llamaWide(), qwen3(), gemma3(), qwen3moe(), lfm2(), qwen35(), deepseek2());
    }

    /** Dense grouped-query attention: 4 layers, 8 heads sharing 2 KV heads of 64. */
    public static TinyModel llama() {
        Dims d = new Dims("llama", 4, 512, 8, 64, 1536);
        Family f = new Family(d).heads(List.of(2));
        f.standardOutput(true);
        for (int i = 0; i < d.layers; i++) {
            f.attention(i, 2, false);
            f.denseFfn(i);
        }
        return f.model("llama-gqa", List.of(4096L, 32768L));
    }

    /**
     * A dense model whose compute buffer is not its logits: a small vocabulary, a wide feed-forward and, at 131072
     * tokens, an attention mask of 64 MiB.
     */
    public static TinyModel llamaWide() {
        Dims d = new Dims("llama", 2, 512, 8, 64, 8192);
        Family f = new Family(d, 4096).heads(List.of(2));
        f.standardOutput(true);
        for (int i = 0; i < d.layers; i++) {
            f.attention(i, 2, false);
            f.denseFfn(i);
        }
        return f.model("llama-wide-ffn", List.of(4096L, 131072L));
    }

    /** Qwen3: GQA with q/k norms and a head dimension that is not embedding/heads. */
    public static TinyModel qwen3() {
        Dims d = new Dims("qwen3", 3, 256, 8, 128, 1024);
        Family f = new Family(d).heads(List.of(4));
        f.lengths(128, 128);
        f.standardOutput(true);
        for (int i = 0; i < d.layers; i++) {
            f.attention(i, 4, true);
            f.denseFfn(i);
        }
        return f.model("qwen3-gqa", List.of(8192L, 32768L));
    }

    /** Gemma 3: every 6th layer global, the rest a 1024-token sliding window; 8 layers so both kinds repeat. */
    public static TinyModel gemma3() {
        Dims d = new Dims("gemma3", 8, 256, 4, 128, 1024);
        Family f = new Family(d).heads(List.of(2));
        f.lengths(128, 128);
        f.shape.slidingWindow(1024, null);
        f.window = 1024;
        f.pattern = IntStream.range(0, d.layers).mapToObj(i -> i % 6 != 5).toList();
        f.standardOutput(false);
        for (int i = 0; i < d.layers; i++) {
            f.attention(i, 2, true);
            f.w.tensor(blk(i, "post_attention_norm"), typeFor(d.embd), d.embd);
            f.denseFfn(i);
            f.w.tensor(blk(i, "post_ffw_norm"), typeFor(d.embd), d.embd);
        }
        return f.model("gemma3-swa", List.of(4096L, 32768L));
    }

    /** Qwen3 MoE: 16 experts of 256, 4 used per token. */
    public static TinyModel qwen3moe() {
        Dims d = new Dims("qwen3moe", 3, 256, 8, 64, 0);
        Family f = new Family(d).heads(List.of(2));
        f.lengths(64, 64);
        int experts = 16;
        int used = 4;
        int expertFfn = 256;
        f.shape.experts(experts, used, expertFfn);
        f.experts = experts;
        f.expertsUsed = used;
        f.expertFfn = expertFfn;
        f.standardOutput(true);
        for (int i = 0; i < d.layers; i++) {
            f.attention(i, 2, true);
            f.w.tensor(blk(i, "ffn_norm"), typeFor(d.embd), d.embd)
                    .tensor(blk(i, "ffn_gate_inp"), typeFor(d.embd, experts), d.embd, experts)
                    .tensor(blk(i, "ffn_gate_exps"), typeFor(d.embd, expertFfn, experts), d.embd, expertFfn, experts)
                    .tensor(blk(i, "ffn_down_exps"), typeFor(expertFfn, d.embd, experts), expertFfn, d.embd, experts)
                    .tensor(blk(i, "ffn_up_exps"), typeFor(d.embd, expertFfn, experts), d.embd, expertFfn, experts);
        }
        return f.model("qwen3moe-moe", List.of(4096L, 32768L));
    }

    /** LFM2: short-convolution layers (recurrent state, head_count_kv 0) between attention layers. */
    public static TinyModel lfm2() {
        Dims d = new Dims("lfm2", 6, 256, 4, 64, 1024);
        List<Integer> kvHeads = List.of(0, 0, 2, 0, 0, 2);
        Family f = new Family(d).heads(kvHeads);
        int lCache = 3;
        f.shape.shortconv(lCache);
        f.shortconv = lCache;
        f.w.tensor("token_embd.weight", typeFor(d.embd, f.vocab), d.embd, f.vocab)
                .tensor("token_embd_norm.weight", typeFor(d.embd), d.embd);
        for (int i = 0; i < d.layers; i++) {
            f.w.tensor(blk(i, "attn_norm"), typeFor(d.embd), d.embd);
            if (kvHeads.get(i) == 0) {
                f.w.tensor(blk(i, "shortconv.conv"), typeFor(lCache, d.embd), lCache, d.embd)
                        .tensor(blk(i, "shortconv.in_proj"), typeFor(d.embd, 3 * d.embd), d.embd, 3 * d.embd)
                        .tensor(blk(i, "shortconv.out_proj"), typeFor(d.embd, d.embd), d.embd, d.embd);
            } else {
                f.w.tensor(blk(i, "attn_q_norm"), typeFor(d.headDim), d.headDim)
                        .tensor(blk(i, "attn_k_norm"), typeFor(d.headDim), d.headDim)
                        .tensor(blk(i, "attn_q"), typeFor(d.embd, d.embd), d.embd, d.embd)
                        .tensor(blk(i, "attn_k"), typeFor(d.embd, d.headDim * kvHeads.get(i)), d.embd, d.headDim * kvHeads.get(i))
                        .tensor(blk(i, "attn_v"), typeFor(d.embd, d.headDim * kvHeads.get(i)), d.embd, d.headDim * kvHeads.get(i))
                        .tensor(blk(i, "attn_output"), typeFor(d.embd, d.embd), d.embd, d.embd);
            }
            f.denseFfn(i);
        }
        return f.model("lfm2-hybrid", List.of(4096L, 32768L));
    }

    /**
     * Qwen 3.5: three gated delta-net layers (a recurrent state of key-width by value-width per head) before every
     * attention layer ({@code full_attention_interval} 4).
     */
    public static TinyModel qwen35() {
        Dims d = new Dims("qwen35", 4, 256, 4, 64, 1024);
        Family f = new Family(d).heads(List.of(2));
        f.lengths(64, 64);
        int headK = 128;
        int kHeads = 2;
        int vHeads = 8;
        int conv = 4;
        int inner = headK * vHeads;
        f.shape.fullAttentionInterval(4).ssm(conv, inner, headK, kHeads, vHeads)
                .ropeDimensionSections(List.of(8, 12, 12, 0));
        f.interval = 4;
        f.ssm = new int[] {conv, inner, headK, kHeads};
        f.standardOutput(true);
        int keyDim = headK * kHeads;
        int convDim = keyDim * 2 + inner;
        for (int i = 0; i < d.layers; i++) {
            f.w.tensor(blk(i, "attn_norm"), typeFor(d.embd), d.embd)
                    .tensor(blk(i, "post_attention_norm"), typeFor(d.embd), d.embd);
            if ((i + 1) % 4 == 0) {
                f.w.tensor(blk(i, "attn_q"), typeFor(d.embd, 2 * d.headDim * d.heads), d.embd, 2 * d.headDim * d.heads)
                        .tensor(blk(i, "attn_k"), typeFor(d.embd, d.headDim * 2), d.embd, d.headDim * 2)
                        .tensor(blk(i, "attn_v"), typeFor(d.embd, d.headDim * 2), d.embd, d.headDim * 2)
                        .tensor(blk(i, "attn_output"), typeFor(d.headDim * d.heads, d.embd), d.headDim * d.heads, d.embd)
                        .tensor(blk(i, "attn_q_norm"), typeFor(d.headDim), d.headDim)
                        .tensor(blk(i, "attn_k_norm"), typeFor(d.headDim), d.headDim);
            } else {
                f.w.tensor(blk(i, "attn_qkv"), typeFor(d.embd, convDim), d.embd, convDim)
                        .tensor(blk(i, "attn_gate"), typeFor(d.embd, inner), d.embd, inner)
                        .tensor(blk(i, "ssm_conv1d"), typeFor(conv, convDim), conv, convDim)
                        .tensor("blk." + i + ".ssm_dt.bias", typeFor(vHeads), vHeads)
                        .tensor("blk." + i + ".ssm_a", typeFor(vHeads), vHeads)
                        .tensor(blk(i, "ssm_beta"), typeFor(d.embd, vHeads), d.embd, vHeads)
                        .tensor(blk(i, "ssm_alpha"), typeFor(d.embd, vHeads), d.embd, vHeads)
                        .tensor(blk(i, "ssm_norm"), typeFor(headK), headK)
                        .tensor(blk(i, "ssm_out"), typeFor(inner, d.embd), inner, d.embd);
            }
            f.w.tensor(blk(i, "ffn_gate"), typeFor(d.embd, d.ffn), d.embd, d.ffn)
                    .tensor(blk(i, "ffn_up"), typeFor(d.embd, d.ffn), d.embd, d.ffn)
                    .tensor(blk(i, "ffn_down"), typeFor(d.ffn, d.embd), d.ffn, d.embd);
        }
        return f.model("qwen35-hybrid", List.of(4096L, 32768L));
    }

    /**
     * DeepSeek V2 with multi-head latent attention as llama.cpp's converter writes it: one KV head whose key is the
     * compressed latent plus the rotary part (key_length = kv_lora_rank + rope) and no separate value cache.
     */
    public static TinyModel deepseek2() {
        int kvLora = 128;
        int rope = 32;
        int nope = 64;
        int vHead = 64;
        int qLora = 96;
        Dims d = new Dims("deepseek2", 3, 256, 8, kvLora + rope, 1024);
        Family f = new Family(d).heads(List.of(1));
        f.lengths(kvLora + rope, kvLora);
        f.shape.mla(kvLora, qLora, nope + rope, vHead).ropeDimensionCount(rope).sharedExperts(0, d.layers)
                .expertFeedForwardLength(d.ffn);
        f.kvLora = kvLora;
        f.keyLengthMla = nope + rope;
        f.valueLengthMla = vHead;
        f.expertFfn = d.ffn;
        f.standardOutput(true);
        for (int i = 0; i < d.layers; i++) {
            f.w.tensor(blk(i, "attn_norm"), typeFor(d.embd), d.embd)
                    .tensor(blk(i, "attn_q_a_norm"), typeFor(qLora), qLora)
                    .tensor(blk(i, "attn_kv_a_norm"), typeFor(kvLora), kvLora)
                    .tensor(blk(i, "attn_q_a"), typeFor(d.embd, qLora), d.embd, qLora)
                    .tensor(blk(i, "attn_q_b"), typeFor(qLora, d.heads * (nope + rope)), qLora, d.heads * (nope + rope))
                    .tensor(blk(i, "attn_kv_a_mqa"), typeFor(d.embd, kvLora + rope), d.embd, kvLora + rope)
                    // the per-head latent projections as F32, which no CPU buffer type repacks: this llama.cpp puts
                    // a quantized 3-D one in the AMX buffer on a CPU with AMX (Sapphire Rapids and later), then
                    // finds no backend for its batched product and aborts (ggml-backend.cpp: GGML_ASSERT(
                    // *cur_backend_id != -1)); the proof is of the KV cache and compute buffer, which their type
                    // does not change, on every machine CI may run on
                    .tensor(blk(i, "attn_k_b"), TensorType.F32, nope, kvLora, d.heads)
                    .tensor(blk(i, "attn_v_b"), TensorType.F32, kvLora, vHead, d.heads)
                    .tensor(blk(i, "attn_output"), typeFor(d.heads * vHead, d.embd), d.heads * vHead, d.embd);
            f.denseFfn(i);
        }
        return f.model("deepseek2-mla", List.of(4096L, 32768L));
    }

    /** Matrices as Q4_0 (zero blocks are zeros) so the files stay small; vectors and odd widths as F32. */
    private static TensorType typeFor(long... dims) {
        return dims.length >= 2 && dims[0] % 32 == 0 ? TensorType.Q4_0 : TensorType.F32;
    }

    private static Integer positive(int value) {
        return value > 0 ? value : null;
    }

    private static String blk(int layer, String name) {
        return "blk." + layer + "." + name + ".weight";
    }

    private record Dims(String arch, int layers, int embd, int heads, int headDim, int ffn) {
    }

    /** The keys and tensors every family shares, and the header fields collected while a family adds its own. */
    private static final class Family {
        final Dims d;
        final GgufWriter w = new GgufWriter(3);
        final ModelShape shape;
        final int vocab;
        List<Integer> kvHeads;
        Integer keyLength;
        Integer valueLength;
        Integer window;
        List<Boolean> pattern;
        Integer experts;
        Integer expertsUsed;
        Integer expertFfn;
        Integer kvLora;
        Integer keyLengthMla;
        Integer valueLengthMla;
        Integer shortconv;
        Integer interval;
        int[] ssm = new int[4];

        Family(Dims d) {
            this(d, VOCAB);
        }

        Family(Dims d, int vocab) {
            this.d = d;
            this.vocab = vocab;
            w.string("general.architecture", d.arch).string("general.name", "tiny " + d.arch);
            // the {architecture}. keys as llama.cpp reads them: gguf/ModelShape, which the stand-in Hub's headers use too
            shape = new ModelShape(d.arch, d.layers, d.embd, d.heads).contextLength(TRAINED_CONTEXT)
                    .feedForwardLength(d.ffn);
        }

        Family heads(List<Integer> kvHeads) {
            this.kvHeads = kvHeads;
            if (kvHeads.size() == 1) {
                shape.headCountKv(kvHeads.get(0));
            } else {
                shape.headCountKv(kvHeads);
            }
            return this;
        }

        /** Key and value head widths written out (otherwise llama.cpp takes embedding / heads). */
        void lengths(int key, int value) {
            keyLength = key;
            valueLength = value;
            shape.lengths(key, value);
        }

        /** A llama (SentencePiece) vocabulary: unknown, BOS, EOS, the 256 byte tokens, then plain pieces. */
        private void tokenizer() {
            List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
            List<Integer> types = new ArrayList<>(List.of(2, 3, 3));
            for (int b = 0; b < 256; b++) {
                tokens.add(String.format("<0x%02X>", b));
                types.add(6);
            }
            while (tokens.size() < vocab) {
                tokens.add("t" + tokens.size());
                types.add(1);
            }
            w.string("tokenizer.ggml.model", "llama").array("tokenizer.ggml.tokens", ValueType.STRING, tokens)
                    .array("tokenizer.ggml.scores", ValueType.FLOAT32, Collections.nCopies(vocab, 0f))
                    .array("tokenizer.ggml.token_type", ValueType.INT32, types)
                    .uint32("tokenizer.ggml.bos_token_id", 1).uint32("tokenizer.ggml.eos_token_id", 2)
                    .uint32("tokenizer.ggml.unknown_token_id", 0);
        }

        void standardOutput(boolean untied) {
            w.tensor("token_embd.weight", typeFor(d.embd, vocab), d.embd, vocab).tensor("output_norm.weight", typeFor(d.embd), d.embd);
            if (untied) {
                w.tensor("output.weight", typeFor(d.embd, vocab), d.embd, vocab);
            }
        }

        void attention(int i, int kv, boolean qkNorm) {
            w.tensor(blk(i, "attn_norm"), typeFor(d.embd), d.embd)
                    .tensor(blk(i, "attn_q"), typeFor(d.embd, d.headDim * d.heads), d.embd, d.headDim * d.heads)
                    .tensor(blk(i, "attn_k"), typeFor(d.embd, d.headDim * kv), d.embd, d.headDim * kv)
                    .tensor(blk(i, "attn_v"), typeFor(d.embd, d.headDim * kv), d.embd, d.headDim * kv)
                    .tensor(blk(i, "attn_output"), typeFor(d.headDim * d.heads, d.embd), d.headDim * d.heads, d.embd);
            if (qkNorm) {
                w.tensor(blk(i, "attn_q_norm"), typeFor(d.headDim), d.headDim).tensor(blk(i, "attn_k_norm"), typeFor(d.headDim), d.headDim);
            }
        }

        void denseFfn(int i) {
            w.tensor(blk(i, "ffn_norm"), typeFor(d.embd), d.embd).tensor(blk(i, "ffn_gate"), typeFor(d.embd, d.ffn), d.embd, d.ffn)
                    .tensor(blk(i, "ffn_up"), typeFor(d.embd, d.ffn), d.embd, d.ffn).tensor(blk(i, "ffn_down"), typeFor(d.ffn, d.embd), d.ffn, d.embd);
        }

        /** The tokenizer last, as llama.cpp's converter writes it, after every {@code {architecture}.} key. */
        TinyModel model(String name, List<Long> contexts) {
            shape.writeKeys(w);
            tokenizer();
            GgufHeader header = new GgufHeader(null, name + ".gguf", null, d.arch, d.layers, TRAINED_CONTEXT, d.embd,
                    d.heads, kvHeads, keyLength, valueLength, window, pattern, interval,
                    kvLora, keyLengthMla, valueLengthMla, experts, expertsUsed, positive(ssm[0]), positive(ssm[1]),
                    positive(ssm[2]), positive(ssm[3]), (long) vocab,
                    null, shortconv, d.ffn > 0 ? d.ffn : null, expertFfn);
            return new TinyModel(name, w, header, contexts);
        }
    }
}
