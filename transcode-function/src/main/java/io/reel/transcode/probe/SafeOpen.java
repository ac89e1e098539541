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
        byte[] head;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            head = in.readNBytes(ContainerSniffer.BYTES_NEEDED);
        }
        ContainerSniffer.Sniff sniff = ContainerSniffer.sniff(head);
        if (!sniff.accepted()) {
            throw new IOException("Not an accepted container any more (" + sniff.description() + "): " + file);
        }
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        restrict(grabber, sniff.demuxer());
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
