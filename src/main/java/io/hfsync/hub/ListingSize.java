package io.hfsync.hub;

import io.hfsync.catalog.FileRole;
import io.hfsync.catalog.GgufFiles;

/**
 * docs/sync-modes.md, "Sizes the listing already proves": {@code gguf.totalFileSize} is the byte size of the one GGUF file the
 * Hub parsed (HUB_API.md). When the listed siblings hold exactly one {@code .gguf} file, at the top of the repo, not a
 * part of a split set and not a vision projector, that file is the parsed one, so the listing states its size. Which
 * file the Hub parses in any other repo is not documented: those keep their detail call.
 */
public final class ListingSize {

    private ListingSize() {
    }

    /** The size of the repo's one GGUF file as the listing item states it, or null when the item proves none. */
    public static Long provenBy(HubModel item) {
        HubModel.Gguf gguf = item.gguf();
        if (gguf == null || gguf.totalFileSize() == null || gguf.totalFileSize() <= 0 || item.siblings() == null) {
            return null;
        }
        String only = null;
        for (HubModel.Sibling sibling : item.siblings()) {
            String path = sibling.rfilename();
            if (GgufFiles.isGguf(path) || GgufFiles.isPart(path)) {
                if (only != null) {
                    return null;
                }
                only = path;
            }
        }
        if (only == null || only.indexOf('/') >= 0 || GgufFiles.isPart(only) || FileRole.of(only) == FileRole.MMPROJ) {
            return null;
        }
        return gguf.totalFileSize();
    }
}
