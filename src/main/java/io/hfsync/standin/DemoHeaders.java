package io.hfsync.standin;

import io.hfsync.gguf.GgufWriter;
import io.hfsync.gguf.GgufWriter.TensorType;
import io.hfsync.gguf.GgufWriter.ValueType;

import java.lang.ref.SoftReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bytes of a stand-in repo's files: a real GGUF header written with {@link GgufWriter} whose hyper-parameters
 * fit the repo's architecture and parameter count ({@link DemoShapes}), then zeros up to the listed size. The
 * tokenizer arrays (several MB on a large vocabulary, encoded in about 25 ms) are encoded once per vocabulary and shared
 * by every header that uses it; the rest of a header is small and cached per (repo, sha, file), so a 200k-repo Hub costs what a few
 * headers cost.
 *
 * <p>What a file holds, by its name: a weights file ({@code .gguf}) the model's header (of a gguf-split set, part 1
 * the whole header with {@code split.*} keys, later parts only the {@code split.*} keys); a byte piece
 * ({@code x.gguf.part1of3}) the header in part 1 and zeros after; a projector ({@code mmproj-*.gguf}) a {@code clip}
 * header; an imatrix stored as GGUF ({@code *.imatrix.gguf}) an {@code imatrix} header; anything else zeros.
 */
final class DemoHeaders {

    private static final int CACHED_FILES = 64;
    /** More than the vocabularies there are (17), held softly: a heap that runs short drops them, to be encoded again. */
    private static final int CACHED_TOKENIZERS = 24;
    private static final Pattern SPLIT = Pattern.compile("-(\\d{5})-of-(\\d{5})\\.gguf$");
    private static final Pattern BYTE_PIECE = Pattern.compile("\\.gguf\\.part(\\d+)of(\\d+)$");
    private static final List<QuantType> QUANTS_LONGEST_FIRST = QuantType.byNameLength();

    private final Map<String, FileBody> files = lru(CACHED_FILES);
    private final Map<DemoShapes.Vocabulary, SoftReference<DemoShapes.Encoded>> tokenizers = lru(CACHED_TOKENIZERS);

    /** The bytes of {@code file} of {@code repo} at {@code sha}. */
    FileBody body(HubRepo repo, String sha, RepoFile file) {
        String key = repo.id() + "@" + sha + "/" + file.path();
        synchronized (files) {
            FileBody cached = files.get(key);
            if (cached != null) {
                return cached;
            }
        }
        FileBody body = new FileBody(parts(repo, file), file.size());
        synchronized (files) {
            files.put(key, body);
        }
        return body;
    }

    private List<byte[]> parts(HubRepo repo, RepoFile file) {
        String name = file.path().substring(file.path().lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        Matcher piece = BYTE_PIECE.matcher(name);
        if (piece.find()) {
            return Integer.parseInt(piece.group(1)) == 1 ? modelHeader(repo, file, 0, 0) : List.of();
        }
        if (!name.endsWith(".gguf")) {
            return List.of();
        }
        if (name.startsWith("mmproj")) {
            return List.of(projectorHeader(repo));
        }
        if (name.contains("imatrix")) {
            return List.of(imatrixHeader(repo));
        }
        Matcher split = SPLIT.matcher(name);
        if (split.find()) {
            int part = Integer.parseInt(split.group(1));
            int count = Integer.parseInt(split.group(2));
            return part == 1 ? modelHeader(repo, file, 1, count) : List.of(laterSplitHeader(part, count));
        }
        return modelHeader(repo, file, 0, 0);
    }

    /**
     * The header as parts: counts, the general and {@code {architecture}.} keys, the shared tokenizer arrays, the
     * file's own tokenizer keys, the tensor infos and their padding. A repo written by "another writer"
     * ({@link DemoShapes#hyperParametersLast}) has the tokenizer arrays before the hyper-parameters.
     */
    private List<byte[]> modelHeader(HubRepo repo, RepoFile file, int splitPart, int splitCount) {
        DemoShapes.Shape shape = DemoShapes.shape(repo);
        QuantType quant = quantOf(file.path());
        GgufWriter tensors = new GgufWriter(3);
        shape.addTensors(tensors, quant == null ? TensorType.Q4_0 : quant.tensorType());
        GgufWriter model = new GgufWriter(3);
        model.string("general.architecture", shape.architecture()).string("general.type", "model")
                .string("general.name", repo.name().replaceAll("(?i)[-_.]gguf.*$", ""))
                .string("general.size_label", DemoShapes.sizeLabel(shape.parameters()))
                .uint32("general.quantization_version", 2);
        if (quant != null) {
            model.uint32("general.file_type", quant.fileType());
        }
        shape.keys().writeKeys(model);
        if (splitCount > 0) {
            model.uint16("split.no", splitPart - 1).uint16("split.count", splitCount)
                    .int32("split.tensors.count", tensors.tensorCount());
        }
        GgufWriter tail = new GgufWriter(3);
        tail.uint32("tokenizer.ggml.bos_token_id", shape.vocabulary().bos())
                .uint32("tokenizer.ggml.eos_token_id", shape.vocabulary().eos());
        if (repo.chatTemplate() != null) {
            tail.string("tokenizer.chat_template", repo.chatTemplate());
        }
        DemoShapes.Encoded tokenizer = tokenizer(shape.vocabulary());
        int keyValues = model.keyValueCount() + tokenizer.count() + tail.keyValueCount();
        List<byte[]> parts = new ArrayList<>();
        parts.add(preamble(tensors.tensorCount(), keyValues));
        if (DemoShapes.hyperParametersLast(repo)) {
            parts.add(tokenizer.bytes());
            parts.add(tail.keyValueBytes());
            parts.add(model.keyValueBytes());
        } else {
            parts.add(model.keyValueBytes());
            parts.add(tokenizer.bytes());
            parts.add(tail.keyValueBytes());
        }
        parts.add(tensors.tensorInfoBytes());
        long length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        parts.add(new byte[(int) ((32 - length % 32) % 32)]);
        return parts;
    }

    /** The tokenizer's key-values, encoded once per vocabulary. */
    private DemoShapes.Encoded tokenizer(DemoShapes.Vocabulary vocabulary) {
        synchronized (tokenizers) {
            SoftReference<DemoShapes.Encoded> reference = tokenizers.get(vocabulary);
            DemoShapes.Encoded cached = reference == null ? null : reference.get();
            if (cached != null) {
                return cached;
            }
        }
        DemoShapes.Encoded encoded = vocabulary.encode();
        synchronized (tokenizers) {
            tokenizers.put(vocabulary, new SoftReference<>(encoded));
        }
        return encoded;
    }

    /** gguf-split's later parts: only the {@code split.*} keys, then their tensors (none listed here). */
    private static byte[] laterSplitHeader(int part, int count) {
        return new GgufWriter(3).uint16("split.no", part - 1).uint16("split.count", count)
                .int32("split.tensors.count", 0).toBytes(false);
    }

    /** A vision projector as llama.cpp's mtmd converter writes it: architecture {@code clip}. */
    private static byte[] projectorHeader(HubRepo repo) {
        return new GgufWriter(3).string("general.architecture", "clip").string("general.type", "mmproj")
                .string("general.name", repo.name()).bool("clip.has_vision_encoder", true)
                .string("clip.projector_type", "gemma3".equals(repo.architecture()) ? "gemma3" : "qwen2vl_merger")
                .uint32("clip.vision.image_size", 896).uint32("clip.vision.patch_size", 14)
                .uint32("clip.vision.embedding_length", 1152).uint32("clip.vision.feed_forward_length", 4304)
                .uint32("clip.vision.block_count", 27).uint32("clip.vision.attention.head_count", 16)
                .toBytes(false);
    }

    /** llama.cpp's imatrix tool since 2025: {@code general.type} imatrix, the data set and chunk counts. */
    private static byte[] imatrixHeader(HubRepo repo) {
        return new GgufWriter(3).string("general.type", "imatrix")
                .array("imatrix.datasets", ValueType.STRING, List.of("calibration_datav3.txt"))
                .uint32("imatrix.chunk_count", 125).uint32("imatrix.chunk_size", 512).toBytes(false);
    }

    private static byte[] preamble(int tensors, int keyValues) {
        ByteBuffer out = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        out.put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(3).putLong(tensors).putLong(keyValues);
        return out.array();
    }

    /** The quantisation a file name carries ({@code Model.Q4_K_M.gguf}, {@code model-iq4_xs.gguf}), or null. */
    static QuantType quantOf(String path) {
        String upper = path.toUpperCase(Locale.ROOT);
        for (QuantType quant : QUANTS_LONGEST_FIRST) {
            int at = upper.lastIndexOf(quant.name());
            if (at > 0 && !Character.isLetterOrDigit(upper.charAt(at - 1))) {
                int end = at + quant.name().length();
                if (end == upper.length() || !Character.isLetterOrDigit(upper.charAt(end))) {
                    return quant;
                }
            }
        }
        return null;
    }

    private static <K, V> Map<K, V> lru(int entries) {
        return Collections.synchronizedMap(new LinkedHashMap<>(entries * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > entries;
            }
        });
    }
}
