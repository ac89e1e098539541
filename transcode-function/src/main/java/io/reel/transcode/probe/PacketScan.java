package io.reel.transcode.probe;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
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
