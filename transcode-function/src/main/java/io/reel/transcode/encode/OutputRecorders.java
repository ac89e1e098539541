package io.reel.transcode.encode;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PROFILE_H264_HIGH;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/**
 * What each output of one encode is written as: the muxer (HLS fMP4, with the output layout the media function
 * serves; the MP4s are remuxed from it, {@link Mp4Remux}) and the codecs — H.264 High, capped VBR, closed GOPs; AAC-LC stereo. The same settings the
 * command-line comparison in {@code bench/transcode-ladder.sh} uses. The recorders come back configured, not started.
 */
final class OutputRecorders {
    private final FfmpegLadderEncoder.Settings settings;
    private final Path out;
    private final double frameRate;
    private final int audioSampleRate; // 0: no audio
    private final long totalPixels;

    OutputRecorders(FfmpegLadderEncoder.Settings settings, Path out, LadderPlan plan, int audioSampleRate) {
        this.settings = settings;
        this.out = out;
        this.frameRate = plan.frameRate();
        this.audioSampleRate = audioSampleRate;
        this.totalPixels = plan.hls().stream().mapToLong(o -> (long) o.width() * o.height()).sum();
    }

    /** {@code hls/{rung}.m3u8}, its segments and init segment under {@code hls/{rung}/}. */
    FFmpegFrameRecorder hls(LadderPlan.Output rung) throws IOException {
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out.resolve("hls").resolve(rung.name() + ".m3u8").toString(),
                rung.width(), rung.height(), audioChannels());
        recorder.setFormat("hls");
        hlsOptions(settings, out.resolve("hls"), rung).forEach(recorder::setOption);
        configureCodecs(recorder, rung);
        return recorder;
    }

    /**
     * {@code {rung}.mp4}: one chunk's video of the split path (issue #16), no audio, the same codec settings as the
     * rung's HLS output; the stitch cuts the rung's segments from it.
     */
    FFmpegFrameRecorder chunk(LadderPlan.Output rung) {
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(out.resolve(rung.name() + ".mp4").toString(), rung.width(),
                rung.height(), 0);
        recorder.setFormat("mp4");
        configureCodecs(recorder, rung);
        return recorder;
    }

    /** The HLS muxer's options for one rung, in {@code hlsFolder}: the same for an encode and for a stitch. */
    static Map<String, String> hlsOptions(FfmpegLadderEncoder.Settings settings, Path hlsFolder, LadderPlan.Output rung)
            throws IOException {
        Path segments = Files.createDirectories(hlsFolder.resolve(rung.name()));
        Map<String, String> options = new LinkedHashMap<>();
        options.put("hls_time", Integer.toString(settings.segmentSeconds()));
        options.put("hls_playlist_type", "vod");
        options.put("hls_list_size", "0");
        options.put("hls_flags", "independent_segments");
        options.put("hls_segment_type", "fmp4");
        // The muxer writes a segment's bare file name into the playlist; the base URL makes it "720p/segment_…",
        // relative to hls/720p.m3u8. The init file name is relative to the playlist's folder, and is what
        // EXT-X-MAP says.
        options.put("hls_base_url", rung.name() + "/");
        options.put("hls_fmp4_init_filename", rung.name() + "/init.mp4");
        options.put("hls_segment_filename", segments.resolve("segment_%05d.m4s").toString());
        return options;
    }

    private int audioChannels() {
        return audioSampleRate > 0 ? 2 : 0;
    }

    private void configureCodecs(FFmpegFrameRecorder recorder, LadderPlan.Output output) {
        int gop = (int) Math.max(1, Math.round(settings.gopSeconds() * frameRate));
        recorder.setVideoCodecName("libx264");
        recorder.setVideoCodec(AV_CODEC_ID_H264);
        recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(frameRate); // time base 1/fps; pts = the frame's slot on that grid
        recorder.setAspectRatio(1.0);
        // Keyframes are forced on source time; x264's own interval is then only a safety net.
        recorder.setGopSize(KeyframeForcer.available() ? 2 * gop : gop);
        recorder.setVideoBitrate(output.videoKbps() * 1000);
        recorder.setVideoOption("preset", settings.preset());
        // JavaCV would otherwise ask for constrained baseline. A number, not "high": FFmpeg 7.1 (JavaCPP 1.5.11)
        // parses the option as an int without the profile names (bytedeco/javacpp-presets#1550).
        recorder.setVideoOption("profile", Integer.toString(AV_PROFILE_H264_HIGH));
        recorder.setVideoOption("maxrate", (output.videoKbps() * 11 / 10) + "k");
        recorder.setVideoOption("bufsize", (output.videoKbps() * 2) + "k");
        recorder.setVideoOption("keyint_min", Integer.toString(gop));
        recorder.setVideoOption("x264-params", "scenecut=0:open-gop=0");
        recorder.setVideoOption("forced-idr", "1");
        recorder.setVideoOption("threads", Integer.toString(x264Threads(output, totalPixels, Runtime.getRuntime().availableProcessors())));
        recorder.setImageScalingFlags(SWS_BICUBIC);
        if (audioSampleRate > 0) {
            configureAudio(recorder, settings, audioSampleRate);
        }
    }

    /** AAC-LC stereo at the settings' bit rate: every output's audio, and the split path's one audio encode. */
    static void configureAudio(FFmpegFrameRecorder recorder, FfmpegLadderEncoder.Settings settings, int sampleRate) {
        recorder.setAudioCodecName("aac");
        recorder.setAudioCodec(AV_CODEC_ID_AAC);
        recorder.setAudioBitrate(settings.audioKbps() * 1000);
        recorder.setSampleRate(sampleRate);
        recorder.setAudioChannels(2);
    }

    /**
     * x264 threads for one output: its share of all outputs' pixels times the cores, at least one. On 2 cores every
     * output gets one (each worker is then one thread, the fastest arrangement measured); with Lambda's 6 vCPUs at
     * 10 GB the 1080p rung, over half of the work, gets three, so it does not hold up the rest.
     */
    static int x264Threads(LadderPlan.Output output, long totalPixels, int cores) {
        double share = (double) output.width() * output.height() / Math.max(totalPixels, 1);
        return Math.max(1, (int) Math.round(share * cores));
    }
}
