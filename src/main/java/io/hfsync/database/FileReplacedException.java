package io.hfsync.database;

import java.nio.file.Path;

/**
 * A connection opened on the catalog's path found another file there than the one its question began on: a run
 * published a new file in between. The question is asked again, of the file as it is now.
 */
final class FileReplacedException extends RuntimeException {

    FileReplacedException(Path file) {
        super(file + " was replaced by a new catalog while a connection to it was opened");
    }
}
