package io.hfsync.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.hfsync.catalog.Capability;
import io.hfsync.catalog.CatalogEntry;
import io.hfsync.catalog.FileRole;
import io.hfsync.catalog.GgufFile;
import io.hfsync.catalog.GgufFiles;
import io.hfsync.catalog.Lineage;
import io.hfsync.catalog.Quantization;
import io.hfsync.catalog.SizeSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Catalog entries written by an earlier version (before docs/files.md) gain the fields they lack on the next run,
 * without a detail call: what the names and tags in the entry hold is enough, and a model the run lists again takes
 * every field from the listing, keeping the sizes already paid for.
 */
final class EarlierEntries {

    private EarlierEntries() {
    }

    /**
     * Whether a derived field is missing or still unknown, so the entry is re-printed instead of copied. A bound entry
     * has its memory derived already ({@link FileMemory}); a scanned one is checked by {@link #scanFiles}.
     */
    static boolean lacksDerivedFields(CatalogEntry entry) {
        if (entry.capabilities() == null) {
            return true;
        }
        if (entry.files() == null) {
            return false;
        }
        for (GgufFile file : entry.files()) {
            if (file == null || file.role() == null || file.parts() == null || file.complete() == null
                    || file.size() != null && file.sizeSource() == null) {
                return true;
            }
        }
        return false;
    }

    /** What a scan of a files value found, see {@link #scanFiles}. */
    static final int LACKS_DERIVED_FIELDS = 1;
    /** A size in the files value came from the listing (docs/sync-modes.md): a mismatch later puts it in doubt. */
    static final int SIZED_FROM_LISTING = 2;
    /** The files value holds a complete weights file: a "no complete weights file" header reason does not stand. */
    static final int COMPLETE_WEIGHTS_FILE = 4;

    /**
     * The same check on a files value while the catalog is scanned, without binding it, plus whether a size came from
     * the listing and (when {@code lookForCompleteWeights}) whether a complete weights file is there:
     * {@link #LACKS_DERIVED_FIELDS}, {@link #SIZED_FROM_LISTING} and {@link #COMPLETE_WEIGHTS_FILE} as bits. The parser
     * is on the value's first token and is left on its last one, as {@link JsonParser#skipChildren()} leaves it.
     */
    static int scanFiles(JsonParser parser, boolean lookForCompleteWeights) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return 0;
        }
        boolean lacking = false;
        boolean fromListing = false;
        boolean completeWeights = false;
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            boolean weights = false;
            boolean isComplete = false;
            boolean role = false;
            boolean parts = false;
            boolean complete = false;
            boolean sized = false;
            boolean sourced = false;
            boolean memory = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "role" -> {
                        role = value != JsonToken.VALUE_NULL;
                        // a string read only for the rare model that needs it: the scan reads 764,491 files at 200k
                        weights = lookForCompleteWeights && value == JsonToken.VALUE_STRING
                                && FileRole.WEIGHTS.wireName().equals(parser.getText());
                    }
                    case "parts" -> parts = value != JsonToken.VALUE_NULL;
                    case "complete" -> {
                        complete = value != JsonToken.VALUE_NULL;
                        isComplete = value == JsonToken.VALUE_TRUE;
                    }
                    case "size" -> sized = value != JsonToken.VALUE_NULL;
                    case "memory" -> {
                        memory = true;
                        parser.skipChildren();
                    }
                    case "size_source" -> {
                        sourced = value != JsonToken.VALUE_NULL;
                        fromListing |= value == JsonToken.VALUE_STRING
                                && SizeSource.LISTING.wireName().equals(parser.getText());
                    }
                    default -> parser.skipChildren();
                }
            }
            // a size without its source was read by a version before docs/sync-modes.md's listing sizes: from blobs
            // no memory key: printed before docs/memory.md's estimates (null is a value: a file that needs none)
            lacking |= !(role && parts && complete && memory) || sized && !sourced;
            completeWeights |= weights && isComplete;
        }
        if (parser.currentToken() != JsonToken.END_ARRAY) {
            // not a list of file objects: bind it on the slow path, which will say what is wrong
            parser.skipChildren();
            return LACKS_DERIVED_FIELDS;
        }
        return (lacking ? LACKS_DERIVED_FIELDS : 0) | (fromListing ? SIZED_FROM_LISTING : 0)
                | (completeWeights ? COMPLETE_WEIGHTS_FILE : 0);
    }

    /**
     * The entry with every derived field filled in from what it holds: lineage and licence from its tags, vision from
     * its files. Whether its template handles tools or reasoning is not in the catalog: that waits for the listing.
     */
    static CatalogEntry upgraded(CatalogEntry entry) {
        List<GgufFile> files = entry.files() == null ? null : upgraded(entry.files());
        List<String> capabilities = entry.capabilities() != null ? entry.capabilities() : Capability.of(files, null);
        return new CatalogEntry(entry.id(), entry.author(), entry.sha(), entry.lastModified(), entry.createdAt(),
                entry.downloads(), entry.likes(), entry.pipelineTag(), entry.tags(), entry.gated(), entry.architecture(),
                entry.contextLength(), entry.parameters(), Lineage.baseModel(entry.tags()), Lineage.license(entry.tags()),
                capabilities, entry.detailsPending(), entry.ggufHeader(), entry.ggufHeaderError(),
                entry.mmprojBytes(), files);
    }

    private static List<GgufFile> upgraded(List<GgufFile> files) {
        List<GgufFile> upgraded = new ArrayList<>(files.size());
        for (GgufFile file : files) {
            if (file != null) {
                upgraded.add(upgraded(file));
            }
        }
        return upgraded;
    }

    /**
     * Role and parts come from the name. Completeness too when the entry proves it: a single file is complete, a set
     * named after a later part lost its first one, and an earlier version sized a set only when every part was there;
     * otherwise it is unknown until the model is listed again.
     */
    private static GgufFile upgraded(GgufFile file) {
        String name = file.name();
        FileRole role = file.role() != null ? file.role() : FileRole.of(name);
        int parts = file.parts() != null ? file.parts() : GgufFiles.announcedParts(name);
        Boolean complete = file.complete();
        Long size = file.size() == null || file.size() < 0 ? null : file.size();
        if (complete == null) {
            if (parts == 1 || size != null) {
                complete = true;
            } else if (GgufFiles.partIndex(name) != 1) {
                complete = false;
            }
        }
        Long kept = Boolean.FALSE.equals(complete) ? null : size;
        // a size an earlier version wrote without its source came from a detail call: listing sizes came later
        SizeSource source = kept == null ? null : file.sizeSource() != null ? file.sizeSource() : SizeSource.BLOBS;
        return new GgufFile(name, Quantization.of(name), kept, role, parts, complete, source);
    }

    /**
     * A listed model's files (names, roles, completeness from the listing) with the sizes the catalog already holds
     * for the same names, and where each came from; an incomplete set stays unsized.
     */
    static List<GgufFile> withKnownSizes(List<GgufFile> listed, List<GgufFile> known) {
        if (listed == null) {
            return known == null ? null : upgraded(known);
        }
        Map<String, GgufFile> sized = new HashMap<>();
        if (known != null) {
            for (GgufFile file : known) {
                if (file != null && file.name() != null && file.size() != null && file.size() >= 0) {
                    sized.put(file.name(), upgraded(file));
                }
            }
        }
        List<GgufFile> files = new ArrayList<>(listed.size());
        for (GgufFile file : listed) {
            GgufFile knownFile = sized.get(file.name());
            files.add(knownFile != null && !Boolean.FALSE.equals(file.complete())
                    ? file.withSize(knownFile.size(), knownFile.sizeSource()) : file);
        }
        return files;
    }
}
