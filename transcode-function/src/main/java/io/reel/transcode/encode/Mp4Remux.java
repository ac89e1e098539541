package io.reel.transcode.encode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

/**
 * A progressive MP4 made from an HLS rung that is already encoded, packets copied, nothing encoded again (issue #16:
 * encode each rung once). The rung's init segment followed by its media segments, in playlist order, is itself a
 * fragmented MP4 (CMAF's byte-stream rule); FFmpeg's mov demuxer reads it and its mp4 muxer writes the same H.264 and
 * AAC packets, index first ({@code +faststart}). The MP4 therefore holds the rung's own video and audio packets: the
 * same quality, keyframes and video timestamps (audio's agree to a millisecond: the two muxers place AAC's priming
 * differently), for the cost of reading and writing its bytes once.
 */
final class Mp4Remux {
    private Mp4Remux() {
    }

    /** Writes {@code target} from {@code hls/{rung}.m3u8}'s init segment and segments. */
    static void fromHls(Path hlsDir, String rung, Path target) throws IOException {
        Path playlist = hlsDir.resolve(rung + ".m3u8");
        List<String> segments = Files.readAllLines(playlist).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        if (segments.isEmpty()) {
            throw new IOException("The " + rung + " playlist lists no segments to make its MP4 from");
        }
        Path joined = Files.createTempFile(target.toAbsolutePath().getParent(), rung + "-", ".fmp4");
        try {
            try (OutputStream out = Files.newOutputStream(joined)) {
                Files.copy(hlsDir.resolve(rung).resolve("init.mp4"), out);
                for (String segment : segments) {
                    Path file = hlsDir.resolve(segment).normalize();
                    if (!file.startsWith(hlsDir.resolve(rung).normalize())) {
                        throw new IOException("The " + rung + " playlist names a segment outside its folder: " + segment);
                    }
                    Files.copy(file, out);
                }
            }
            copyPackets(joined, target);
        } finally {
            Files.deleteIfExists(joined);
        }
    }

    private static void copyPackets(Path fragmented, Path target) throws IOException {
        try (FFmpegFrameGrabber in = new FFmpegFrameGrabber(fragmented.toFile())) {
            in.setFormat("mp4");
            in.start();
            try (FFmpegFrameRecorder out = new FFmpegFrameRecorder(target.toFile(), in.getImageWidth(), in.getImageHeight(),
                    in.getAudioChannels())) {
                out.setFormat("mp4");
                out.setOption("movflags", "+faststart");
                out.start(in.getFormatContext());
                AVPacket packet;
                while ((packet = in.grabPacket()) != null) {
                    out.recordPacket(packet);
                }
                out.stop();
            }
            in.stop();
        } catch (FrameGrabber.Exception | FrameRecorder.Exception e) {
            throw new IOException("Could not make " + target.getFileName() + " from its HLS rung: " + e.getMessage(), e);
        }
    }
}
