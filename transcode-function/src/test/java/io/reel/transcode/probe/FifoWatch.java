package io.reel.transcode.probe;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A FIFO that tells whether anybody opened it for reading.
 *
 * <p>Opening a FIFO for writing blocks until a reader opens it. A watcher thread does exactly that; when it gets
 * through, the only possible reader is the code under test (FFmpeg), so {@link #opened()} proves an {@code open()} of
 * the path. The watcher then feeds the reader {@code content}, as a real file would.
 */
final class FifoWatch implements AutoCloseable {

    private final Path fifo;
    private final Thread writer;
    private volatile boolean opened;

    private FifoWatch(Path fifo, byte[] content) {
        this.fifo = fifo;
        this.writer = Thread.ofPlatform().daemon().name("fifo-watch").start(() -> {
            try (FileOutputStream out = new FileOutputStream(fifo.toFile())) { // blocks until a reader opens it
                opened = true;
                out.write(content);
            } catch (IOException readerWentAway) {
                // EPIPE: the reader closed early; it did open the FIFO
            }
        });
    }

    /** Makes (or remakes) the FIFO at {@code fifo} and starts watching it. */
    static FifoWatch create(Path fifo, byte[] content) throws IOException {
        makeFifo(fifo);
        return new FifoWatch(fifo, content);
    }

    static Path makeFifo(Path fifo) throws IOException {
        Files.deleteIfExists(fifo);
        try {
            if (new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor() != 0) {
                throw new IOException("mkfifo " + fifo + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while making " + fifo, e);
        }
        return fifo;
    }

    boolean opened() {
        return opened;
    }

    /** Releases a watcher still blocked in {@code open()} by opening the FIFO ourselves, after the verdict was taken. */
    @Override
    public void close() throws IOException {
        if (!opened) {
            try (FileInputStream in = new FileInputStream(fifo.toFile())) {
                in.readAllBytes();
            }
        }
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
