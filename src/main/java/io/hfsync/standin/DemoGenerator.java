package io.hfsync.standin;

import io.hfsync.standin.DemoVocabulary.Family;
import io.hfsync.standin.DemoVocabulary.FileStyle;
import io.hfsync.standin.DemoVocabulary.Quantiser;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Builds synthetic repos shaped like the Hub's GGUF repos, drawing every choice from one seeded
 * {@link Random} in a fixed order, so that the same seed, count and clock give the same data.
 *
 * <p>Long because every choice is drawn from one seeded stream in a fixed order, and the demo data
 * (and the measurements made on it) depend on that order: one file keeps the order of a repo's content in view. Its
 * history and popularity, drawn from the same stream right after, are {@link DemoHistory}'s.
 */
final class DemoGenerator {

    /** The Hub refuses files over 50 GB; quantisers split above about 48 GB. */
    private static final long SPLIT_ABOVE = 48_000_000_000L;
    private static final long PART_SIZE = 45_000_000_000L;
    private static final long SAFETENSORS_SHARD = 5_000_000_000L;

    private static final List<QuantType> STATIC_QUANTS = List.of(QuantType.Q2_K, QuantType.Q3_K_S,
            QuantType.Q3_K_M, QuantType.Q3_K_L, QuantType.Q4_0, QuantType.Q4_K_S, QuantType.Q4_K_M,
            QuantType.Q5_0, QuantType.Q5_K_S, QuantType.Q5_K_M, QuantType.Q6_K, QuantType.Q8_0, QuantType.F16);
    private static final List<QuantType> IMATRIX_QUANTS = List.of(QuantType.IQ1_S, QuantType.IQ1_M,
            QuantType.IQ2_XXS, QuantType.IQ2_XS, QuantType.IQ2_M, QuantType.IQ3_XXS, QuantType.IQ3_M,
            QuantType.Q4_0, QuantType.IQ4_NL, QuantType.IQ4_XS, QuantType.Q4_K_M, QuantType.Q5_K_M, QuantType.Q6_K);
    private static final List<QuantType> SINGLE_QUANTS = List.of(QuantType.Q4_K_M, QuantType.Q4_K_M,
            QuantType.Q4_K_M, QuantType.Q5_K_M, QuantType.Q8_0, QuantType.Q6_K, QuantType.Q4_0, QuantType.Q5_K_S,
            QuantType.Q4_K_S, QuantType.Q3_K_M, QuantType.IQ4_NL);

    /** The model a repo quantises: its name, the base repo it came from, and its family. */
    private record Model(String name, String baseId, Family family, long parameters, boolean chat) {
    }

    private final MarkableRandom random;
    /**
     * The docs/files.md traits (chat templates, imatrix files stored as GGUF, byte pieces, split sets still uploading)
     * draw from a stream of their own, so adding them left every earlier draw as it was: the same repos, times and
     * sizes that tests and benchmarks were measured on.
     */
    private final MarkableRandom traits;
    /** Which models come from the families added for the GGUF headers ({@link DemoVocabulary#HEADER_FAMILIES}). */
    private final Random swaps;
    private final boolean headerFamilies;
    private boolean swapsAllowed;
    /** Whether the draft being drawn took a model from the header families. */
    private boolean swapped;
    private final DemoHistory history;
    private final Set<String> usedIds = new HashSet<>(); // membership tests only, never iterated
    /** Ids of repos whose model came from the header families (they never take an id the others would have). */
    private final Set<String> swappedIds = new HashSet<>();

    DemoGenerator(long seed, Instant now) {
        this(seed, now, true);
    }

    /** @param headerFamilies false: the repos as the generator made them before {@link DemoVocabulary#HEADER_FAMILIES} */
    DemoGenerator(long seed, Instant now, boolean headerFamilies) {
        this.random = new MarkableRandom(seed);
        this.traits = new MarkableRandom(seed * 0x9E3779B97F4A7C15L + 13);
        this.swaps = new Random(seed * 0xC2B2AE3D27D4EB4FL + 29);
        this.headerFamilies = headerFamilies;
        this.swapsAllowed = headerFamilies;
        this.history = new DemoHistory(random, now.truncatedTo(ChronoUnit.SECONDS));
    }

    HubSnapshot generate(int count) {
        boolean[] recent = pickRecent(count);
        HubSnapshot snapshot = new HubSnapshot();
        Instant previousCommit = null;
        for (int i = 0; i < count; i++) {
            HubRepo repo = history.finish(uniqueDraft(), recent[i], previousCommit);
            snapshot.put(repo);
            previousCommit = repo.lastModified();
        }
        return snapshot;
    }

    /** A handful of repos (one in 250, at least one) changed within the last 48 hours. */
    private boolean[] pickRecent(int count) {
        boolean[] recent = new boolean[count];
        int wanted = count == 0 ? 0 : Math.max(1, count / 250);
        for (int picked = 0; picked < wanted; ) {
            int index = random.nextInt(count);
            if (!recent[index]) {
                recent[index] = true;
                picked++;
            }
        }
        return recent;
    }

    /**
     * A draft whose id is new. A draft whose model came from the header families is drawn a second time from the same
     * point without them: that one (the repo the generator made before those families existed) decides whether the
     * id is taken and where the draws go on, so every other repo stays as it was; the first one's content is kept
     * when its own id is new too.
     */
    private DemoDraft uniqueDraft() {
        while (true) {
            long randomMark = random.mark();
            long traitsMark = traits.mark();
            swapped = false;
            DemoDraft draft = draft();
            if (!swapped) {
                String id = draft.id().toLowerCase(Locale.ROOT);
                if (!swappedIds.contains(id) && usedIds.add(id)) {
                    return draft;
                }
                continue;
            }
            random.reset(randomMark);
            traits.reset(traitsMark);
            swapsAllowed = false;
            DemoDraft original = draft();
            swapsAllowed = headerFamilies;
            String originalId = original.id().toLowerCase(Locale.ROOT);
            if (swappedIds.contains(originalId) || !usedIds.add(originalId)) {
                continue;
            }
            String id = draft.id().toLowerCase(Locale.ROOT);
            // a 671B model cut into byte pieces by a quantiser that does so has no .gguf file the Hub could tag
            boolean tagged = !draft.tags().contains("gguf") || draft.files().stream().anyMatch(RepoFile::isGguf);
            return tagged && !usedIds.contains(id) && swappedIds.add(id) ? draft : original;
        }
    }

    private DemoDraft draft() {
        double kind = random.nextDouble();
        if (kind < 0.03) {
            return random.nextBoolean() ? namedGgufWithoutTag() : namedGgufWithoutGgufFiles();
        }
        if (kind < 0.55) {
            return quantiserRepo(weightedQuantiser());
        }
        if (kind < 0.85) {
            return ggufMyRepo();
        }
        return smallUpload();
    }

    // ---- repo kinds ----

    /** A big quantiser's repo: many quantisations of one model, sometimes an imatrix (i1) repo. */
    private DemoDraft quantiserRepo(Quantiser quantiser) {
        Model model = model();
        boolean i1Repo = quantiser.imatrix() && random.nextDouble() < 0.35;
        String id = quantiser.handle() + "/" + model.name() + (i1Repo ? "-i1-GGUF" : "-GGUF");
        List<RepoFile> files = new ArrayList<>();
        List<String> styleTags = new ArrayList<>();
        if (i1Repo) {
            for (QuantType quant : subset(IMATRIX_QUANTS, 5, IMATRIX_QUANTS.size())) {
                addQuant(files, quantiser.style(), model, quant, "i1-", quantiser.subFolder(), quantiser.byteParts());
            }
            String imatrix = random.nextBoolean() ? "imatrix.dat" : model.name() + ".imatrix";
            files.add(new RepoFile(imatrixAsGguf() ? model.name() + ".imatrix.gguf" : imatrix, imatrixSize()));
            styleTags.add("imatrix");
        } else {
            List<QuantType> quants = new ArrayList<>(subset(STATIC_QUANTS, 4, STATIC_QUANTS.size()));
            if (quantiser.imatrix() && random.nextBoolean()) {
                quants.add(QuantType.IQ3_M);
                quants.add(QuantType.IQ4_XS);
                files.add(new RepoFile(model.name() + (imatrixAsGguf() ? ".imatrix.gguf" : ".imatrix"), imatrixSize()));
                styleTags.add("imatrix");
            }
            if (model.parameters() < 4_000_000_000L && random.nextDouble() < 0.3) {
                quants.add(random.nextBoolean() ? QuantType.BF16 : QuantType.F32);
            }
            for (QuantType quant : quants) {
                addQuant(files, quantiser.style(), model, quant, "", quantiser.subFolder(), quantiser.byteParts());
            }
        }
        if (model.family().vision()) {
            String precision = quantiser.style() == FileStyle.LOWER ? "f16" : random.nextBoolean() ? "F16" : "f16";
            files.add(new RepoFile("mmproj-" + model.name() + "-" + precision + ".gguf", mmprojSize()));
        }
        return ggufDraft(id, model, files, styleTags, "gguf", 3.0);
    }

    /** One quantisation made with the gguf-my-repo space: lower-case file, quant in the repo name. */
    private DemoDraft ggufMyRepo() {
        Model model = model();
        QuantType quant = pick(SINGLE_QUANTS);
        String id = userHandle() + "/" + model.name() + "-" + quant.name() + "-GGUF";
        String lowerName = model.name().toLowerCase(Locale.ROOT);
        List<RepoFile> files = new ArrayList<>();
        files.add(new RepoFile(lowerName + "-" + quant.lowerCase() + ".gguf", quantSize(model, quant)));
        if (random.nextDouble() < 0.15) {
            files.add(new RepoFile(lowerName + "-" + quant.lowerCase() + "-imat.gguf", quantSize(model, quant)));
            files.add(new RepoFile("imatrix.dat", imatrixSize()));
        }
        String library = random.nextDouble() < 0.7 ? "transformers" : "gguf";
        return ggufDraft(id, model, files, List.of("llama-cpp", "gguf-my-repo"), library, 0.3);
    }

    /** Someone uploading one to three quantisations of their own model. */
    private DemoDraft smallUpload() {
        Model model = model();
        FileStyle style = pick(List.of(FileStyle.values()));
        String suffix = pick(List.of("-GGUF", "-GGUF", "-gguf", "_GGUF", "-GGUF-v2"));
        String id = userHandle() + "/" + model.name() + suffix;
        List<RepoFile> files = new ArrayList<>();
        for (QuantType quant : subset(STATIC_QUANTS, 1, 3)) {
            addQuant(files, style, model, quant, "", random.nextBoolean(), false);
        }
        return ggufDraft(id, model, files, List.of(), random.nextDouble() < 0.85 ? "gguf" : null, 0.5);
    }

    /** "gguf" in the name and .gguf files, but the Hub never tagged it (no metadata parsed). */
    private DemoDraft namedGgufWithoutTag() {
        Model model = model(false);
        String id = userHandle() + "/" + model.name() + "-gguf";
        List<RepoFile> files = new ArrayList<>();
        for (QuantType quant : subset(STATIC_QUANTS, 1, 2)) {
            addQuant(files, FileStyle.DASH, model, quant, "", false, false);
        }
        List<String> tags = new ArrayList<>(List.of("license:" + model.family().license(), "region:us"));
        return new DemoDraft(id, withRepoBasics(files), tags, null, null, null, null, null, false, 0.2, null);
    }

    /** "gguf" in the name but only safetensors weights: a model prepared for conversion, not a GGUF repo. */
    private DemoDraft namedGgufWithoutGgufFiles() {
        Model model = model(false);
        String id = userHandle() + "/" + model.name() + pick(List.of("-for-gguf", "-gguf-conversion", "-pre-GGUF"));
        List<RepoFile> files = new ArrayList<>(List.of(
                new RepoFile("config.json", 600 + random.nextInt(900)),
                new RepoFile("generation_config.json", 120 + random.nextInt(120)),
                new RepoFile("tokenizer.json", 7_000_000 + random.nextInt(5_000_000)),
                new RepoFile("tokenizer_config.json", 20_000 + random.nextInt(30_000))));
        long weights = model.parameters() * 2;
        int shards = (int) Math.max(1, (weights + SAFETENSORS_SHARD - 1) / SAFETENSORS_SHARD);
        if (shards == 1) {
            files.add(new RepoFile("model.safetensors", weights));
        } else {
            for (int part = 1; part <= shards; part++) {
                files.add(new RepoFile(String.format("model-%05d-of-%05d.safetensors", part, shards),
                        partSize(weights, shards, part)));
            }
            files.add(new RepoFile("model.safetensors.index.json", 20_000 + random.nextInt(60_000)));
        }
        List<String> tags = new ArrayList<>(List.of("transformers", "safetensors", model.family().architecture()));
        tags.add("text-generation");
        tags.add("license:" + model.family().license());
        tags.add("region:us");
        return new DemoDraft(id, withRepoBasics(files), tags, "text-generation", "transformers", null, null, null,
                false, 0.2, null);
    }

    // ---- shared parts ----

    private DemoDraft ggufDraft(String id, Model model, List<RepoFile> files, List<String> styleTags, String library,
            double popularity) {
        Family family = model.family();
        String pipeline = family.vision() ? "image-text-to-text" : random.nextDouble() < 0.65 ? "text-generation" : null;
        List<String> tags = new ArrayList<>();
        if ("transformers".equals(library)) {
            tags.add("transformers");
        }
        tags.add("gguf");
        tags.addAll(styleTags);
        if (random.nextDouble() < 0.3) {
            tags.add("en");
        }
        tags.add("base_model:" + model.baseId());
        tags.add("base_model:quantized:" + model.baseId());
        tags.add("license:" + family.license());
        if (pipeline != null) {
            tags.add(pipeline);
        }
        tags.add("endpoints_compatible");
        tags.add("region:us");
        if (model.chat()) {
            tags.add("conversational");
        }
        // the Hub reads the metadata from the first GGUF file; now and then it cannot
        double metadata = random.nextDouble();
        String architecture = metadata < 0.05 ? null : family.architecture();
        Long parameters = metadata < 0.05 ? null : model.parameters();
        Long contextLength = metadata < 0.08 ? null : family.contextLength();
        // the template sits in the parsed GGUF's header; now and then a converter left it out
        String chatTemplate = architecture == null || traits.nextDouble() < 0.1 ? null : family.chatTemplate().text;
        return new DemoDraft(id, withRepoBasics(files), tags, pipeline, library, architecture, contextLength, parameters,
                family.gatedBase(), popularity, chatTemplate);
    }

    /** Adds README.md and .gitattributes (which grows with every LFS file) and sorts like a git tree. */
    private List<RepoFile> withRepoBasics(List<RepoFile> files) {
        List<RepoFile> all = new ArrayList<>(files);
        long lfsFiles = files.stream().filter(f -> f.isGguf() || f.size() > 10_000_000).count();
        all.add(new RepoFile(".gitattributes", 1519 + 64 * lfsFiles));
        all.add(new RepoFile("README.md", 900 + random.nextInt(14_000)));
        all.sort(Comparator.comparing(RepoFile::path));
        return all;
    }

    /**
     * One quantisation, split into parts (in a folder of its own, side by side, or as byte pieces) when over the
     * Hub's limit; now and then a set is still uploading and lacks its last part.
     */
    private void addQuant(List<RepoFile> files, FileStyle style, Model model, QuantType quant, String prefix,
            boolean subFolder, boolean byteParts) {
        long size = quantSize(model, quant);
        String quantLabel = prefix + (style == FileStyle.LOWER ? quant.lowerCase() : quant.name());
        String stem = switch (style) {
            case DOT -> model.name() + "." + quantLabel;
            case DASH -> model.name() + "-" + quantLabel;
            case LOWER -> model.name().toLowerCase(Locale.ROOT) + "-" + quantLabel;
        };
        if (size <= SPLIT_ABOVE) {
            files.add(new RepoFile(stem + ".gguf", size));
            return;
        }
        int parts = (int) ((size + PART_SIZE - 1) / PART_SIZE);
        int uploaded = traits.nextDouble() < 0.05 ? parts - 1 : parts;
        if (byteParts) {
            for (int part = 1; part <= uploaded; part++) {
                files.add(new RepoFile(stem + ".gguf.part" + part + "of" + parts, partSize(size, parts, part)));
            }
            return;
        }
        // a folder per quantisation is named like the quantisation: Q8_0/Model-Q8_0-00001-of-00003.gguf
        String folderLabel = prefix + quant.name();
        String folder = subFolder ? folderLabel + "/" : "";
        String partStem = subFolder ? model.name() + "-" + folderLabel : stem;
        for (int part = 1; part <= uploaded; part++) {
            files.add(new RepoFile(String.format("%s%s-%05d-of-%05d.gguf", folder, partStem, part, parts),
                    partSize(size, parts, part)));
        }
    }

    private static long partSize(long total, int parts, int part) {
        long even = total / parts;
        return part < parts ? even : total - even * (parts - 1);
    }

    private long quantSize(Model model, QuantType quant) {
        // tensor layouts differ a little between models; keep sizes from looking computed
        double jitter = 0.985 + random.nextDouble() * 0.03;
        return (long) (quant.fileSize(model.parameters()) * jitter) + 2_000_000 + random.nextInt(8_000_000);
    }

    /** llama.cpp writes imatrix files as GGUF since 2025; older repos keep the .dat / .imatrix format. */
    private boolean imatrixAsGguf() {
        return traits.nextDouble() < 0.4;
    }

    private long imatrixSize() {
        return 2_000_000 + random.nextInt(9_000_000);
    }

    private long mmprojSize() {
        return 600_000_000L + random.nextInt(1_200_000_000);
    }

    /** An official release or a fine-tune of one, with its parameter count. */
    private Model model() {
        return model(true);
    }

    /**
     * @param newFamilies whether the model may come from {@link DemoVocabulary#HEADER_FAMILIES} (only where no later
     *                    draw depends on the parameter count beyond which side of 4B it is on)
     */
    private Model model(boolean newFamilies) {
        Family drawn = pick(DemoVocabulary.FAMILIES);
        Family family = drawn;
        double billions = pick(family.sizes());
        double jitter = 0.97 + random.nextDouble() * 0.13;
        // the families whose headers the memory estimate treats apart (experts, latent attention, recurrent layers)
        // come from a stream of their own, in place of a family with the same draws after it: not a vision family,
        // the same kind of instruct name, the same side of 4B parameters. Every other repo stays as it was.
        double roll = swaps.nextDouble();
        int choice = swaps.nextInt(1 << 20);
        if (newFamilies && swapsAllowed && !drawn.vision() && roll < 0.15) {
            boolean small = (long) (billions * 1e9 * jitter) < 4_000_000_000L;
            List<Family> candidates = DemoVocabulary.HEADER_FAMILIES.stream()
                    .filter(f -> f.instructWord().isEmpty() == drawn.instructWord().isEmpty())
                    .filter(f -> f.sizes().stream().anyMatch(b -> ((long) (b * 1e9 * jitter) < 4_000_000_000L) == small))
                    .toList();
            if (!candidates.isEmpty()) {
                swapped = true;
                family = candidates.get(choice % candidates.size());
                List<Double> sizes = family.sizes().stream()
                        .filter(b -> ((long) (b * 1e9 * jitter) < 4_000_000_000L) == small).toList();
                billions = sizes.get((choice / 7) % sizes.size());
            }
        }
        String size = DemoVocabulary.sizeLabel(family, billions).orElse(sizeLabel(billions));
        long parameters = (long) (billions * 1e9 * jitter);
        if (random.nextBoolean()) {
            boolean chat = !family.instructWord().isEmpty() && random.nextDouble() < 0.7;
            String name = family.name() + "-" + size + (chat ? "-" + family.instructWord() : "");
            return new Model(name, family.creator() + "/" + name, family, parameters, chat || family.instructWord().isEmpty());
        }
        String fineTune = pick(DemoVocabulary.FINE_TUNE_NAMES);
        String kind = pick(DemoVocabulary.FINE_TUNE_KINDS);
        String name = switch (random.nextInt(3)) {
            case 0 -> fineTune + "-" + family.name() + "-" + size;
            case 1 -> family.name() + "-" + size + "-" + fineTune + "-" + kind;
            default -> fineTune + "-" + kind + "-" + size;
        };
        if (random.nextDouble() < 0.4) {
            name += "-v" + (1 + random.nextInt(3)) + "." + random.nextInt(10);
        }
        return new Model(name, userHandle() + "/" + name, family, parameters, random.nextDouble() < 0.75);
    }

    private static String sizeLabel(double billions) {
        if (billions < 0.4) {
            return Math.round(billions * 1000) + "M";
        }
        return (billions == Math.rint(billions) ? Long.toString((long) billions) : Double.toString(billions)) + "B";
    }

    private Quantiser weightedQuantiser() {
        int total = DemoVocabulary.QUANTISERS.stream().mapToInt(Quantiser::weight).sum();
        int roll = random.nextInt(total);
        for (Quantiser quantiser : DemoVocabulary.QUANTISERS) {
            roll -= quantiser.weight();
            if (roll < 0) {
                return quantiser;
            }
        }
        throw new IllegalStateException("weights add up to " + total);
    }

    /** An invented one-off handle such as {@code Kavoren-ai} or {@code mitsu42}. */
    private String userHandle() {
        StringBuilder handle = new StringBuilder();
        int syllables = 2 + random.nextInt(2);
        for (int i = 0; i < syllables; i++) {
            handle.append(pick(DemoVocabulary.SYLLABLES));
        }
        if (random.nextBoolean()) {
            handle.setCharAt(0, Character.toUpperCase(handle.charAt(0)));
        }
        return handle + pick(DemoVocabulary.HANDLE_ENDINGS);
    }

    /** Between min and max distinct elements, in the list's own order. */
    private <T> List<T> subset(List<T> from, int min, int max) {
        int wanted = min + random.nextInt(max - min + 1);
        List<T> chosen = new ArrayList<>();
        int left = from.size();
        for (T element : from) {
            // selection sampling keeps the order and draws a fixed number of random values
            if (random.nextInt(left) < wanted - chosen.size()) {
                chosen.add(element);
            }
            left--;
        }
        return chosen;
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }
}
