package io.reel.transcode.encode;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_d2q;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_inv_q;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import io.reel.transcode.probe.Natives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The split path's stitch of one rung (issue #16): its chunks' video, in order, and the video's one audio encode,
 * remuxed (packets copied, nothing encoded again) by FFmpeg's HLS muxer with the options an encode gives it
 * ({@link OutputRecorders#hlsOptions}). The chunks' keyframes are at the source times the one-invocation encode forces
 * them at and each chunk's frames keep their places on the output's 1/fps grid, so the muxer cuts segments where a
 * one-invocation encode cuts them, from one continuous timeline: no gap, no overlap, one init segment.
 */
public final class RungStitch {
    /**
     * One chunk's video of this rung, starting at output frame {@code firstSlot} of the whole video: a local file, or a
     * URL read by ranged requests (a presigned GET of the chunk's object, so the stitch never holds the chunks on disk).
     */
    public record Part(String location, long firstSlot) {
        public static Part file(Path mp4, long firstSlot) {
            return new Part(mp4.toString(), firstSlot);
        }

        String protocols() {
            return location.startsWith("https://") ? "https,tls,tcp" : location.startsWith("http://") ? "http,tcp" : "file";
        }

        String name() {
            return location.replaceFirst("\\?.*$", "").replaceFirst("^.*/", "");
        }
    }

    private RungStitch() {
    }

    /**
     * Writes {@code hlsFolder/{rung}.m3u8}, {@code hlsFolder/{rung}/init.mp4} and its segments; when the rung is one of
     * the progressive MP4s, also {@code mp4Target} from them ({@link Mp4Remux}).
     *
     * @param audio        the one audio encode ({@link FfmpegLadderEncoder#encodeAudio}), or null for a silent video
     * @param videoSeconds the source's duration, for the last segment's length ({@link MasterPlaylist#correctLastSegment})
     * @param mp4Target    where the rung's progressive MP4 goes, or null when it has none
     * @return the media playlist's measured facts, for the master playlist
     */
    public static MasterPlaylist.Variant stitch(FfmpegLadderEncoder.Settings settings, LadderPlan.Output rung, double frameRate,
                                                List<Part> parts, Path audio, Path hlsFolder, double videoSeconds,
                                                Path mp4Target) throws IOException {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("A rung needs at least one chunk");
        }
        MasterPlaylist.Variant variant = hls(settings, rung, frameRate, parts, audio, hlsFolder, videoSeconds);
        if (mp4Target != null) {
            mp4(frameRate, parts, audio, mp4Target);
        }
        return variant;
    }

    /** The rung's HLS only: {@code hlsFolder/{rung}.m3u8}, its init segment and segments; returns its measured facts. */
    public static MasterPlaylist.Variant hls(FfmpegLadderEncoder.Settings settings, LadderPlan.Output rung, double frameRate,
                                             List<Part> parts, Path audio, Path hlsFolder, double videoSeconds) throws IOException {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("A rung needs at least one chunk");
        }
        Natives.prepare();
        Files.createDirectories(hlsFolder);
        Path playlist = hlsFolder.resolve(rung.name() + ".m3u8");
        remux("hls", OutputRecorders.hlsOptions(settings, hlsFolder, rung), rung.name(), frameRate, parts, audio, playlist);
        FinishedFiles.requireEndedPlaylist(playlist);
        MasterPlaylist.correctLastSegment(playlist, videoSeconds, 1 / frameRate);
        return MasterPlaylist.measure(hlsFolder, rung.name() + ".m3u8");
    }

    /**
     * The rung's progressive MP4, straight from its chunks and the audio (the same packets its HLS has), index first: made
     * after the rung's HLS is published and removed, so a long video's stitch holds one of the two on disk at a time.
     */
    public static void mp4(double frameRate, List<Part> parts, Path audio, Path target) throws IOException {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("An MP4 needs at least one chunk");
        }
        Natives.prepare();
        remux("mp4", java.util.Map.of("movflags", "+faststart"), target.getFileName().toString(), frameRate, parts, audio, target);
        FinishedFiles.requireFaststartMp4(target);
    }

    private static void remux(String format, java.util.Map<String, String> muxerOptions, String what, double frameRate,
                              List<Part> parts, Path audio, Path target) throws IOException {
        AVRational frameTimeBase = av_inv_q(av_d2q(frameRate, 1001000)); // what the encoder's recorder uses
        AVFormatContext out = new AVFormatContext(null);
        Input audioIn = null;
        Input video = null;
        try {
            check(avformat_alloc_output_context2(out, null, format, target.toString()), "open the " + format + " muxer");
            if ((out.oformat().flags() & AVFMT_NOFILE) == 0) {
                AVIOContext pb = new AVIOContext(null);
                check(avio_open(pb, target.toString(), AVIO_FLAG_WRITE), "create " + target.getFileName());
                out.pb(pb);
            }
            video = Input.open(parts.getFirst(), AVMEDIA_TYPE_VIDEO);
            AVStream videoOut = avformat_new_stream(out, null);
            check(avcodec_parameters_copy(videoOut.codecpar(), video.stream().codecpar()), "copy the video parameters");
            videoOut.codecpar().codec_tag(0);
            videoOut.time_base(frameTimeBase);
            videoOut.avg_frame_rate(av_d2q(frameRate, 1001000));
            AVStream audioOut = null;
            if (audio != null) {
                audioIn = Input.open(Part.file(audio, 0), AVMEDIA_TYPE_AUDIO);
                audioOut = avformat_new_stream(out, null);
                check(avcodec_parameters_copy(audioOut.codecpar(), audioIn.stream().codecpar()), "copy the audio parameters");
                audioOut.codecpar().codec_tag(0);
                audioOut.time_base(av_make_q(1, audioIn.stream().codecpar().sample_rate()));
            }
            AVDictionary options = new AVDictionary(null);
            try {
                for (var option : muxerOptions.entrySet()) {
                    av_dict_set(options, option.getKey(), option.getValue(), 0);
                }
                check(avformat_write_header(out, options), "write the " + what + " header");
            } finally {
                av_dict_free(options);
            }

            // Merge by decode time: each chunk's video in turn, placed at its first frame's slot, and the audio.
            int part = 0;
            long videoShift = 0; // added to this part's ticks, in the output's time base
            long firstPts = AV_NOPTS_VALUE;
            long lastVideoDts = Long.MIN_VALUE;
            Pending nextVideo = null;
            Pending nextAudio = audioIn == null ? null : audioIn.read(audioOut.time_base(), 0);
            while (true) {
                if (nextVideo == null && video != null) {
                    boolean starting = firstPts == AV_NOPTS_VALUE;
                    nextVideo = video.read(videoOut.time_base(), starting ? 0 : videoShift);
                    if (nextVideo != null && starting) {
                        // The part's first packet is its first keyframe, the earliest picture: it goes on the part's slot.
                        firstPts = nextVideo.packet().pts();
                        long slotTicks = av_rescale_q(parts.get(part).firstSlot(), frameTimeBase, videoOut.time_base());
                        videoShift = slotTicks - firstPts;
                        nextVideo.shift(videoShift);
                    }
                    if (nextVideo == null) {
                        video.close();
                        video = null;
                        if (++part < parts.size()) {
                            video = Input.open(parts.get(part), AVMEDIA_TYPE_VIDEO);
                            firstPts = AV_NOPTS_VALUE;
                            continue;
                        }
                    }
                }
                Pending next;
                if (nextVideo == null && nextAudio == null) {
                    break;
                } else if (nextAudio == null || (nextVideo != null && nextVideo.seconds() <= nextAudio.seconds())) {
                    next = nextVideo;
                    nextVideo = null;
                    if (next.packet().dts() <= lastVideoDts) {
                        throw new IOException("The " + what + " chunks overlap: a packet of chunk " + part
                                + " decodes at " + next.seconds() + " s, not after the chunk before it");
                    }
                    lastVideoDts = next.packet().dts();
                    next.packet().stream_index(videoOut.index());
                } else {
                    next = nextAudio;
                    nextAudio = audioIn.read(audioOut.time_base(), 0);
                    next.packet().stream_index(audioOut.index());
                }
                check(av_interleaved_write_frame(out, next.packet()), "write a " + what + " packet");
                next.free();
            }
            check(av_write_trailer(out), "end " + what);
        } finally {
            if (out.pb() != null && (out.oformat() == null || (out.oformat().flags() & AVFMT_NOFILE) == 0)) {
                avio_closep(out.pb());
            }
            if (video != null) {
                video.close();
            }
            if (audioIn != null) {
                audioIn.close();
            }
            avformat_free_context(out);
        }
    }

    /** A packet read and rescaled into the output's time base, waiting its turn. */
    private static final class Pending {
        private final AVPacket packet;
        private final double timeBase;

        Pending(AVPacket packet, AVRational timeBase) {
            this.packet = packet;
            this.timeBase = av_q2d(timeBase);
        }

        AVPacket packet() {
            return packet;
        }

        void shift(long ticks) {
            if (packet.pts() != AV_NOPTS_VALUE) {
                packet.pts(packet.pts() + ticks);
            }
            if (packet.dts() != AV_NOPTS_VALUE) {
                packet.dts(packet.dts() + ticks);
            }
        }

        double seconds() {
            long ts = packet.dts() != AV_NOPTS_VALUE ? packet.dts() : packet.pts();
            return ts * timeBase;
        }

        void free() {
            av_packet_free(packet);
        }
    }

    /** One input file's stream of one type. */
    private record Input(AVFormatContext context, AVStream stream, int index) {
        static Input open(Part part, int mediaType) throws IOException {
            AVFormatContext context = new AVFormatContext(null);
            AVDictionary options = new AVDictionary(null);
            av_dict_set(options, "protocol_whitelist", part.protocols(), 0);
            if (!part.protocols().equals("file")) {
                av_dict_set(options, "reconnect", "1", 0);
                av_dict_set(options, "rw_timeout", "30000000", 0);
            }
            try {
                check(avformat_open_input(context, part.location(), av_find_input_format("mov"), options), "open " + part.name());
            } finally {
                av_dict_free(options);
            }
            check(avformat_find_stream_info(context, (PointerPointer<?>) null), "read " + part.name());
            for (int i = 0; i < context.nb_streams(); i++) {
                if (context.streams(i).codecpar().codec_type() == mediaType) {
                    return new Input(context, context.streams(i), i);
                }
            }
            avformat_close_input(context);
            throw new IOException(part.name() + " has no " + (mediaType == AVMEDIA_TYPE_VIDEO ? "video" : "audio"));
        }

        /** The next packet of the stream, in {@code timeBase} and shifted by {@code shift} ticks; null at the end. */
        Pending read(AVRational timeBase, long shift) throws IOException {
            while (true) {
                AVPacket packet = av_packet_alloc();
                int read = av_read_frame(context, packet);
                if (read < 0) {
                    av_packet_free(packet);
                    if (read == org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF) {
                        return null;
                    }
                    throw new IOException("Reading a chunk failed: " + message(read));
                }
                if (packet.stream_index() != index) {
                    av_packet_unref(packet);
                    av_packet_free(packet);
                    continue;
                }
                AVRational from = stream.time_base();
                if (packet.pts() != AV_NOPTS_VALUE) {
                    packet.pts(av_rescale_q(packet.pts(), from, timeBase));
                }
                if (packet.dts() != AV_NOPTS_VALUE) {
                    packet.dts(av_rescale_q(packet.dts(), from, timeBase));
                }
                packet.duration(av_rescale_q(packet.duration(), from, timeBase));
                packet.pos(-1);
                Pending pending = new Pending(packet, timeBase);
                pending.shift(shift);
                return pending;
            }
        }

        void close() {
            avformat_close_input(context);
        }
    }

    private static void check(int result, String what) throws IOException {
        if (result < 0) {
            throw new IOException("Could not " + what + ": " + message(result));
        }
    }

    private static String message(int error) {
        byte[] buffer = new byte[256];
        av_strerror(error, buffer, buffer.length);
        int end = 0;
        while (end < buffer.length && buffer[end] != 0) {
            end++;
        }
        return new String(buffer, 0, end, java.nio.charset.StandardCharsets.UTF_8) + " (" + error + ")";
    }
}
