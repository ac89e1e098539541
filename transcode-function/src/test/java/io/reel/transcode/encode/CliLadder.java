package io.reel.transcode.encode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The reference ladder made by the ffmpeg command line from the distribution ({@code /usr/bin/ffmpeg}) in the output
 * folder's layout (see {@link LadderCheck}): one ffmpeg process for the HLS rungs and the MP4s, like
 * {@code docs/research/transcode-encoder/cli_ladder.sh.txt}, then the master playlist and the storyboard's cues written
 * here, a poster and a storyboard sprite by two more ffmpeg runs.
 *
 * <p>Same rules as the encoder: Apple's rungs up to the source's short side (one rung at the source's size below
 * 234p), keyframes at every 2 s of source time in every output, 6 s fMP4 segments, MP4s at the middle and the top rung,
 * 160 px storyboard tiles every N ≥ 2 s (at most 100), 10 per row. The frame rate is kept as it is.
 */
final class CliLadder {

    static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    /** Short side and video kb/s of each rung (Apple's HLS authoring spec). */
    private static final int[][] LADDER = {{234, 145}, {360, 365}, {540, 2000}, {720, 3000}, {1080, 6000}};
    static final int GOP_SECONDS = 2;
    static final int SEGMENT_SECONDS = 6;
    static final int AUDIO_KBPS = 128;
    static final int TILE_WIDTH = 160, MAX_TILES = 100, MIN_TILE_SECONDS = 2, SPRITE_COLUMNS = 10;

    /** One rung of the ladder: named by its short side, at its picture size and video bit rate. */
    record Rung(int shortSide, int width, int height, int videoKbps) {
        String name() {
            return shortSide + "p";
        }
    }

    private final String preset;
    private final int threads;

    /**
     * @param preset  x264's, e.g. {@code ultrafast} for tests, {@code veryfast} to compare with the encoder
     * @param threads for decoding, filters and each x264; 0 lets ffmpeg choose
     */
    CliLadder(String preset, int threads) {
        this.preset = preset;
        this.threads = threads;
    }

    /** ultrafast, one thread: what the tests can afford on a shared machine. */
    static CliLadder forTests() {
        return new CliLadder("ultrafast", 1);
    }

    /** The rungs for a source shown at that size. */
    static List<Rung> plan(int displayWidth, int displayHeight) {
        int width = evenDown(displayWidth), height = evenDown(displayHeight);
        int shortSide = Math.min(width, height), longSide = Math.max(width, height);
        boolean landscape = displayWidth >= displayHeight;
        double longPerShort = landscape ? (double) displayWidth / displayHeight : (double) displayHeight / displayWidth;
        List<Rung> rungs = new ArrayList<>();
        for (int[] rung : LADDER) {
            int side = rung[0];
            if (side <= shortSide) {
                int other = Math.min(even(side * longPerShort), longSide);
                rungs.add(new Rung(side, landscape ? other : side, landscape ? side : other, rung[1]));
            }
        }
        if (rungs.isEmpty()) {
            rungs.add(new Rung(shortSide, width, height, LADDER[0][1]));
        }
        return rungs;
    }

    /** The middle rung (the lower of two middles) and the top one. */
    static List<Rung> mp4Rungs(List<Rung> rungs) {
        Rung middle = rungs.get((rungs.size() - 1) / 2), top = rungs.get(rungs.size() - 1);
        return middle.equals(top) ? List.of(top) : List.of(middle, top);
    }

    /** The whole folder: rungs, master, MP4s, poster, storyboard. */
    void build(Path source, Path out) throws IOException {
        source = source.toAbsolutePath();
        out = out.toAbsolutePath();
        Ffprobe.Source facts = Ffprobe.source(source);
        List<Rung> rungs = plan(facts.displayWidth(), facts.displayHeight());
        encode(source, out, rungs, mp4Rungs(rungs), facts.hasAudio(), GOP_SECONDS);
        writeMaster(out.resolve("hls"), rungs, facts.hasAudio(), facts.frameRate());
        poster(source, out.resolve("poster.jpg"), facts);
        storyboard(source, out, facts);
    }

    /** Encodes one rung's HLS files again, replacing them, with keyframes every {@code gopSeconds} instead. */
    void encodeHlsRung(Path source, Path out, Rung rung, int gopSeconds) throws IOException {
        source = source.toAbsolutePath();
        out = out.toAbsolutePath();
        Path hls = out.resolve("hls");
        deleteTree(hls.resolve(rung.name()));
        Files.deleteIfExists(hls.resolve(rung.name() + ".m3u8"));
        encode(source, out, List.of(rung), List.of(), Ffprobe.source(source).hasAudio(), gopSeconds);
    }

    // ---------------------------------------------------------------- the encode

    private void encode(Path source, Path out, List<Rung> rungs, List<Rung> mp4s, boolean audio, int gopSeconds)
            throws IOException {
        for (Rung rung : rungs) {
            Files.createDirectories(out.resolve("hls").resolve(rung.name()));
        }
        List<String> command = new ArrayList<>(threadOptions());
        command.addAll(List.of("-i", source.toString(), "-filter_complex", filterGraph(rungs, mp4s)));
        for (Rung rung : rungs) {
            command.addAll(hlsOutput(out, rung, audio, gopSeconds));
        }
        for (Rung rung : mp4s) {
            command.addAll(mp4Output(out, rung, audio, gopSeconds));
        }
        ffmpeg(out, command);
    }

    /** One split branch per rung, scaled once: [h234p] for its HLS output, and [m234p] too when it has an MP4. */
    private static String filterGraph(List<Rung> rungs, List<Rung> mp4s) {
        StringBuilder graph = new StringBuilder("[0:v]split=").append(rungs.size());
        rungs.forEach(rung -> graph.append("[s").append(rung.name()).append(']'));
        for (Rung rung : rungs) {
            String name = rung.name();
            graph.append(";[s").append(name).append("]scale=").append(rung.width()).append(':').append(rung.height())
                    .append(":flags=bicubic,setsar=1")
                    .append(mp4s.contains(rung) ? ",split=2[h" + name + "][m" + name + "]" : "[h" + name + "]");
        }
        return graph.toString();
    }

    private List<String> hlsOutput(Path out, Rung rung, boolean audio, int gopSeconds) {
        String name = rung.name();
        Path hls = out.resolve("hls");
        List<String> args = new ArrayList<>(List.of("-map", "[h" + name + "]"));
        args.addAll(codecs(rung, audio, gopSeconds));
        args.addAll(List.of("-f", "hls", "-hls_time", String.valueOf(SEGMENT_SECONDS), "-hls_playlist_type", "vod",
                "-hls_list_size", "0", "-hls_flags", "independent_segments", "-hls_segment_type", "fmp4",
                "-hls_fmp4_init_filename", name + "/init.mp4", "-hls_base_url", name + "/",
                "-hls_segment_filename", hls.resolve(name).resolve("segment_%05d.m4s").toString(),
                hls.resolve(name + ".m3u8").toString()));
        return args;
    }

    private List<String> mp4Output(Path out, Rung rung, boolean audio, int gopSeconds) {
        List<String> args = new ArrayList<>(List.of("-map", "[m" + rung.name() + "]"));
        args.addAll(codecs(rung, audio, gopSeconds));
        args.addAll(List.of("-movflags", "+faststart", out.resolve(rung.name() + ".mp4").toString()));
        return args;
    }

    /**
     * x264 High with an IDR at every {@code gopSeconds} of source time (no scene cuts, closed GOPs); AAC stereo.
     * {@code 8x8dct=1} keeps ultrafast at High: without the 8x8 transform x264 writes Constrained Baseline whatever the
     * {@code -profile:v} (the other presets have it on anyway).
     */
    private List<String> codecs(Rung rung, boolean audio, int gopSeconds) {
        int kbps = rung.videoKbps();
        List<String> args = new ArrayList<>(List.of("-c:v", "libx264", "-preset", preset, "-profile:v", "high",
                "-pix_fmt", "yuv420p", "-fps_mode", "passthrough",
                "-force_key_frames", "expr:gte(t,n_forced*" + gopSeconds + ")", "-forced-idr", "1",
                "-g", String.valueOf(gopSeconds * 60), "-x264-params", "scenecut=0:open-gop=0:8x8dct=1",
                "-b:v", kbps + "k", "-maxrate", kbps * 11 / 10 + "k", "-bufsize", kbps * 2 + "k"));
        if (threads > 0) {
            args.addAll(List.of("-threads", String.valueOf(threads)));
        }
        if (audio) {
            args.addAll(List.of("-map", "0:a:0", "-c:a", "aac", "-b:a", AUDIO_KBPS + "k", "-ac", "2"));
        }
        return args;
    }

    private List<String> threadOptions() {
        return threads > 0 ? List.of("-threads", String.valueOf(threads), "-filter_threads", String.valueOf(threads)) : List.of();
    }

    // ---------------------------------------------------------------- master playlist

    /**
     * hls/master.m3u8 from the files: BANDWIDTH the peak segment bit rate (the last, short segment aside),
     * AVERAGE-BANDWIDTH total bits over total duration, CODECS from the init segment's avcC.
     */
    static void writeMaster(Path hls, List<Rung> rungs, boolean audio, double frameRate) throws IOException {
        StringBuilder master = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (Rung rung : rungs) {
            List<String> lines = Files.readAllLines(hls.resolve(rung.name() + ".m3u8"));
            List<double[]> segments = new ArrayList<>(); // {bits, seconds}
            double seconds = 0;
            for (String line : lines) {
                if (line.startsWith("#EXTINF:")) {
                    seconds = Double.parseDouble(line.substring("#EXTINF:".length()).split(",")[0]);
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    segments.add(new double[] {Files.size(hls.resolve(line)) * 8.0, seconds});
                }
            }
            double peak = 0, bits = 0, total = 0;
            for (int i = 0; i < segments.size(); i++) {
                bits += segments.get(i)[0];
                total += segments.get(i)[1];
                if (i < segments.size() - 1 || segments.size() == 1) {
                    peak = Math.max(peak, segments.get(i)[0] / segments.get(i)[1]);
                }
            }
            Path init = hls.resolve(rung.name()).resolve("init.mp4");
            String avc1 = Mp4Boxes.avc1Codec(init).orElseThrow(() -> new IOException("No avcC box in " + init));
            master.append(String.format(Locale.ROOT,
                    "#EXT-X-STREAM-INF:BANDWIDTH=%d,AVERAGE-BANDWIDTH=%d,CODECS=\"%s\",RESOLUTION=%dx%d,FRAME-RATE=%.3f%n%s.m3u8%n",
                    (long) Math.ceil(peak), (long) Math.ceil(bits / total), audio ? avc1 + ",mp4a.40.2" : avc1,
                    rung.width(), rung.height(), frameRate, rung.name()));
        }
        Files.writeString(hls.resolve("master.m3u8"), master, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- poster and storyboard

    /** The frame at 1 s (or half way through a shorter video) at the display size. */
    private void poster(Path source, Path poster, Ffprobe.Source facts) throws IOException {
        double at = Math.min(1, facts.durationSeconds() / 2);
        List<String> command = new ArrayList<>(threadOptions());
        command.addAll(List.of("-ss", String.format(Locale.ROOT, "%.3f", at), "-i", source.toString(),
                "-vf", "scale=" + evenDown(facts.displayWidth()) + ":" + evenDown(facts.displayHeight()) + ",setsar=1",
                "-frames:v", "1", "-q:v", "3", poster.toString()));
        ffmpeg(poster.getParent(), command);
    }

    /** A sprite of tiles every N s (ffmpeg's fps and tile filters) and its WebVTT cues, written here. */
    private void storyboard(Path source, Path out, Ffprobe.Source facts) throws IOException {
        double duration = facts.durationSeconds();
        int interval = Math.max(MIN_TILE_SECONDS, (int) Math.ceil(duration / MAX_TILES));
        int tiles = Math.max(1, (int) Math.ceil(duration / interval));
        int columns = Math.min(SPRITE_COLUMNS, tiles), rows = (tiles + columns - 1) / columns;
        int tileHeight = even((double) TILE_WIDTH * facts.displayHeight() / facts.displayWidth());
        List<String> command = new ArrayList<>(threadOptions());
        command.addAll(List.of("-i", source.toString(), "-vf", "fps=1/" + interval + ",scale=" + TILE_WIDTH + ":" + tileHeight
                        + ":flags=bicubic,setsar=1,tile=" + columns + "x" + rows, "-frames:v", "1", "-q:v", "4",
                out.resolve("storyboard.jpg").toString()));
        ffmpeg(out, command);
        StringBuilder vtt = new StringBuilder("WEBVTT\n\n");
        for (int i = 0; i < tiles; i++) {
            double start = i * interval, end = i == tiles - 1 ? duration : (i + 1) * interval;
            vtt.append(vttTime(start)).append(" --> ").append(vttTime(end)).append('\n')
                    .append(String.format(Locale.ROOT, "storyboard.jpg#xywh=%d,%d,%d,%d%n%n", i % columns * TILE_WIDTH,
                            i / columns * tileHeight, TILE_WIDTH, tileHeight));
        }
        Files.writeString(out.resolve("storyboard.vtt"), vtt, StandardCharsets.UTF_8);
    }

    static String vttTime(double seconds) {
        long ms = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }

    // ---------------------------------------------------------------- running ffmpeg

    /**
     * Runs {@code nice ffmpeg -hide_banner -loglevel error -y ARGUMENTS} in {@code dir}; fails with its errors, or saying
     * what to install when there is no ffmpeg command line.
     */
    static void ffmpeg(Path dir, List<String> arguments) throws IOException {
        if (!Files.isExecutable(FFMPEG)) {
            throw new IllegalStateException("The reference ladder is made with the ffmpeg command line, and " + FFMPEG
                    + " is missing: install it (Debian/Ubuntu: apt-get install ffmpeg) and run the tests again.");
        }
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of("nice", "-n", "10", FFMPEG.toString(), "-hide_banner", "-loglevel",
                "error", "-y"));
        command.addAll(arguments);
        Path log = Files.createTempFile("ffmpeg-", ".log");
        try {
            Process ffmpeg = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(log.toFile()).start();
            if (!ffmpeg.waitFor(10, TimeUnit.MINUTES)) {
                ffmpeg.destroyForcibly();
                throw new IOException("ffmpeg took over 10 minutes: " + String.join(" ", command));
            }
            if (ffmpeg.exitValue() != 0) {
                throw new IOException("ffmpeg failed (" + ffmpeg.exitValue() + "): " + String.join(" ", command) + "\n"
                        + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted: " + String.join(" ", command), e);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static int even(double value) {
        return Math.max(2, (int) Math.round(value / 2.0) * 2);
    }

    private static int evenDown(double value) {
        return Math.max(2, (int) Math.floor(value / 2.0) * 2);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
