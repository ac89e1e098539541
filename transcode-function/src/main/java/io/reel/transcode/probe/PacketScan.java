package io.reel.transcode.probe;

import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_ANY;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/**
 * The video stream's packet timestamps after the first frame, read with {@code grabPacket()}: demuxing only, nothing
 * decoded. A sample of them tells a variable frame rate; all of them tell the duration of a file whose header has none.
 * Timestamps are in the stream's time base.
 */
final class PacketScan {

    private static final int SAMPLE_PACKETS = 60;
    /** Packets of other streams (audio) are skipped; stop sampling after this many in all. */
    private static final int SAMPLE_READS = SAMPLE_PACKETS * 3;

    private final List<Long> samplePts = new ArrayList<>();
    private long minPts = Long.MAX_VALUE;
    private long maxEnd = Long.MIN_VALUE;
    private boolean reachedEnd;
    private boolean exceededMax;
    private boolean deadlinePassed;

    private PacketScan() {
    }

    /**
     * @param wholeFile read to the end (the header has no duration), stopping early once {@code maxDuration} is passed;
     *                  otherwise read a small sample
     */
    static PacketScan run(FFmpegFrameGrabber grabber, int videoStream, boolean wholeFile, Duration maxDuration,
                          long deadlineNanos) throws FrameGrabber.Exception {
        PacketScan scan = new PacketScan();
        AVRational timeBase = grabber.getFormatContext().streams(videoStream).time_base();
        long maxTicks = (long) (maxDuration.toMillis() / 1000.0 * timeBase.den() / timeBase.num());
        for (int read = 0; wholeFile || (scan.samplePts.size() < SAMPLE_PACKETS && read < SAMPLE_READS); read++) {
            if (System.nanoTime() - deadlineNanos > 0) {
                scan.deadlinePassed = true;
                break;
            }
            AVPacket packet = grabber.grabPacket();
            if (packet == null) {
                scan.reachedEnd = true;
                break;
            }
            if (packet.stream_index() == videoStream && packet.pts() != AV_NOPTS_VALUE) {
                scan.add(packet.pts(), Math.max(packet.duration(), 0));
                if (wholeFile && scan.maxEnd - scan.minPts > maxTicks) {
                    scan.exceededMax = true;
                    break;
                }
            }
        }
        return scan;
    }

    /** What {@link #headerEnd} found: the header's duration holds, or does not, or reading could not tell. */
    enum HeaderEnd { AGREES, FILE_ENDS_EARLIER, FILE_GOES_ON, UNKNOWN }

    /** Packets read near the claimed end before giving up (a seek can land far before it in a file of sparse keyframes). */
    private static final int TAIL_READS = 50_000;

    /**
     * Whether the video stream's packets end where the header's duration says, within {@code max(10 s, 10 %)}: seeks
     * (to any packet, not a keyframe: nothing is decoded) 30 s before the claimed end and reads on. A header can lie
     * either way — three hours over ten seconds of frames, or the reverse — and everything planned from the duration
     * (progress, the split into chunks, the time a run needs) must rest on what the file holds. Leaves the read
     * position wherever it stopped.
     *
     * @param headerMicros the header's duration, from the format's start time
     */
    static HeaderEnd headerEnd(FFmpegFrameGrabber grabber, int videoStream, long headerMicros, long deadlineNanos) {
        AVFormatContext context = grabber.getFormatContext();
        long start = context.start_time() == AV_NOPTS_VALUE ? 0 : context.start_time();
        long tolerance = Math.max(10_000_000L, headerMicros / 10);
        long target = start + Math.max(0, headerMicros - 30_000_000L);
        if (av_seek_frame(context, -1, target, AVSEEK_FLAG_BACKWARD | AVSEEK_FLAG_ANY) < 0) {
            av_seek_frame(context, -1, target, AVSEEK_FLAG_BACKWARD); // some demuxers seek to keyframes only
        }
        AVRational timeBase = context.streams(videoStream).time_base();
        double microsPerTick = 1e6 * timeBase.num() / timeBase.den();
        long lastEnd = Long.MIN_VALUE;
        try {
            for (int read = 0; read < TAIL_READS; read++) {
                if (System.nanoTime() - deadlineNanos > 0) {
                    return HeaderEnd.UNKNOWN;
                }
                AVPacket packet = grabber.grabPacket();
                if (packet == null) {
                    break;
                }
                if (packet.stream_index() == videoStream && packet.pts() != AV_NOPTS_VALUE) {
                    long end = Math.round((packet.pts() + Math.max(packet.duration(), 0)) * microsPerTick) - start;
                    if (end > headerMicros + tolerance) {
                        return HeaderEnd.FILE_GOES_ON;
                    }
                    lastEnd = Math.max(lastEnd, end);
                }
                if (read == TAIL_READS - 1) {
                    return HeaderEnd.UNKNOWN;
                }
            }
        } catch (FrameGrabber.Exception e) {
            return HeaderEnd.UNKNOWN;
        }
        return lastEnd != Long.MIN_VALUE && lastEnd >= headerMicros - tolerance ? HeaderEnd.AGREES : HeaderEnd.FILE_ENDS_EARLIER;
    }

    /** Back to the start, for a scan of the whole file. */
    static void rewind(FFmpegFrameGrabber grabber) {
        AVFormatContext context = grabber.getFormatContext();
        av_seek_frame(context, -1, context.start_time() == AV_NOPTS_VALUE ? 0 : context.start_time(), AVSEEK_FLAG_BACKWARD);
    }

    private void add(long pts, long duration) {
        if (samplePts.size() < SAMPLE_PACKETS) {
            samplePts.add(pts);
        }
        minPts = Math.min(minPts, pts);
        maxEnd = Math.max(maxEnd, pts + duration);
    }

    boolean sawTimestamps() {
        return maxEnd != Long.MIN_VALUE;
    }

    long minPts() {
        return minPts;
    }

    /** The end of the last frame: its timestamp plus its duration. */
    long maxEnd() {
        return maxEnd;
    }

    boolean reachedEnd() {
        return reachedEnd;
    }

    /** Reading stopped because the file passed the maximum duration: it is at least that long. */
    boolean exceededMax() {
        return exceededMax;
    }

    boolean deadlinePassed() {
        return deadlinePassed;
    }

    /**
     * Variable if the gaps between the sampled timestamps differ (sorted first: B-frames arrive out of order); with
     * too few packets, if the average frame rate is more than 5% off FFmpeg's base rate.
     */
    boolean variableFrameRate(double averageRate, double baseRate) {
        List<Long> pts = new ArrayList<>(samplePts);
        pts.sort(null);
        long minGap = Long.MAX_VALUE;
        long maxGap = 0;
        for (int i = 1; i < pts.size(); i++) {
            long gap = pts.get(i) - pts.get(i - 1);
            if (gap > 0) {
                minGap = Math.min(minGap, gap);
                maxGap = Math.max(maxGap, gap);
            }
        }
        if (pts.size() >= 4 && minGap != Long.MAX_VALUE) {
            // one tick of rounding is not VFR: Matroska stores milliseconds, so 30 fps is 33 and 34 ms gaps
            return maxGap - minGap > 1 && maxGap > minGap * 1.05;
        }
        return baseRate > 0 && Math.abs(averageRate - baseRate) / baseRate > 0.05;
    }
}
