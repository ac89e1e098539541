package io.reel.transcode.probe;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/**
 * Routes FFmpeg's {@code av_log} into Java so a refusal's detail can quote FFmpeg ("moov atom not found", "Format not
 * on whitelist") instead of a bare error number.
 *
 * <p>FFmpeg has one log callback per process, so this is process-wide: lines at WARNING or worse are kept for the
 * thread that called {@link #collect()} (the probe's worker) and dropped otherwise, rather than written to stderr.
 * Lines from FFmpeg's own decoder threads are dropped too; that is fine for diagnostics.
 */
final class FfmpegLog extends LogCallback {

    private static final int MAX_LINES = 50;
    /** Held strongly for as long as FFmpeg may call it: the native side keeps only a raw pointer. */
    private static final FfmpegLog INSTANCE = new FfmpegLog();
    private static final ThreadLocal<List<String>> LINES = new ThreadLocal<>();
    private static boolean installed;

    private FfmpegLog() {
    }

    static synchronized void install() {
        if (!installed) {
            avutil.setLogCallback(INSTANCE);
            avutil.av_log_set_level(avutil.AV_LOG_WARNING);
            installed = true;
        }
    }

    /** Starts keeping this thread's lines; the list returned fills as FFmpeg logs. */
    static List<String> collect() {
        List<String> lines = new ArrayList<>();
        LINES.set(lines);
        return lines;
    }

    static void stopCollecting() {
        LINES.remove();
    }

    @Override
    public void call(int level, BytePointer message) {
        List<String> lines = LINES.get();
        if (level > avutil.AV_LOG_WARNING || lines == null || lines.size() >= MAX_LINES) {
            return;
        }
        String line = message.getString().strip();
        if (!line.isEmpty()) {
            lines.add(line);
        }
    }
}
