package io.hfsync.catalog;

/** One shared instance per distinct value, for the strings that repeat across thousands of models. */
final class Strings {

    private Strings() {
    }

    static String shared(String value) {
        return value == null ? null : value.intern();
    }
}
