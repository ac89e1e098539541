package io.reel.transcode.encode;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

/**
 * A progressive MP4 made from an HLS rung that is already encoded, packets copied, nothing encoded again (issue #16:
 * encode each rung once). FFmpeg's HLS demuxer reads the rung's playlist, init segment and segments in place (no
 * joined copy on disk: in Lambda's /tmp that would be one more copy of the largest rung), and its mp4 muxer writes
 * the same H.264 and AAC packets, index first ({@code +faststart}). The MP4 therefore holds the rung's own video and
 * audio packets: the same quality, keyframes and video timestamps (audio's agree to a millisecond: the two muxers
 * place AAC's priming differently), for the cost of reading and writing its bytes once.
 */
final class Mp4Remux {
    private Mp4Remux() {
    }

    /** Writes {@code target} from {@code hls/{rung}.m3u8}, its init segment and segments. */
    static void fromHls(Path hlsDir, String rung, Path target) throws IOException {
        try (FFmpegFrameGrabber in = new FFmpegFrameGrabber(hlsDir.resolve(rung + ".m3u8").toFile())) {
            in.setFormat("hls");
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
