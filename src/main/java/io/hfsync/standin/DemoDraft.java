package io.hfsync.standin;

import java.util.List;

/**
 * A demo repo's content as {@link DemoGenerator} drew it, before {@link DemoHistory} draws its commit history and
 * popularity.
 */
record DemoDraft(String id, List<RepoFile> files, List<String> tags, String pipelineTag, String libraryName,
        String architecture, Long contextLength, Long parameters, boolean gatedBase, double popularity,
        String chatTemplate) {
}
