package io.hfsync.database;

/** How the model list is ordered; all descending, ties in id order. */
public enum Sort {
    DOWNLOADS("downloads"),
    LIKES("likes"),
    LAST_MODIFIED("last_modified"),
    /** By the largest weights file that passes the quantization and size filters (unknown sizes last). */
    SIZE(null);

    final String column;

    Sort(String column) {
        this.column = column;
    }
}
