package io.reel.transcode.encode;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacv.Frame;

/**
 * A small pool of packed yuv420p pictures the decode thread fills and every output worker reads: one copy per decoded
 * frame however many outputs there are. A picture returns to the pool when its last reader releases it; a full pool
 * makes the decoder wait for the slowest output, which bounds memory.
 */
final class SharedFrames implements AutoCloseable {

    /** One picture, read-only for the workers while its count is above zero. */
    static final class Picture {
        private final SharedFrames pool;
        private final BytePointer data;
        final ByteBuffer buffer;
        private final int size;
        private final AtomicInteger readers = new AtomicInteger();
        int width;
        int height;

        private Picture(SharedFrames pool, int size) {
            this.pool = pool;
            this.size = size;
            this.data = new BytePointer(size);
            this.buffer = data.position(0).capacity(size).asByteBuffer();
        }

        void copyFrom(Frame frame) {
            ByteBuffer source = (ByteBuffer) frame.image[0];
            if (source.limit() < size) {
                throw new IllegalStateException("A " + frame.imageWidth + "x" + frame.imageHeight + " picture of "
                        + source.limit() + " bytes does not fill a " + size + "-byte slot");
            }
            Pointer.memcpy(data.position(0), new BytePointer(source).position(0), size);
            width = frame.imageWidth;
            height = frame.imageHeight;
        }

        void release() {
            if (readers.decrementAndGet() == 0) {
                pool.free.add(this);
            }
        }
    }

    private final BlockingQueue<Picture> free;
    private final Picture[] all;

    SharedFrames(int count, int pictureBytes) {
        free = new ArrayBlockingQueue<>(count);
        all = new Picture[count];
        for (int i = 0; i < count; i++) {
            all[i] = new Picture(this, pictureBytes);
            free.add(all[i]);
        }
    }

    /**
     * A free picture for {@code readers} workers, waiting at most {@code timeoutMillis}.
     *
     * @return null if none came free in time (a worker is stuck or failed)
     */
    Picture acquire(int readers, long timeoutMillis) throws InterruptedException {
        Picture picture = free.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (picture != null) {
            picture.readers.set(readers);
        }
        return picture;
    }

    /** Frees the native memory; only once no worker can touch a picture any more. */
    @Override
    public void close() {
        for (Picture picture : all) {
            picture.data.close();
        }
    }
}
