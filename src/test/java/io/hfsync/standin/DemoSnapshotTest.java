package io.hfsync.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DemoSnapshotTest {

    private static final Instant NOW = Instant.parse("2026-11-25T02:00:00Z");
    private static final Instant HUB_RECORDS_START = Instant.parse("2022-03-02T23:29:04Z");
    /** Quantisation labels as they appear in GGUF file names, upper or lower case, with or without i1-. */
    private static final Pattern QUANT_IN_NAME = Pattern.compile(
            "(?i)(^|[-._/])(i1-)?(IQ[1-4]_(XXS|XS|S|M|NL)|Q[2-8]_(K(_[SML])?|0|1)|F16|BF16|F32)([-._/]|$)");
    private static final Pattern SPLIT_PART = Pattern.compile("-\\d{5}-of-\\d{5}\\.gguf$");
    private static final Pattern SPLIT_SET_PART = Pattern.compile("^(.*)-\\d{5}-of-(\\d{5})\\.gguf$");

    private static List<HubRepo> demo;

    @BeforeAll
    static void generateDemo() {
        demo = DemoSnapshot.generate(42, DemoSnapshot.DEMO_SIZE, NOW).all();
    }

    @Test
    void sameSeedCountAndClockGiveIdenticalDataAndAnotherSeedDoesNot() throws Exception {
        List<HubRepo> again = DemoSnapshot.generate(42, DemoSnapshot.DEMO_SIZE, NOW).all();

        assertEquals(demo, again);
        assertEquals(serialise(demo), serialise(again), "byte-identical as served");
        assertNotEquals(demo, DemoSnapshot.generate(43, DemoSnapshot.DEMO_SIZE, NOW).all());
        assertEquals(DemoSnapshot.generate(42, 10, NOW).all(), DemoSnapshot.generate(42, 10, NOW).all());
    }

    @Test
    void hasExactlyTheRequestedNumberOfReposWithIdsUniqueIgnoringCase() {
        assertEquals(DemoSnapshot.DEMO_SIZE, demo.size());
        assertEquals(demo.size(), demo.stream().map(r -> r.id().toLowerCase(Locale.ROOT)).distinct().count());
        assertEquals(0, DemoSnapshot.generate(1, 0, NOW).size());
    }

    @Test
    void commitTimesSpreadOverTwoYearsWithAHandfulInTheLast48Hours() {
        for (HubRepo repo : demo) {
            assertFalse(repo.lastModified().isAfter(NOW), repo.id());
            assertTrue(repo.lastModified().isAfter(NOW.minus(Duration.ofDays(731))), repo.id());
            assertFalse(repo.createdAt().isAfter(repo.lastModified()), repo.id());
            assertFalse(repo.createdAt().isBefore(HUB_RECORDS_START), repo.id());
            assertEquals(0, repo.lastModified().getNano(), "whole seconds, like the Hub");
        }
        long recent = count(r -> r.lastModified().isAfter(NOW.minus(Duration.ofHours(48))));
        assertTrue(recent >= 5 && recent <= 20, "recent: " + recent);
        assertTrue(count(r -> r.lastModified().isBefore(NOW.minus(Duration.ofDays(600)))) > 100);
        assertTrue(count(r -> r.createdAt().equals(HUB_RECORDS_START)) >= 5);
    }

    @Test
    void containsTheMessyCasesAClientMustHandle() {
        assertBetween(5, 50, count(HubRepo::isPrivate), "private");
        assertTrue(count(r -> "auto".equals(r.gated())) >= 10, "gated auto");
        assertTrue(count(r -> "manual".equals(r.gated())) >= 3, "gated manual");
        assertTrue(count(r -> r.pipelineTag() == null) > 200, "no pipeline_tag");
        assertTrue(count(r -> r.hasTag("gguf") && r.architecture() == null && r.parameters() == null) >= 20, "no gguf metadata");
        assertTrue(count(r -> r.downloads() == null) >= 20, "downloads missing");
        assertTrue(demo.stream().allMatch(r -> r.sha().matches("[0-9a-f]{40}")));
        assertTrue(demo.stream().map(HubRepo::owner).distinct().count() > 500, "many one-off owners");
        assertTrue(count(r -> r.owner().equals("QuantFoundry")) > 100, "a few big quantisers");
    }

    @Test
    void aboutThreePercentAreFoundOnlyByNameSomeWithGgufFilesSomeWithout() {
        List<HubRepo> nameOnly = demo.stream()
                .filter(r -> !r.hasTag("gguf") && r.id().toLowerCase(Locale.ROOT).contains("gguf")).toList();

        assertBetween(30, 100, nameOnly.size(), "found by name only");
        assertTrue(nameOnly.stream().anyMatch(HubRepo::hasGgufFile));
        assertTrue(nameOnly.stream().anyMatch(r -> !r.hasGgufFile()));
        assertTrue(demo.stream().filter(r -> r.hasTag("gguf")).allMatch(HubRepo::hasGgufFile));
    }

    @Test
    void fileListsLookLikeRealGgufRepos() {
        List<String> files = demo.stream().flatMap(r -> r.files().stream()).map(RepoFile::path).toList();

        assertTrue(demo.stream().allMatch(r -> r.files().stream().anyMatch(f -> f.path().equals(".gitattributes"))));
        assertTrue(files.stream().anyMatch(f -> f.matches("Q8_0/.+-Q8_0-00001-of-0000\\d\\.gguf")), "split into a folder");
        assertTrue(files.stream().anyMatch(f -> !f.contains("/") && SPLIT_PART.matcher(f).find()), "split side by side");
        assertTrue(files.stream().anyMatch(f -> f.startsWith("mmproj-") && f.endsWith(".gguf")), "projectors");
        assertTrue(files.stream().anyMatch(f -> f.contains("i1-IQ")), "imatrix quants");
        assertTrue(files.stream().anyMatch(f -> f.endsWith(".imatrix")) && files.contains("imatrix.dat"));
        assertTrue(files.stream().anyMatch(f -> f.matches("[a-z0-9.\\-]+-q4_k_m\\.gguf")), "gguf-my-repo style");
        for (String quant : List.of("Q2_K", "Q3_K_S", "Q3_K_M", "Q3_K_L", "Q4_0", "Q4_K_S", "Q4_K_M", "Q5_0", "Q5_K_S",
                "Q5_K_M", "Q6_K", "Q8_0", "IQ1_S", "IQ2_XXS", "IQ3_M", "IQ4_XS", "IQ4_NL", "F16", "BF16", "F32")) {
            assertTrue(files.stream().anyMatch(f -> f.contains(quant + ".gguf") || f.contains(quant + "-0")), quant);
        }
        List<String> withoutQuant = files.stream()
                .filter(f -> f.endsWith(".gguf") && !f.startsWith("mmproj-") && !f.endsWith(".imatrix.gguf"))
                .filter(f -> !QUANT_IN_NAME.matcher(f).find()).toList();
        assertEquals(List.of(), withoutQuant, "every model file names its quantisation");
    }

    @Test
    void hasWhatCatalogFidelityReadsFromTheListing() {
        List<String> files = demo.stream().flatMap(r -> r.files().stream()).map(RepoFile::path).toList();

        assertTrue(count(r -> r.files().stream().anyMatch(f -> f.path().endsWith(".imatrix.gguf"))) >= 10,
                "imatrix stored as GGUF");
        assertTrue(files.stream().anyMatch(f -> f.matches(".+\\.gguf\\.part1of\\d")), "byte pieces");
        assertTrue(count(DemoSnapshotTest::hasIncompleteSplitSet) >= 3, "split sets still uploading");
        assertTrue(count(r -> r.files().stream().anyMatch(f -> f.path().startsWith("mmproj-"))) >= 20, "vision");
        assertTrue(count(r -> r.chatTemplate() != null && r.chatTemplate().contains("tools")
                && !r.chatTemplate().contains("<think>")) >= 50, "templates with tools");
        assertTrue(count(r -> r.chatTemplate() != null && r.chatTemplate().contains("<think>")
                && !r.chatTemplate().contains("tools")) >= 20, "reasoning templates");
        assertTrue(count(r -> r.chatTemplate() != null && r.chatTemplate().contains("tools")
                && r.chatTemplate().contains("<think>")) >= 20, "both");
        assertTrue(count(r -> r.chatTemplate() != null && !r.chatTemplate().contains("tools")
                && !r.chatTemplate().contains("<think>")) >= 50, "neither");
        assertTrue(count(r -> r.architecture() != null && r.chatTemplate() == null) >= 20, "no template in the GGUF");
        assertEquals(0, count(r -> r.architecture() == null && r.parameters() == null && r.chatTemplate() != null),
                "a template only where the Hub parsed a GGUF header");
        assertTrue(count(r -> r.tags().stream().anyMatch(t -> t.startsWith("base_model:quantized:"))) > 1000);
        assertTrue(count(r -> r.tags().stream().anyMatch(t -> t.startsWith("license:"))) > 1000);
    }

    private static boolean hasIncompleteSplitSet(HubRepo repo) {
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Integer> announced = new HashMap<>();
        for (RepoFile file : repo.files()) {
            Matcher m = SPLIT_SET_PART.matcher(file.path());
            if (m.matches()) {
                seen.merge(m.group(1), 1, Integer::sum);
                announced.put(m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        return seen.entrySet().stream().anyMatch(e -> e.getValue() < announced.get(e.getKey()));
    }

    @Test
    void fileSizesFollowParameterCountTimesBitsPerWeight() {
        int checked = 0;
        for (HubRepo repo : demo) {
            if (repo.parameters() == null) {
                continue;
            }
            for (RepoFile file : repo.files()) {
                if (file.path().endsWith("Q8_0.gguf") || file.path().endsWith("q8_0.gguf")) {
                    double bytesPerWeight = (double) file.size() / repo.parameters();
                    assertTrue(bytesPerWeight > 1.0 && bytesPerWeight < 1.15, file.path() + ": " + bytesPerWeight);
                    checked++;
                }
            }
            long splitTotal = repo.files().stream().filter(f -> SPLIT_PART.matcher(f.path()).find())
                    .mapToLong(RepoFile::size).max().orElse(0);
            assertTrue(splitTotal <= 50_000_000_000L, "no part over the Hub's 50 GB limit: " + repo.id());
        }
        assertTrue(checked > 100, "checked " + checked);
    }

    /**
     * Optional cross-check against real data: the quantisation patterns of the real file names in the
     * shared samples are the ones the generator uses. Skipped where the samples are not present.
     */
    @Test
    void realGgufFileNamesUseTheSameQuantisationPatterns() throws Exception {
        Path samples = Path.of("/work/shared/hub-samples/gguf-list/collections.json");
        assumeTrue(Files.isReadable(samples), "real samples not present");
        List<String> realNames = new ArrayList<>();
        for (JsonNode collection : new ObjectMapper().readTree(samples.toFile())) {
            for (JsonNode item : collection.path("items")) {
                item.path("files").forEach(f -> realNames.add(f.path("rfilename").asText()));
            }
        }
        List<String> realGguf = realNames.stream().filter(n -> n.endsWith(".gguf")).toList();
        long matching = realGguf.stream().filter(n -> QUANT_IN_NAME.matcher(n).find()).count();

        assertTrue(realGguf.size() > 1000);
        assertTrue(matching >= realGguf.size() * 0.95, matching + " of " + realGguf.size() + " real names match");
        var realLabels = realGguf.stream().map(DemoSnapshotTest::quantLabel).filter(l -> !l.isEmpty()).collect(Collectors.toSet());
        var demoLabels = new HashSet<>(demo.stream().flatMap(r -> r.files().stream()).map(RepoFile::path)
                .filter(p -> p.endsWith(".gguf")).map(DemoSnapshotTest::quantLabel).toList());
        assertTrue(demoLabels.containsAll(realLabels.stream().filter(l -> l.matches("q[2-8]_k_m|q8_0|q4_0")).toList()),
                "common real quantisations are generated: " + realLabels);
    }

    private static String quantLabel(String fileName) {
        var matcher = QUANT_IN_NAME.matcher(fileName);
        return matcher.find() ? matcher.group(3).toLowerCase(Locale.ROOT) : "";
    }

    private static String serialise(List<HubRepo> repos) {
        StringBuilder text = new StringBuilder();
        for (HubRepo repo : repos) {
            text.append(ModelJson.modelInfo(repo, true)).append('\n');
        }
        return text.toString();
    }

    private static long count(Predicate<HubRepo> predicate) {
        return demo.stream().filter(predicate).count();
    }

    private static void assertBetween(long min, long max, long actual, String what) {
        assertTrue(actual >= min && actual <= max, what + ": " + actual + " not in [" + min + ", " + max + "]");
    }
}
