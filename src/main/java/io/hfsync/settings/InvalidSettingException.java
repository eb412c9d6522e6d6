package io.hfsync.settings;

/** A configuration value that cannot be used; the message is the one line the user sees before exit code 2. */
public final class InvalidSettingException extends RuntimeException {

    public InvalidSettingException(String key, String value, String expected) {
        super("invalid configuration: " + key + "='" + value + "' (" + expected + ")");
    }
}
