package io.reel.transcode.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The probe's test inputs, made on first use by the ffmpeg command line from the distribution ({@code /usr/bin/ffmpeg},
 * 5.1 on Debian 12) into one test class's temporary folder, so nothing binary is committed.
 *
 * <p>Everything is tiny (at most 640×360 and 7 s, one thread, {@code nice}) because tests share the machine. The one
 * costly input is {@code huge_8192x8192.mp4}: a single black frame, ~0.6 GB of memory for a second or two to encode.
 * The AVI/HLS/ffconcat trick files are built in Java by {@link HostileFiles}.
 */
public final class TestMedia {

    static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    /** The UUID that labels the secret's user-data SEI; any 16 bytes would do. */
    private static final String SEI_UUID = "086f3693-b7b3-4f2c-9653-21492feee5b8";
    private static final String SRC = "testsrc2=r=30";
    private static final String TONE = "sine=frequency=440:sample_rate=44100";
    private static final List<String> X264 = List.of("-c:v", "libx264", "-preset", "ultrafast", "-threads", "1", "-pix_fmt", "yuv420p");
    private static final List<String> AAC = List.of("-c:a", "aac", "-b:a", "64k");
    private static final List<String> VP9 = List.of("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-threads", "1");

    private final Path dir;
    private final Map<String, Path> made = new HashMap<>();

    private TestMedia(Path dir) {
        this.dir = dir;
    }

    /** Inputs made in {@code dir}; fails at once, saying what to install, without the ffmpeg command line. */
    public static TestMedia in(Path dir) {
        if (!Files.isExecutable(FFMPEG)) {
            throw new IllegalStateException("The probe tests make their input videos with the ffmpeg command line, and "
                    + FFMPEG + " is missing: install it (Debian/Ubuntu: apt-get install ffmpeg) and run the tests again.");
        }
        return new TestMedia(dir);
    }

    /** The input of that name, made the first time it is asked for. */
    public synchronized Path get(String name) {
        Path file = made.get(name);
        if (file == null) {
            file = dir.resolve(name);
            try {
                make(name, file);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not make the test input " + name, e);
            }
            made.put(name, file);
        }
        return file;
    }

    synchronized byte[] bytes(String name) {
        try {
            return Files.readAllBytes(get(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void make(String name, Path out) throws IOException {
        switch (name) {
            // accepted
            // for the encoder: a 1080p source, and a phone's portrait video (1280x720 coded, rotation tag)
            case "hd_1080p_audio.mp4" -> ffmpeg(out, lavfi(SRC + ":s=1920x1080:d=4"), lavfi(TONE + ":d=4"), List.of("-ac", "2"),
                    X264, AAC, List.of("-shortest"));
            case "phone_720p_landscape.mp4" -> ffmpeg(out, lavfi(SRC + ":s=1280x720:d=3"), lavfi(TONE + ":d=3"), List.of("-ac", "1"),
                    X264, AAC, List.of("-shortest"));
            case "phone_portrait_rotated.mp4" -> ffmpeg(out, List.of("-i", get("phone_720p_landscape.mp4").toString(), "-c", "copy",
                    "-metadata:s:v:0", "rotate=270"));
            // 1 s black, a 1 s fade-in, 4 s of picture: the poster must not be black or the fade's start
            case "fade_in.mp4" -> ffmpeg(out, lavfi("color=black:size=640x360:rate=30:duration=1"),
                    lavfi(SRC + ":s=640x360:d=5"), List.of("-filter_complex",
                            "[1:v]fade=in:st=0:d=1[f];[0:v][f]concat=n=2:v=1:a=0,format=yuv420p[v]", "-map", "[v]"), X264);
            case "normal_16x9_audio.mp4" -> ffmpeg(out, lavfi(SRC + ":s=640x360:d=3"), lavfi(TONE + ":d=3"), List.of("-ac", "2"),
                    X264, AAC, List.of("-shortest"));
            // A landscape 320x180 encode, then a stream-copy remux with the legacy "rotate" tag (ffmpeg 5.1 drops it
            // while encoding, and has no -display_rotation). 5.1 reads the tag counter-clockwise: rotate=270 shows
            // turned 90° clockwise (what a phone held upright writes), rotate=90 turned 90° counter-clockwise.
            case "landscape_320x180.mp4" -> ffmpeg(out, lavfi(SRC + ":s=320x180:d=2"), lavfi(TONE + ":d=2"), List.of("-ac", "1"),
                    X264, AAC, List.of("-shortest"));
            case "portrait_cw90.mp4" -> ffmpeg(out, List.of("-i", get("landscape_320x180.mp4").toString(), "-c", "copy",
                    "-metadata:s:v:0", "rotate=270"));
            case "portrait_ccw90.mp4" -> ffmpeg(out, List.of("-i", get("landscape_320x180.mp4").toString(), "-c", "copy",
                    "-metadata:s:v:0", "rotate=90"));
            case "normal.mov" -> ffmpeg(out, lavfi(SRC + ":s=320x180:d=2"), lavfi(TONE + ":d=2"), X264, AAC, List.of("-shortest"));
            case "square_1x1.mp4" -> ffmpeg(out, lavfi(SRC + ":s=360x360:d=2"), X264);
            // testsrc2 rounds to even sizes, so scale afterwards. x264 4:2:0 refuses odd sizes; VP9 4:2:0 takes them
            // (WebM), and x264 does in 4:4:4 (MP4, High 4:4:4 profile).
            case "odd_853x479.webm" -> ffmpeg(out, lavfi(SRC + ":s=854x480:d=1,scale=853:479"), VP9, List.of("-b:v", "300k"));
            case "odd_853x479_yuv444.mp4" -> ffmpeg(out, lavfi(SRC + ":s=854x480:d=1,scale=853:479"),
                    List.of("-c:v", "libx264", "-preset", "ultrafast", "-threads", "1", "-pix_fmt", "yuv444p"));
            case "no_audio.mp4" -> ffmpeg(out, lavfi(SRC + ":s=320x180:d=2"), X264);
            case "normal.mkv" -> ffmpeg(out, lavfi(SRC + ":s=320x180:d=2"), lavfi(TONE + ":d=2"), X264,
                    List.of("-c:a", "libopus", "-shortest"));
            // variable frame rate: 30 frames at 30 fps, then 60 frames at 10 fps, timestamps kept as they are
            case "vfr.mp4" -> ffmpeg(out, lavfi(SRC + ":s=320x180:d=3"),
                    List.of("-vf", "setpts='if(lt(N,30),N/30,1+(N-30)/10)/TB'", "-fps_mode", "passthrough"), X264);
            case "one_second.mp4" -> ffmpeg(out, lavfi(SRC + ":s=320x180:d=1"), lavfi(TONE + ":d=1"), X264, AAC, List.of("-shortest"));
            // written to a pipe, so not seekable, so no Duration element: what a browser's MediaRecorder uploads
            case "streamed_no_duration.webm" -> ffmpegToPipe(out, lavfi(SRC + ":s=320x180:d=2"), VP9,
                    List.of("-b:v", "200k", "-f", "webm"));

            // refused
            case "audio_only.mp4" -> ffmpeg(out, lavfi(TONE + ":d=2"), AAC);
            case "cover.png" -> ffmpeg(out, lavfi("color=c=red:s=64x64:d=1"), List.of("-frames:v", "1"));
            // audio and a cover picture: its one "video" stream is an attached picture
            case "audio_with_cover.mp4" -> ffmpeg(out, lavfi(TONE + ":d=2"), List.of("-i", get("cover.png").toString(),
                    "-map", "0", "-map", "1"), AAC, List.of("-c:v", "png", "-disposition:v:0", "attached_pic"));
            case "zero_bytes.mp4" -> Files.write(out, new byte[0]);
            case "text_file.mp4" -> Files.writeString(out, "Hello, this is a text file that somebody renamed to .mp4\n");
            // moov at the end (ffmpeg's default), cut in the middle: no moov at all
            case "truncated_moov_at_end.mp4" -> {
                byte[] whole = bytes("whole_moov_at_end.mp4");
                Files.write(out, Arrays.copyOf(whole, whole.length / 2));
            }
            case "whole_moov_at_end.mp4" -> ffmpeg(out, lavfi(SRC + ":s=320x180:d=3"), X264, List.of("-movflags", "-faststart"));
            // moov at the front, then only 1 KiB of mdat: the header is perfect, the frames are missing
            case "truncated_after_moov.mp4" -> Files.write(out, cutAfterMdatHeader(bytes("whole_faststart.mp4"), 1024));
            case "whole_faststart.mp4" -> ffmpeg(out, lavfi(SRC + ":s=320x180:d=3"), X264, List.of("-movflags", "+faststart"));
            case "gif_renamed.mp4" -> ffmpeg(out, lavfi("testsrc2=s=64x64:r=5:d=1"), List.of("-f", "gif"));
            case "png_renamed.mp4" -> Files.copy(get("cover.png"), out);
            // too many pixels: 4100 wide (one cheap frame), and 8192x8192
            case "too_wide_4100.mp4" -> ffmpeg(out, lavfi("color=c=blue:s=4100x64:d=1:r=1"), List.of("-frames:v", "1"), X264);
            case "huge_8192x8192.mp4" -> ffmpeg(out, lavfi("color=c=black:s=8192x8192:d=1:r=1"), List.of("-frames:v", "1"), X264);
            // a 10-hour claim with 3 tiny frames, at 0 s, 18000 s and 36000 s
            case "long_10h_claim.mp4" -> ffmpeg(out, lavfi("color=c=green:s=64x64:r=1:d=3"),
                    List.of("-vf", "setpts=N*18000/TB", "-fps_mode", "passthrough"), X264);
            case "long_10h_claim.mkv" -> ffmpeg(out, List.of("-i", get("long_10h_claim.mp4").toString(), "-c", "copy"));
            // the same, streamed (no Duration element): the probe must find the 10 hours itself
            case "long_10h_streamed.mkv" -> ffmpegToPipe(out, List.of("-i", get("long_10h_claim.mp4").toString(), "-c", "copy",
                    "-f", "matroska"));
            // Matroska CodecID V_MPEG4/ISO/AVC patched to an unknown one of the same length
            case "unknown_codec.mkv" -> Files.write(out, replaceOnce(bytes("h264_for_patch.mkv"), "V_MPEG4/ISO/AVC", "V_REELX/ISO/XYZ"));
            case "h264_for_patch.mkv" -> ffmpeg(out, lavfi(SRC + ":s=320x180:d=1"), X264);
            // a valid AVI, but not a container Reel accepts
            case "plain.avi" -> ffmpeg(out, lavfi(SRC + ":s=160x90:d=1"), List.of("-c:v", "mpeg4", "-threads", "1"));
            // random bytes, seeded so that no run can start with a valid signature by chance
            case "random_bytes.mp4" -> {
                byte[] noise = new byte[1 << 20];
                new Random(20_240_601).nextBytes(noise);
                Files.write(out, noise);
            }

            // The secret for the reference tricks: a real MPEG-TS, which FFmpeg's HLS and concat demuxers would happily
            // read, whose H.264 packets carry HostileFiles.MARKER in a user-data SEI.
            case "secret_template.ts" -> {
                ffmpeg(out, lavfi("color=c=white:s=64x64:r=5:d=1"), X264, List.of("-bsf:v",
                        "h264_metadata=sei_user_data=" + SEI_UUID + "+" + HostileFiles.MARKER, "-f", "mpegts"));
                if (!new String(Files.readAllBytes(out), StandardCharsets.ISO_8859_1).contains(HostileFiles.MARKER)) {
                    throw new IOException("ffmpeg did not write the marker into " + out);
                }
            }
            default -> throw new IllegalArgumentException("No recipe for the test input " + name);
        }
    }

    private static List<String> lavfi(String graph) {
        return List.of("-f", "lavfi", "-i", graph);
    }

    @SafeVarargs
    private void ffmpeg(Path out, List<String>... arguments) throws IOException {
        List<String> command = command();
        for (List<String> part : arguments) {
            command.addAll(part);
        }
        command.add(out.toString());
        run(command, Redirect.DISCARD);
    }

    /** For outputs that must not be seekable: ffmpeg writes to its stdout, which goes to {@code out}. */
    @SafeVarargs
    private void ffmpegToPipe(Path out, List<String>... arguments) throws IOException {
        List<String> command = command();
        for (List<String> part : arguments) {
            command.addAll(part);
        }
        command.add("pipe:1");
        run(command, Redirect.to(out.toFile()));
    }

    /** The make-inputs.sh prefix: nice, one thread, errors only, overwrite. */
    private static List<String> command() {
        return new ArrayList<>(List.of("nice", "-n", "10", FFMPEG.toString(), "-hide_banner", "-loglevel", "error", "-y",
                "-threads", "1"));
    }

    private void run(List<String> command, Redirect stdout) throws IOException {
        Path log = Files.createTempFile(dir, "ffmpeg-", ".log");
        Process ffmpeg = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(stdout)
                .redirectError(log.toFile()).start();
        try {
            if (!ffmpeg.waitFor(2, TimeUnit.MINUTES)) {
                ffmpeg.destroyForcibly();
                throw new IOException("ffmpeg took over 2 minutes: " + command);
            }
        } catch (InterruptedException e) {
            ffmpeg.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted: " + command, e);
        }
        String errors = Files.readString(log);
        Files.delete(log);
        if (ffmpeg.exitValue() != 0) {
            throw new IOException("ffmpeg failed (" + ffmpeg.exitValue() + "): " + String.join(" ", command) + "\n" + errors);
        }
    }

    /** The file up to its {@code mdat} box's header and {@code keep} bytes of the box. */
    private static byte[] cutAfterMdatHeader(byte[] mp4, int keep) throws IOException {
        ByteBuffer boxes = ByteBuffer.wrap(mp4);
        while (boxes.remaining() >= 8) {
            int start = boxes.position();
            long size = Integer.toUnsignedLong(boxes.getInt());
            String type = new String(mp4, start + 4, 4, StandardCharsets.ISO_8859_1);
            if (type.equals("mdat")) {
                return Arrays.copyOf(mp4, start + 8 + keep);
            }
            if (size < 8) {
                break;
            }
            boxes.position((int) (start + size));
        }
        throw new IOException("No mdat box found");
    }

    private static byte[] replaceOnce(byte[] bytes, String from, String to) throws IOException {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0 || from.length() != to.length()) {
            throw new IOException("Expected exactly one " + from);
        }
        byte[] patched = bytes.clone();
        System.arraycopy(to.getBytes(StandardCharsets.ISO_8859_1), 0, patched, at, to.length());
        return patched;
    }
}
