package io.reel.transcode.encode;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameFilter;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameFilter;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Chooses the poster while the video decodes: it looks at 11 frames spread over 10–30 % of the duration and keeps the
 * most detailed one (highest spread of brightness) among those neither dark nor washed out, so the poster is never a
 * black frame, a white flash or the first frame of a fade. If every sample is dark, the most detailed dark one wins.
 */
final class PosterPicker {
    static final int SAMPLES = 11;
    private static final int STEP = 4; // every 4th pixel of every 4th row is plenty for a brightness estimate

    private final long durationMicros;
    private int nextSample;
    private double bestScore = -1;
    private byte[] best;
    private int bestWidth;
    private int bestHeight;
    private String chosen = "none";

    PosterPicker(long durationMicros) {
        this.durationMicros = Math.max(durationMicros, 1);
    }

    /** Offers a packed yuv420p picture at {@code micros} from the start. */
    void offer(Frame picture, long micros) {
        if (nextSample >= SAMPLES || micros < sampleMicros(nextSample)) {
            return;
        }
        nextSample++;
        ByteBuffer luma = (ByteBuffer) picture.image[0];
        int width = picture.imageWidth;
        int height = picture.imageHeight;
        long sum = 0;
        long squares = 0;
        long count = 0;
        for (int row = 0; row < height; row += STEP) {
            int base = row * width;
            for (int col = 0; col < width; col += STEP) {
                int v = luma.get(base + col) & 0xFF;
                sum += v;
                squares += (long) v * v;
                count++;
            }
        }
        double mean = (double) sum / count;
        double spread = Math.sqrt(Math.max(0, (double) squares / count - mean * mean));
        boolean wellLit = mean >= 40 && mean <= 220;
        double score = spread + (wellLit ? 1000 : 0); // any well-lit frame beats every dark one
        if (score > bestScore) {
            bestScore = score;
            int size = width * height * 3 / 2;
            if (best == null || best.length != size) {
                best = new byte[size];
            }
            luma.get(0, best, 0, size);
            bestWidth = width;
            bestHeight = height;
            chosen = String.format(Locale.ROOT, "t=%.2fs mean=%.1f spread=%.1f%s", micros / 1e6, mean, spread,
                    wellLit ? "" : " (no sample was well lit)");
        }
    }

    /** Leaves the samples due before {@code micros} to others: a chunk of the split path offers only its own frames. */
    void skipTo(long micros) {
        while (nextSample < SAMPLES && sampleMicros(nextSample) < micros) {
            nextSample++;
        }
    }

    /** The chosen frame's score: any well-lit frame scores above 1,000, a dark one below; -1 before any. */
    double score() {
        return bestScore;
    }

    private long sampleMicros(int sample) {
        return (long) (durationMicros * (0.10 + 0.20 * sample / (SAMPLES - 1)));
    }

    boolean hasPicture() {
        return best != null;
    }

    /** What was chosen, for the log. */
    String chosen() {
        return chosen;
    }

    /**
     * Writes the chosen frame as a JPEG of {@code width}×{@code height}: the display size (or the top rung's), so a
     * source with non-square pixels gets an undistorted poster.
     */
    void write(Path file, int width, int height) throws IOException {
        if (best == null) {
            throw new IllegalStateException("No frame was offered for the poster");
        }
        try (BytePointer pixels = new BytePointer(best.length);
             FFmpegFrameFilter toRgb = new FFmpegFrameFilter("scale=" + width + ":" + height + ":flags=bicubic,format=bgr24",
                     bestWidth, bestHeight)) {
            pixels.put(best);
            Frame frame = new Frame();
            frame.image = new Buffer[] {pixels.position(0).capacity(best.length).asByteBuffer()};
            frame.imageWidth = bestWidth;
            frame.imageHeight = bestHeight;
            frame.imageDepth = Frame.DEPTH_UBYTE;
            frame.imageStride = bestWidth;
            frame.imageChannels = 1;
            frame.type = Frame.Type.VIDEO;
            toRgb.setPixelFormat(AV_PIX_FMT_YUV420P);
            toRgb.start();
            toRgb.push(frame, AV_PIX_FMT_YUV420P);
            BufferedImage image = new Java2DFrameConverter().convert(toRgb.pullImage());
            Jpeg.write(image, file, 0.85f);
        } catch (FrameFilter.Exception e) {
            throw new IOException("Could not convert the poster frame: " + e.getMessage(), e);
        }
    }
}
