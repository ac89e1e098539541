package io.reel.core.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Key files of the local platform: written once, owner-readable only, atomically. */
public final class SecretFiles {
    private SecretFiles() {
    }

    /**
     * Writes {@code content} to {@code file} unless it exists. The file appears whole or not at all, with mode
     * 0600, so two processes starting together never read half a key; if another wins the race, its file stays.
     */
    public static void createIfAbsent(Path file, byte[] content) {
        if (Files.exists(file)) {
            return;
        }
        Path folder = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(folder);
            Path temp = Files.createTempFile(folder, ".key", ".tmp");
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // no POSIX permissions on this file system; the folder's apply
            }
            Files.write(temp, content);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the key file " + file, e);
        }
    }
}
