package io.reel.transcode.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * A grabber for a file {@link MediaProbe} accepted, opened under the same rules: the demuxer chosen from the first
 * bytes in Java (no format auto-detection), only the {@code file} protocol, only the accepted demuxers, no MP4 data
 * references. The encoder opens the upload a second time through this, so it is as closed to reference tricks as the
 * probe was.
 */
public final class SafeOpen {

    private SafeOpen() {
    }

    /**
     * An unstarted grabber for {@code file}.
     *
     * @throws IOException the file cannot be read, or its first bytes are no longer an accepted container
     */
    public static FFmpegFrameGrabber grabber(Path file) throws IOException {
        Natives.prepare();
        String demuxer = demuxerOf(file);
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        restrict(grabber, demuxer);
        return grabber;
    }

    /**
     * The demuxer {@link #grabber(Path)} would open {@code file} with, for a {@link #remote} open of the same object.
     *
     * @throws IOException the file cannot be read, or is not an accepted container
     */
    public static String demuxerOf(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            head = in.readNBytes(ContainerSniffer.BYTES_NEEDED);
        }
        ContainerSniffer.Sniff sniff = ContainerSniffer.sniff(head);
        if (!sniff.accepted()) {
            throw new IOException("Not an accepted container any more (" + sniff.description() + "): " + file);
        }
        return sniff.demuxer();
    }

    /**
     * An unstarted grabber reading an upload the probe already accepted from a URL (a presigned S3 GET), by ranged
     * requests: a chunk of the split path reads only what it decodes. The demuxer is the one the probe chose
     * ({@link #demuxerOf}), and the only protocols are the URL's own and what it runs on ({@code https}: also
     * {@code tls} and {@code tcp}), so a hostile file still cannot make FFmpeg open anything else.
     *
     * @param headers request headers, e.g. {@code If-Match} pinning the object the probe read; each without a line end
     */
    public static FFmpegFrameGrabber remote(java.net.URI url, String demuxer, java.util.Map<String, String> headers) {
        Natives.prepare();
        String scheme = url.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            throw new IllegalArgumentException("Only http(s) sources can be read remotely, not " + scheme);
        }
        if (!MediaProbe.FORMAT_WHITELIST.contains(demuxer)) {
            throw new IllegalArgumentException("Not an accepted demuxer: " + demuxer);
        }
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(url.toString());
        restrict(grabber, demuxer);
        grabber.setOption("protocol_whitelist", "https".equals(scheme) ? "https,tls,tcp" : "http,tcp");
        StringBuilder lines = new StringBuilder();
        headers.forEach((name, value) -> {
            if ((name + value).contains("\r") || (name + value).contains("\n")) {
                throw new IllegalArgumentException("A header may not hold a line end: " + name);
            }
            lines.append(name).append(": ").append(value).append("\r\n");
        });
        if (!lines.isEmpty()) {
            grabber.setOption("headers", lines.toString());
        }
        grabber.setOption("reconnect", "1"); // a dropped connection resumes with a ranged request
        grabber.setOption("rw_timeout", "30000000"); // 30 s without a byte is a failure, not a hang
        return grabber;
    }

    /** The rules themselves, for every grabber that opens an upload (the probe's too). */
    static void restrict(FFmpegFrameGrabber grabber, String demuxer) {
        grabber.setFormat(demuxer); // av_find_input_format(): no format auto-detection at all
        grabber.setOption("protocol_whitelist", MediaProbe.PROTOCOL_WHITELIST);
        grabber.setOption("format_whitelist", MediaProbe.FORMAT_WHITELIST);
        grabber.setOption("enable_drefs", "0"); // mov: never follow references to other files (the default, pinned)
        grabber.setOption("use_absolute_path", "0"); // mov: ditto
    }
}
