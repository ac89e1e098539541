package io.reel.transcode.encode;

import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;

import io.reel.core.log.JsonLog;
import java.lang.reflect.Field;
import java.util.Map;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/**
 * Makes chosen frames IDRs, so that every output has its keyframes at the same source times (VFR included) and HLS
 * players can switch rungs at any segment.
 *
 * <p>JavaCV has no API for it: the command line's {@code -force_key_frames} is an fftools feature that sets
 * {@code AVFrame.pict_type = I}. The recorder hands its private {@code picture} frame to
 * {@code avcodec_send_frame()} without touching {@code pict_type}, so setting it there before each {@code record()}
 * works, and libx264 with {@code forced-idr=1} makes that frame an IDR. This is tied to JavaCV 1.5.11's internals;
 * if the field ever disappears the encoder falls back to GOPs of a fixed frame count, which align for constant frame
 * rates (and {@code LadderEncoderIT}'s keyframe check would say so).
 */
final class KeyframeForcer {
    private static final JsonLog LOG = JsonLog.create(KeyframeForcer.class);
    private static final Field PICTURE = pictureField();

    private final FFmpegFrameRecorder recorder;

    KeyframeForcer(FFmpegFrameRecorder recorder) {
        this.recorder = recorder;
    }

    static boolean available() {
        return PICTURE != null;
    }

    /** Call after {@code start()} and before each {@code record()}: whether the next frame must be an IDR. */
    void next(boolean keyframe) {
        try {
            AVFrame picture = (AVFrame) PICTURE.get(recorder);
            if (picture != null) {
                picture.pict_type(keyframe ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("FFmpegFrameRecorder.picture became inaccessible", e);
        }
    }

    private static Field pictureField() {
        try {
            Field field = FFmpegFrameRecorder.class.getDeclaredField("picture");
            if (field.getType() != AVFrame.class) {
                throw new NoSuchFieldException("picture is a " + field.getType());
            }
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("encode.keyframes_not_forced", Map.of("why", e.toString(), "fallback", "fixed-length GOPs"));
            return null;
        }
    }
}
