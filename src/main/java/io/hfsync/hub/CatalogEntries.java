package io.hfsync.hub;

import io.hfsync.catalog.Capability;
import io.hfsync.catalog.CatalogEntry;
import io.hfsync.catalog.GgufFile;
import io.hfsync.catalog.GgufFiles;
import io.hfsync.catalog.Lineage;
import io.hfsync.catalog.Times;
import java.util.ArrayList;
import java.util.List;

/** Maps the Hub's wire model to a catalog entry; nothing is filled in that the Hub did not send. */
public final class CatalogEntries {

    private CatalogEntries() {
    }

    public static CatalogEntry from(HubModel m) {
        List<GgufFiles.RepoFile> files = new ArrayList<>();
        if (m.siblings() != null) {
            for (HubModel.Sibling s : m.siblings()) {
                files.add(new GgufFiles.RepoFile(s.rfilename(), s.contentSize()));
            }
        }
        HubModel.Gguf gguf = m.gguf();
        // no siblings in the answer means the files are unknown, not that there are none
        List<GgufFile> logicalFiles = m.siblings() == null ? null : GgufFiles.logicalFiles(files);
        return new CatalogEntry(
                m.id(),
                m.author() != null ? m.author() : owner(m.id()),
                m.sha(),
                Times.normalise(m.lastModified()),
                Times.normalise(m.createdAt()),
                m.downloads(),
                m.likes(),
                m.pipelineTag(),
                m.tags() == null ? null : List.copyOf(m.tags()),
                m.gated(),
                gguf == null ? null : gguf.architecture(),
                gguf == null ? null : gguf.contextLength(),
                gguf == null ? null : gguf.total(),
                Lineage.baseModel(m.tags()),
                Lineage.license(m.tags()),
                Capability.of(logicalFiles, gguf == null ? null : gguf.chatTemplateText()),
                logicalFiles);
    }

    /** The owner is part of the repo id, so it is known even when the listing leaves {@code author} out. */
    private static String owner(String id) {
        int slash = id.indexOf('/');
        return slash > 0 ? id.substring(0, slash) : null;
    }
}
