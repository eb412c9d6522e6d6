package io.hfsync.gguf;

/**
 * The bytes are not a GGUF header the reader accepts (docs/gguf-headers.md): the message is the short reason the
 * catalog stores as the model's {@code gguf_header_error}, such as {@code "GGUF version 1 (2 or 3 are read)"}.
 */
public final class GgufFormatException extends Exception {

    public GgufFormatException(String reason) {
        super(reason);
    }
}
