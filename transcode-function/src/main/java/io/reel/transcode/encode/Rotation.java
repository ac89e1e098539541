package io.reel.transcode.encode;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacpp.IntPointer;

/**
 * Turns a stream's display matrix (phones record upright pictures sideways and say how to turn them) into the
 * filter that turns the pixels, as the FFmpeg command line's autorotate does, mirror bits included. The outputs then
 * carry no rotation metadata: every player shows them the same way.
 */
final class Rotation {

    private Rotation() {
    }

    /** The filter for this stream, or null when the picture is shown as decoded. */
    static String filterFor(AVStream stream) {
        return filterFor(displayMatrix(stream));
    }

    /**
     * The 3×3 display matrix (16.16 fixed point) from the stream's coded side data, or null. (JavaCV's
     * {@code getDisplayRotation()} reads the angle only, not the flip.)
     */
    static int[] displayMatrix(AVStream stream) {
        AVPacketSideData data = av_packet_side_data_get(stream.codecpar().coded_side_data(),
                stream.codecpar().nb_coded_side_data(), AV_PKT_DATA_DISPLAYMATRIX);
        if (data == null || data.isNull() || data.size() < 36) {
            return null;
        }
        int[] matrix = new int[9];
        new IntPointer(data.data()).get(matrix);
        return matrix;
    }

    /** Same decision as fftools/ffmpeg_filter.c (FFmpeg 7.1). */
    static String filterFor(int[] m) {
        if (m == null) {
            return null;
        }
        double theta = -Math.round(av_display_rotation_get(new IntPointer(m)));
        theta -= 360 * Math.floor(theta / 360 + 0.9 / 360);
        if (Math.abs(theta - 90) < 1) {
            return m[3] > 0 ? "transpose=cclock_flip" : "transpose=clock";
        }
        if (Math.abs(theta - 270) < 1) {
            return m[3] < 0 ? "transpose=clock_flip" : "transpose=cclock";
        }
        if (Math.abs(theta - 180) < 1) {
            List<String> flips = new ArrayList<>();
            if (m[0] < 0) {
                flips.add("hflip");
            }
            if (m[4] < 0) {
                flips.add("vflip");
            }
            return flips.isEmpty() ? null : String.join(",", flips);
        }
        if (Math.abs(theta) > 1) {
            return String.format(Locale.ROOT, "rotate=%f*PI/180", theta);
        }
        return m[4] < 0 ? "vflip" : null;
    }

    /** Whether the filter swaps width and height. */
    static boolean swapsSides(String filter) {
        return filter != null && filter.startsWith("transpose");
    }
}
