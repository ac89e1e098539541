package io.reel.transcode.probe;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_NONE;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;

import io.reel.transcode.probe.ProbeResult.Reason;
import io.reel.transcode.probe.ProbeResult.Refused;
import io.reel.transcode.probe.ProbeResult.TimedOut;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Everything of one probe that touches FFmpeg, run on the probe's worker thread once the Java checks passed: the
 * header preflight, then JavaCV's grabber on the demuxer the sniffer chose, the checks against the limits, decoding
 * the first picture, and the packet timestamps.
 */
final class FfmpegInspection {
    private static final io.reel.core.log.JsonLog LOG = io.reel.core.log.JsonLog.create(FfmpegInspection.class);

    /** Phones write fewer than 10 streams; FFmpeg's default allows 1000. */
    private static final String MAX_STREAMS = "64";
    /** FFmpeg's defaults for how much {@code find_stream_info} reads (bytes) and analyses (microseconds), pinned. */
    private static final String PROBE_SIZE = "5000000";
    private static final String ANALYZE_DURATION = "5000000";

    private final Path file;
    private final ContainerSniffer.Sniff sniff;
    private final long sizeBytes;
    private final ProbeLimits limits;
    private final long deadlineNanos;
    /** FFmpeg's warnings for the refusal details; collected per thread, so set when {@link #run()} starts on the worker. */
    private List<String> ffmpegLog = List.of();

    FfmpegInspection(Path file, ContainerSniffer.Sniff sniff, long sizeBytes, ProbeLimits limits, long deadlineNanos) {
        this.file = file;
        this.sniff = sniff;
        this.sizeBytes = sizeBytes;
        this.limits = limits;
        this.deadlineNanos = deadlineNanos;
    }

    ProbeResult run() {
        ffmpegLog = FfmpegLog.collect();
        try {
            ProbeResult headerRefusal = checkHeader();
            return headerRefusal != null ? headerRefusal : grab();
        } finally {
            FfmpegLog.stopCollecting();
        }
    }

    /** Refuses from the container header alone, before JavaCV decodes anything; null when the header is fine. */
    private ProbeResult checkHeader() {
        HeaderPreflight.Header header = HeaderPreflight.read(file, sniff.demuxer(), deadlineNanos);
        if (header.deadlinePassed()) {
            return new TimedOut(Messages.timedOut(limits.budget()), "header read stopped at the deadline", false);
        }
        if (!header.opened()) {
            return refuse(Reason.UNREADABLE, Messages.unreadable(), "header: " + header.error() + " " + ffmpegLog);
        }
        if (tooLarge(header.width(), header.height())) {
            return refuse(Reason.DIMENSIONS_TOO_LARGE, tooBig(header.width(), header.height()),
                    "container header says " + header.width() + "x" + header.height());
        }
        return null;
    }

    private ProbeResult grab() {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        configure(grabber);
        try {
            return open(grabber);
        } catch (FrameGrabber.Exception e) {
            return refuse(Reason.UNREADABLE, Messages.unreadable(), e.getMessage() + " " + ffmpegLog);
        } finally {
            try {
                grabber.releaseUnsafe(); // frees the native contexts; release()/close() would take JavaCV's global lock
            } catch (FrameGrabber.Exception ignored) {
                // nothing to do: the probe has its answer, and the grabber is dropped either way
            }
        }
    }

    private void configure(FFmpegFrameGrabber grabber) {
        SafeOpen.restrict(grabber, sniff.demuxer());
        grabber.setOption("probesize", PROBE_SIZE);
        grabber.setOption("analyzeduration", ANALYZE_DURATION);
        grabber.setOption("max_streams", MAX_STREAMS);
        grabber.setImageMode(FrameGrabber.ImageMode.RAW); // the decoder's own pictures: no conversion just to prove decoding
        grabber.setVideoOption("threads", "1"); // probing is tiny; leave the cores to the encoder
    }

    private ProbeResult open(FFmpegFrameGrabber grabber) throws FrameGrabber.Exception {
        try {
            // startUnsafe(), never start(): start() holds synchronized(avcodec.class), a JVM-wide lock, for the whole
            // open, so one start() stuck on hostile input would block every other grabber and recorder in the process.
            grabber.startUnsafe();
        } catch (FrameGrabber.Exception e) {
            // JavaCV also throws when no video stream has a decoder; the format context is still open then.
            AVFormatContext context = grabber.getFormatContext();
            Refused codec = context == null || context.isNull() ? null : undecodableCodec(context, mainVideoStream(context));
            return codec != null ? codec : refuse(Reason.UNREADABLE, Messages.unreadable(), e.getMessage() + " " + ffmpegLog);
        }
        AVFormatContext context = grabber.getFormatContext();
        int video = mainVideoStream(context);
        if (video < 0) {
            return noVideo(context);
        }
        Refused codec = undecodableCodec(context, video);
        if (codec != null) {
            return codec;
        }
        if (grabber.getVideoStream() != video) {
            // JavaCV picked another stream, e.g. a cover picture listed first: reopen on the real video.
            grabber.releaseUnsafe();
            grabber.setVideoStream(video);
            grabber.startUnsafe();
        }
        return describe(grabber, video);
    }

    private ProbeResult describe(FFmpegFrameGrabber grabber, int video) throws FrameGrabber.Exception {
        AVFormatContext context = grabber.getFormatContext();
        AVStream stream = context.streams(video);
        AVCodecParameters parameters = stream.codecpar();
        long headerMicros = context.duration() == AV_NOPTS_VALUE ? 0 : grabber.getLengthInTime();
        if (headerMicros > 0 && headerMicros / 1e6 > maxSeconds()) {
            return tooLong(headerMicros / 1e6);
        }
        int width = parameters.width();
        int height = parameters.height();
        if (width <= 0 || height <= 0) {
            return refuse(Reason.UNREADABLE, Messages.unreadable(), "video size unknown: " + width + "x" + height);
        }
        if (tooLarge(width, height)) {
            return refuse(Reason.DIMENSIONS_TOO_LARGE, tooBig(width, height), width + "x" + height);
        }

        // A truncated upload can have a perfect header: decode the first picture for real.
        Frame first;
        try {
            first = grabber.grabImage();
        } catch (FrameGrabber.Exception e) {
            return refuse(Reason.FIRST_FRAME_NOT_DECODABLE, Messages.firstFrame(), e.getMessage() + " " + ffmpegLog);
        }
        if (first == null || first.image == null) {
            return refuse(Reason.FIRST_FRAME_NOT_DECODABLE, Messages.firstFrame(), "no picture before end of file " + ffmpegLog);
        }

        boolean measured = headerMicros <= 0;
        PacketScan scan = PacketScan.run(grabber, video, measured, limits.maxDuration(), deadlineNanos);
        if (!measured) {
            PacketScan.HeaderEnd end = PacketScan.headerEnd(grabber, video, headerMicros, deadlineNanos);
            if (end == PacketScan.HeaderEnd.FILE_ENDS_EARLIER || end == PacketScan.HeaderEnd.FILE_GOES_ON) {
                // The header's duration is not the file's: measure it, as for a header without one.
                LOG.warn("probe.header_duration_wrong", java.util.Map.of("file", file.getFileName().toString(),
                        "headerSeconds", headerMicros / 1e6, "found", end.name()));
                PacketScan.rewind(grabber);
                scan = PacketScan.run(grabber, video, true, limits.maxDuration(), deadlineNanos);
                measured = true;
            }
        }
        double seconds = measured ? measuredSeconds(scan, stream, first.timestamp) : headerMicros / 1e6;
        ProbeResult refusal = measured ? checkMeasuredDuration(scan, seconds) : null;
        return refusal != null ? refusal : description(grabber, stream, seconds, measured, scan);
    }

    private Description description(FFmpegFrameGrabber grabber, AVStream stream, double seconds, boolean measured,
                                    PacketScan scan) {
        AVCodecParameters parameters = stream.codecpar();
        // JavaCV reads the display matrix, whose angle is counter-clockwise.
        double counterClockwise = grabber.getDisplayRotation();
        int rotation = Double.isNaN(counterClockwise) ? 0
                : Math.floorMod((int) Math.round(-counterClockwise / 90.0) * 90, 360);
        boolean quarterTurn = rotation % 180 == 90;
        double frameRate = rate(stream.avg_frame_rate());
        double baseFrameRate = rate(stream.r_frame_rate());
        boolean audio = grabber.hasAudio();
        return new Description(
                containerName(grabber),
                Duration.of(Math.round(seconds * 1e6), ChronoUnit.MICROS),
                measured,
                avcodec_get_name(parameters.codec_id()).getString(),
                parameters.width(), parameters.height(),
                rotation,
                quarterTurn ? parameters.height() : parameters.width(),
                quarterTurn ? parameters.width() : parameters.height(),
                frameRate,
                baseFrameRate,
                scan.variableFrameRate(frameRate, baseFrameRate),
                pixelFormatName(grabber.getPixelFormat()),
                audio,
                audio ? avcodec_get_name(grabber.getAudioCodec()).getString() : null,
                audio ? grabber.getAudioChannels() : 0,
                audio ? grabber.getSampleRate() : 0,
                Math.max(grabber.getFormatContext().bit_rate(), 0),
                sizeBytes);
    }

    /** For a header without a duration: refuses when the scan could not measure one, or measured too much. */
    private ProbeResult checkMeasuredDuration(PacketScan scan, double seconds) {
        if (scan.deadlinePassed()) {
            return new TimedOut(Messages.timedOut(limits.budget()), "packet scan for the duration stopped at the deadline",
                    false);
        }
        if (!scan.sawTimestamps() || !(scan.reachedEnd() || scan.exceededMax())) {
            return refuse(Reason.UNKNOWN_DURATION, Messages.unknownDuration(), "no duration in header, no packet timestamps");
        }
        if (seconds <= 0) {
            return refuse(Reason.UNKNOWN_DURATION, Messages.unknownDuration(), "scanned duration " + seconds);
        }
        if (scan.exceededMax()) { // reading stopped early: it is at least this long
            return refuse(Reason.TOO_LONG, Messages.tooLongAtLeast(limits.maxDuration()), String.format(Locale.ROOT,
                    "no duration in header; packet scan passed %.3f s > %d s", seconds, limits.maxDuration().toSeconds()));
        }
        return seconds > maxSeconds() ? tooLong(seconds) : null;
    }

    /**
     * From the stream's start, or else the first decoded picture (whose packets {@code grabImage()} consumed, several
     * with decoder delay), to the end of the last packet.
     */
    private static double measuredSeconds(PacketScan scan, AVStream stream, long firstFrameMicros) {
        AVRational timeBase = stream.time_base();
        double tick = (double) timeBase.num() / timeBase.den();
        long firstFrameTicks = Math.round(firstFrameMicros / 1e6 / tick);
        long start = stream.start_time() != AV_NOPTS_VALUE ? stream.start_time() : Math.min(scan.minPts(), firstFrameTicks);
        return (scan.maxEnd() - start) * tick;
    }

    /** The first video stream that is not a cover picture ("attached picture"), or -1. */
    private static int mainVideoStream(AVFormatContext context) {
        for (int i = 0; i < context.nb_streams(); i++) {
            AVStream stream = context.streams(i);
            if (stream.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO && (stream.disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0) {
                return i;
            }
        }
        return -1;
    }

    private static Refused noVideo(AVFormatContext context) {
        boolean audio = false;
        boolean coverPicture = false;
        for (int i = 0; i < context.nb_streams(); i++) {
            int type = context.streams(i).codecpar().codec_type();
            audio |= type == AVMEDIA_TYPE_AUDIO;
            coverPicture |= type == AVMEDIA_TYPE_VIDEO;
        }
        return refuse(Reason.NO_VIDEO_STREAM, Messages.noVideo(audio, coverPicture),
                "streams=" + context.nb_streams() + " audio=" + audio + " coverPicture=" + coverPicture);
    }

    /** A refusal when FFmpeg has no decoder for that stream's codec; null otherwise or without a stream. */
    private static Refused undecodableCodec(AVFormatContext context, int video) {
        if (video < 0) {
            return null;
        }
        AVCodecParameters parameters = context.streams(video).codecpar();
        int id = parameters.codec_id();
        if (id != AV_CODEC_ID_NONE && avcodec_find_decoder(id) != null) {
            return null;
        }
        String name = id == AV_CODEC_ID_NONE ? null : avcodec_get_name(id).getString();
        return refuse(Reason.UNDECODABLE_CODEC, Messages.undecodable(name),
                "stream " + video + " codec_id=" + id + " tag=" + fourcc(parameters.codec_tag()));
    }

    private boolean tooLarge(int width, int height) {
        return width > limits.maxWidth() || height > limits.maxHeight();
    }

    private String tooBig(int width, int height) {
        return Messages.tooBig(width, height, limits.maxWidth(), limits.maxHeight());
    }

    private double maxSeconds() {
        return limits.maxDuration().toMillis() / 1000.0;
    }

    private Refused tooLong(double seconds) {
        return refuse(Reason.TOO_LONG, Messages.tooLong(seconds, limits.maxDuration()),
                String.format(Locale.ROOT, "duration %.3f s > %d s", seconds, limits.maxDuration().toSeconds()));
    }

    /** The sniffed family, with the brand an MP4/MOV declares ("MP4 (brand isom)"). */
    private String containerName(FFmpegFrameGrabber grabber) {
        String brand = grabber.getMetadata("major_brand");
        return brand == null ? sniff.description() : sniff.description() + " (brand " + brand.strip() + ")";
    }

    private static String pixelFormatName(int pixelFormat) {
        BytePointer name = pixelFormat < 0 ? null : av_get_pix_fmt_name(pixelFormat);
        return name == null ? "unknown" : name.getString();
    }

    private static double rate(AVRational rational) {
        return rational.den() == 0 ? 0 : (double) rational.num() / rational.den();
    }

    private static String fourcc(int tag) {
        if (tag == 0) {
            return "unknown";
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            int c = (tag >>> (8 * i)) & 0xff;
            text.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        return text.toString();
    }

    private static Refused refuse(Reason reason, String message, String detail) {
        return new Refused(reason, message, detail);
    }
}
