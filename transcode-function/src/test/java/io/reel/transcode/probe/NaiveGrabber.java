package io.reel.transcode.probe;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/**
 * {@code FFmpegFrameGrabber} as a naive probe would use it: format auto-detection, plus whichever whitelists are
 * asked for. Reports whether it opened the file and whether {@link HostileFiles#MARKER} came back in the metadata or in
 * up to 500 packets, the evidence that a reference to another file was followed.
 */
final class NaiveGrabber {

    /** Which of the probe's defences the naive grabber gets. */
    enum Options { JAVACV_DEFAULTS, PROTOCOL_WHITELIST, BOTH_WHITELISTS }

    record Evidence(boolean opened, boolean markerReturned, String error) {
    }

    private NaiveGrabber() {
    }

    static Evidence open(Path file, Options options) throws Exception {
        CompletableFuture<Evidence> evidence = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("naive-grabber").start(() -> {
            try {
                evidence.complete(grab(file, options));
            } catch (Throwable t) {
                evidence.completeExceptionally(t);
            }
        });
        return evidence.get(10, TimeUnit.SECONDS);
    }

    private static Evidence grab(Path file, Options options) throws FrameGrabber.Exception {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        if (options != Options.JAVACV_DEFAULTS) {
            grabber.setOption("protocol_whitelist", MediaProbe.PROTOCOL_WHITELIST);
        }
        if (options == Options.BOTH_WHITELISTS) {
            grabber.setOption("format_whitelist", MediaProbe.FORMAT_WHITELIST);
        }
        grabber.setImageMode(FrameGrabber.ImageMode.RAW);
        try {
            try {
                grabber.startUnsafe();
            } catch (FrameGrabber.Exception e) {
                return new Evidence(false, false, e.getMessage());
            }
            boolean marker = false;
            for (Map<String, String> metadata : List.of(grabber.getMetadata(), grabber.getVideoMetadata(), grabber.getAudioMetadata())) {
                marker |= metadata.toString().contains(HostileFiles.MARKER);
            }
            for (int i = 0; i < 500 && !marker; i++) {
                AVPacket packet = grabber.grabPacket();
                if (packet == null) {
                    break;
                }
                if (packet.size() > 0 && packet.data() != null) {
                    byte[] data = new byte[packet.size()];
                    packet.data().get(data);
                    marker = new String(data, StandardCharsets.ISO_8859_1).contains(HostileFiles.MARKER);
                }
            }
            return new Evidence(true, marker, null);
        } finally {
            grabber.releaseUnsafe();
        }
    }
}
