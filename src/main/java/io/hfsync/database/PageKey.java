package io.hfsync.database;

/** One model-list question, the key its answer is remembered by for as long as its file is published. */
record PageKey(ModelFilter filter, Sort sort, int page, int pageSize) {
}
