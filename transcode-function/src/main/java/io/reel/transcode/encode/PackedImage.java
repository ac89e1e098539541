package io.reel.transcode.encode;

import static org.bytedeco.ffmpeg.global.avutil.av_image_copy_to_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.Frame;

/**
 * Copies a decoder's picture into one tightly packed buffer (rows without padding, planes back to back).
 *
 * <p>JavaCV 1.5.11-1.5.12's recorder and filter rebuild the plane pointers from {@code frame.image[0]} with
 * {@code av_image_fill_arrays(align=1)} and patch only the first line size, so a decoder frame with padded rows
 * (separate planes, strides rounded up to 32 or 64) gives garbage chroma at widths like 720, 853 or 1080. Copying
 * with alignment 1 and always passing the pixel format avoids it.
 */
final class PackedImage implements AutoCloseable {
    private BytePointer buffer;
    private int capacity;
    private final Frame frame = new Frame();
    private int pixelFormat;

    /** The packed copy; valid until the next call. */
    Frame pack(AVFrame source) {
        int format = source.format();
        int width = source.width();
        int height = source.height();
        int size = av_image_get_buffer_size(format, width, height, 1);
        if (size <= 0) {
            throw new IllegalStateException("Cannot size a " + width + "x" + height + " picture of format " + format);
        }
        if (buffer == null || capacity < size) {
            close();
            buffer = new BytePointer(size);
            capacity = size;
            frame.image = new Buffer[] {buffer.position(0).capacity(size).asByteBuffer()};
        }
        int copied = av_image_copy_to_buffer(buffer.position(0), size, new PointerPointer<>(source), source.linesize(),
                format, width, height, 1);
        if (copied < 0) {
            throw new IllegalStateException("av_image_copy_to_buffer failed: " + copied);
        }
        ((ByteBuffer) frame.image[0]).clear().limit(size);
        frame.imageWidth = width;
        frame.imageHeight = height;
        // The recorder and filter compute linesize[0] = imageStride * depth / 8: 16-bit for formats deeper than 8.
        frame.imageDepth = av_pix_fmt_desc_get(format).comp(0).depth() > 8 ? Frame.DEPTH_USHORT : Frame.DEPTH_UBYTE;
        frame.imageStride = width;
        frame.imageChannels = 1; // unused: the pixel format is always passed explicitly
        frame.type = Frame.Type.VIDEO;
        pixelFormat = format;
        return frame;
    }

    int pixelFormat() {
        return pixelFormat;
    }

    @Override
    public void close() {
        if (buffer != null) {
            buffer.close();
            buffer = null;
            capacity = 0;
        }
    }
}
