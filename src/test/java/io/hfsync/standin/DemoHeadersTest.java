package io.hfsync.standin;

import io.hfsync.gguf.GgufHeader;
import io.hfsync.gguf.GgufReader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stand-in's GGUF headers: each family's keys read back, scaled to the repo's size, in either key order. */
class DemoHeadersTest {

    private static final Instant NOW = Instant.parse("2026-11-25T02:00:00Z");
    private static final String SHA = "d".repeat(40);

    private final DemoHeaders headers = new DemoHeaders();

    @Test
    void denseGqaScalesWithTheParameterCount() throws Exception {
        GgufHeader small = read(repo("o/Llama-3.2-1B-GGUF", "llama", 1_240_000_000L, 131072L));
        GgufHeader mid = read(repo("o/Llama-3.1-8B-GGUF", "llama", 8_030_000_000L, 131072L));
        GgufHeader large = read(repo("o/Llama-3.3-70B-GGUF", "llama", 70_600_000_000L, 131072L));
        assertEquals("llama", mid.architecture());
        assertEquals(List.of(8), mid.headCountKv());
        assertEquals(32, mid.headCount());
        assertEquals(131072L, mid.contextLength());
        assertEquals(128_256L, mid.vocabSize(), "Llama 3's vocabulary");
        assertTrue(small.blockCount() < mid.blockCount() && mid.blockCount() < large.blockCount(),
                small.blockCount() + " " + mid.blockCount() + " " + large.blockCount());
        assertTrue(small.embeddingLength() < mid.embeddingLength() && mid.embeddingLength() < large.embeddingLength());
        assertTrue(mid.blockCount() >= 28 && mid.blockCount() <= 36, "about Llama 3.1 8B's 32: " + mid.blockCount());

        GgufHeader qwen3 = read(repo("o/Qwen3-0.6B-GGUF", "qwen3", 600_000_000L, 40960L));
        assertEquals(128, qwen3.keyLength(), "Qwen3 writes a head width that is not embedding / heads");
        assertEquals(151_936L, qwen3.vocabSize());
    }

    @Test
    void gemmaHasASlidingWindowAndHalfTheGemma3ReposCarryThePattern() throws Exception {
        GgufHeader gemma2 = read(repo("o/gemma-2-9B-it-GGUF", "gemma2", 9_240_000_000L, 8192L));
        assertEquals(4096, gemma2.slidingWindow());
        assertEquals(256, gemma2.keyLength());

        int withPattern = 0;
        for (int i = 0; i < 8; i++) {
            GgufHeader gemma3 = read(repo("o" + i + "/gemma-3-27B-it-GGUF", "gemma3", 27_000_000_000L, 131072L));
            assertEquals(1024, gemma3.slidingWindow());
            assertEquals(262_144L, gemma3.vocabSize());
            if (gemma3.slidingWindowPattern() != null) {
                withPattern++;
                List<Boolean> pattern = gemma3.slidingWindowPattern();
                assertEquals(gemma3.blockCount(), pattern.size());
                assertEquals(List.of(true, true, true, true, true, false), pattern.subList(0, 6), "every 6th layer global");
            }
        }
        assertTrue(withPattern > 0 && withPattern < 8, "some with the key, some without: " + withPattern);
    }

    @Test
    void expertsLatentAttentionAndRecurrentLayersAreWrittenAsLlamaCppReadsThem() throws Exception {
        GgufHeader moe = read(repo("o/Qwen3-30B-A3B-GGUF", "qwen3moe", 30_500_000_000L, 40960L));
        assertEquals(128, moe.expertCount());
        assertEquals(8, moe.expertUsedCount());
        assertEquals(768, moe.expertFeedForwardLength());
        assertEquals(48, moe.blockCount());
        assertEquals(List.of(4), moe.headCountKv());

        GgufHeader mla = read(repo("o/DeepSeek-V3-671B-GGUF", "deepseek2", 671_000_000_000L, 163840L));
        assertEquals(512, mla.kvLoraRank());
        assertEquals(List.of(1), mla.headCountKv(), "one latent KV head");
        assertEquals(576, mla.keyLength(), "latent + rotary part");
        assertEquals(512, mla.valueLength());
        assertEquals(192, mla.keyLengthMla());
        assertEquals(128, mla.valueLengthMla());
        assertEquals(61, mla.blockCount());
        assertEquals(256, mla.expertCount());
        GgufHeader lite = read(repo("o/DeepSeek-V2-Lite-16B-Chat-GGUF", "deepseek2", 15_700_000_000L, 163840L));
        assertEquals(27, lite.blockCount());
        assertEquals(102_400L, lite.vocabSize());

        GgufHeader lfm2 = read(repo("o/LFM2-1.2B-GGUF", "lfm2", 1_170_000_000L, 128000L));
        assertEquals(3, lfm2.shortconvLCache());
        assertEquals(16, lfm2.headCountKv().size(), "per layer");
        assertEquals(6, lfm2.headCountKv().stream().filter(kv -> kv > 0).count(), "6 attention layers of 16");
        assertEquals(0, lfm2.headCountKv().get(0));

        GgufHeader next = read(repo("o/Qwen3-Next-80B-A3B-Instruct-GGUF", "qwen3next", 80_000_000_000L, 262144L));
        assertEquals(4, next.fullAttentionInterval());
        assertEquals(4, next.ssmConvKernel());
        assertEquals(4096, next.ssmInnerSize());
        assertEquals(128, next.ssmStateSize());
        assertEquals(16, next.ssmGroupCount());
        assertEquals(512, next.expertCount());
    }

    @Test
    void theTokenizerArraysAreGgufArraysOfTheVocabularysSize() {
        for (DemoShapes.Vocabulary vocabulary : List.of(DemoShapes.Vocabulary.bpe("qwen2", 1000),
                DemoShapes.Vocabulary.sentencePiece(1000))) {
            DemoShapes.Encoded encoded = vocabulary.encode();
            java.nio.ByteBuffer file = java.nio.ByteBuffer.allocate(24 + encoded.bytes().length)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            file.put("GGUF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(3).putLong(0)
                    .putLong(encoded.count()).put(encoded.bytes());
            GgufKeys keys = GgufKeys.parse(file.array());
            assertEquals(file.capacity(), keys.headerEnd(), "nothing left over");
            assertEquals(vocabulary.model(), keys.get("tokenizer.ggml.model"));
            GgufKeys.ArrayInfo tokens = (GgufKeys.ArrayInfo) keys.get("tokenizer.ggml.tokens");
            assertEquals(1000, tokens.count());
            assertEquals(8, tokens.itemType());
            assertEquals(1000, ((List<?>) keys.get("tokenizer.ggml.token_type")).size());
            if (vocabulary.model().equals("gpt2")) {
                assertEquals(742, ((GgufKeys.ArrayInfo) keys.get("tokenizer.ggml.merges")).count());
                assertNull(keys.get("tokenizer.ggml.scores"));
            } else {
                assertEquals(1000, ((List<?>) keys.get("tokenizer.ggml.scores")).size());
            }
        }
    }

    @Test
    void someReposHaveTheHyperParametersAfterTheTokenizerArrays() {
        HubRepo first = repo("kvantlab/Qwen2.5-7B-Instruct-GGUF", "qwen2", 7_610_000_000L, 32768L);
        assertTrue(DemoShapes.hyperParametersLast(first));
        GgufKeys last = keys(first, "Qwen2.5-7B-Instruct-Q4_K_M.gguf");
        List<String> order = last.keys();
        assertTrue(order.indexOf("tokenizer.ggml.tokens") < order.indexOf("qwen2.block_count"), order.toString());
        assertTrue(last.headerEnd() > 4_000_000, "the block count lies MB into the file: " + last.headerEnd());

        HubRepo usual = repo("lowbit-labs/Qwen2.5-7B-Instruct-GGUF", "qwen2", 7_610_000_000L, 32768L);
        if (!DemoShapes.hyperParametersLast(usual)) {
            List<String> keys = keys(usual, "Qwen2.5-7B-Instruct-Q4_K_M.gguf").keys();
            assertTrue(keys.indexOf("qwen2.block_count") < keys.indexOf("tokenizer.ggml.tokens"), keys.toString());
        }
    }

    @Test
    void theFileKindsEachGetTheirOwnHeader() {
        HubRepo repo = new HubRepo("o/Big-70B-GGUF", "o", SHA, NOW, NOW, Boolean.FALSE, 1L, 0L, List.of("gguf"), null,
                "gguf", "llama", 131072L, 70_600_000_000L, List.of(
                        new RepoFile("Q8_0/Big-70B-Q8_0-00001-of-00002.gguf", 37_000_000_000L),
                        new RepoFile("Q8_0/Big-70B-Q8_0-00002-of-00002.gguf", 37_000_000_000L),
                        new RepoFile("Big-70B.Q6_K.gguf.part1of2", 28_000_000_000L),
                        new RepoFile("Big-70B.Q6_K.gguf.part2of2", 28_000_000_000L),
                        new RepoFile("mmproj-Big-70B-f16.gguf", 800_000_000L),
                        new RepoFile("Big-70B.imatrix.gguf", 5_000_000L),
                        new RepoFile("README.md", 5_000L)), false);
        GgufKeys part1 = keys(repo, "Q8_0/Big-70B-Q8_0-00001-of-00002.gguf");
        assertEquals(0L, part1.number("split.no"));
        assertEquals(2L, part1.number("split.count"));
        assertEquals(7L, part1.number("general.file_type"), "Q8_0");
        assertEquals("llama", part1.get("general.architecture"));
        GgufKeys part2 = keys(repo, "Q8_0/Big-70B-Q8_0-00002-of-00002.gguf");
        assertEquals(1L, part2.number("split.no"));
        assertNull(part2.get("general.architecture"), "gguf-split puts the metadata in part 1 only");
        assertEquals("llama", keys(repo, "Big-70B.Q6_K.gguf.part1of2").get("general.architecture"));
        assertEquals(0, body(repo, "Big-70B.Q6_K.gguf.part2of2").prefixLength(), "a byte piece after the first: zeros");
        assertEquals("clip", keys(repo, "mmproj-Big-70B-f16.gguf").get("general.architecture"));
        assertEquals("imatrix", keys(repo, "Big-70B.imatrix.gguf").get("general.type"));
        assertEquals(0, body(repo, "README.md").prefixLength());
    }

    @Test
    void everyDemoRepoServesAHeaderTheReaderReadsWithItsListedArchitecture() throws Exception {
        HubSnapshot snapshot = DemoSnapshot.generate(42, 2000, NOW);
        Map<String, Integer> families = new TreeMap<>();
        Set<Long> vocabularies = new TreeSet<>();
        int afterTokenizer = 0;
        long largestHeader = 0;
        int read = 0; // repos read
        for (HubRepo repo : snapshot.all()) {
            RepoFile smallest = repo.files().stream().filter(f -> f.path().endsWith(".gguf") && !f.path().contains("mmproj")
                    && !f.path().contains("imatrix") && !f.path().matches(".*-000(0[2-9]|[1-9]\\d)-of-.*"))
                    .min((a, b) -> Long.compare(a.size(), b.size())).orElse(null);
            if (smallest == null) {
                continue;
            }
            read++;
            FileBody body = headers.body(repo, repo.sha(), smallest);
            GgufHeader header = GgufReader.read(source(body), repo.sha(), smallest.path());
            if (repo.architecture() != null) {
                assertEquals(repo.architecture(), header.architecture(), repo.id());
            }
            assertNotNull(header.blockCount(), repo.id());
            assertTrue(header.blockCount() >= 2 && header.blockCount() <= 200, repo.id() + ": " + header.blockCount());
            families.merge(header.architecture(), 1, Integer::sum);
            vocabularies.add(header.vocabSize());
            largestHeader = Math.max(largestHeader, body.prefixLength());
            afterTokenizer += DemoShapes.hyperParametersLast(repo) ? 1 : 0;
        }
        assertTrue(families.keySet().containsAll(Set.of("llama", "qwen3", "gemma3", "qwen3moe", "deepseek2", "lfm2",
                "qwen3next")), families.toString());
        assertTrue(vocabularies.size() >= 8, vocabularies.toString());
        assertTrue(largestHeader > 5_000_000, "large vocabularies make headers of several MB: " + largestHeader);
        assertTrue(afterTokenizer >= 3, "a few with the hyper-parameters after the tokenizer: " + afterTokenizer);
    }

    @Test
    void theNewFamiliesLeaveEveryOtherDemoRepoAsItWas() {
        HubSnapshot demo = DemoSnapshot.generate(42, 2000, NOW);
        HubSnapshot before = new DemoGenerator(42, NOW, false).generate(2000);
        Set<String> newArchitectures = Set.of("qwen3moe", "deepseek2", "lfm2", "qwen3next");
        int changed = 0;
        for (HubRepo repo : demo.all()) {
            HubRepo was = before.get(repo.id());
            if (!repo.equals(was)) {
                changed++;
                assertNull(was, "a repo that existed before changed: " + repo.id());
                assertTrue(repo.architecture() == null || newArchitectures.contains(repo.architecture()), repo.id());
            }
        }
        assertTrue(changed > 100 && changed < 400, "about one repo in eight comes from the new families: " + changed);
    }

    // ---- helpers ----

    private GgufHeader read(HubRepo repo) throws Exception {
        FileBody body = headers.body(repo, SHA, repo.files().get(0));
        return GgufReader.read(source(body), SHA, repo.files().get(0).path());
    }

    /** The file's bytes from its start, as far as the reader asks. */
    private static GgufReader.Source source(FileBody body) {
        long[] position = {0};
        return (buffer, offset, length) -> {
            if (position[0] >= body.size()) {
                return -1;
            }
            byte[] bytes = body.read(position[0], Math.min(body.size(), position[0] + length) - 1);
            System.arraycopy(bytes, 0, buffer, offset, bytes.length);
            position[0] += bytes.length;
            return bytes.length;
        };
    }

    private GgufKeys keys(HubRepo repo, String path) {
        FileBody body = body(repo, path);
        return GgufKeys.parse(body.read(0, Math.min(body.size(), 16L << 20) - 1));
    }

    private FileBody body(HubRepo repo, String path) {
        RepoFile file = repo.files().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow();
        return headers.body(repo, SHA, file);
    }

    private static HubRepo repo(String id, String architecture, long parameters, Long context) {
        String name = id.substring(id.indexOf('/') + 1).replace("-GGUF", "");
        return new HubRepo(id, id.substring(0, id.indexOf('/')), SHA, NOW, NOW.minus(Duration.ofDays(1)), Boolean.FALSE,
                1L, 0L, List.of("gguf"), null, "gguf", architecture, context, parameters,
                List.of(new RepoFile(name + "-Q4_K_M.gguf", parameters * 5 / 8 + 50_000_000L)), false);
    }
}
