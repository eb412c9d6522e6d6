package io.hfsync.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Symbolic links in {@code DATA_DIR}: one that leads outside it would make a run read a file it does not own (a
 * catalog from anywhere on the machine) or write into one, so such a link is never followed. A link that stays
 * inside {@code DATA_DIR} is the user's arrangement and is followed.
 */
public final class DataDirLinks {

    private DataDirLinks() {
    }

    /** Fails, naming each one, when {@code DATA_DIR} or its {@code changes/} holds a link leading outside it. */
    public static void refuseLinksOutside(Path dataDir) throws IOException {
        List<String> outside = new ArrayList<>();
        Path root = dataDir.toRealPath();
        collect(root, root, outside);
        Path changes = root.resolve(DataFiles.CHANGE_LOG_DIR);
        if (Files.isDirectory(changes, LinkOption.NOFOLLOW_LINKS)) {
            collect(root, changes, outside);
        }
        if (!outside.isEmpty()) {
            throw new IOException("DATA_DIR holds symbolic links leading outside it, which are not followed: "
                    + String.join(", ", outside) + "; replace them with the files themselves");
        }
    }

    /** True when {@code file} is a symbolic link whose target is not inside {@code dataDir} (or cannot be resolved). */
    public static boolean leadsOutside(Path dataDir, Path file) {
        if (!Files.isSymbolicLink(file)) {
            return false;
        }
        try {
            Path root = dataDir.toRealPath();
            Path target = file.getParent().resolve(Files.readSymbolicLink(file)).normalize();
            Path real = Files.exists(target) ? target.toRealPath() : target.toAbsolutePath().normalize();
            return !real.startsWith(root);
        } catch (IOException e) {
            return true;
        }
    }

    private static void collect(Path root, Path dir, List<String> outside) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                if (leadsOutside(root, entry)) {
                    outside.add(root.relativize(entry) + " -> " + Files.readSymbolicLink(entry));
                }
            }
        }
    }
}
