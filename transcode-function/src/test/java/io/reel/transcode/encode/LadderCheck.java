package io.reel.transcode.encode;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.transcode.encode.Ffprobe.Packet;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * An independent check of a ladder encoder's output folder, read with the distribution's ffprobe ({@link Ffprobe}) and
 * plain Java, never with the JavaCV FFmpeg the encoder runs. A port of {@code docs/research/transcode-encoder/verify.py.txt}.
 *
 * <p>The folder's contract:
 * <pre>
 * OUT/hls/master.m3u8            one #EXT-X-STREAM-INF per rung (BANDWIDTH, AVERAGE-BANDWIDTH, CODECS, RESOLUTION,
 *                                FRAME-RATE), then the URI "{rung}.m3u8"
 * OUT/hls/{rung}.m3u8            VOD fMP4 playlist: #EXT-X-MAP "{rung}/init.mp4", segments "{rung}/segment_NNNNN.m4s"
 * OUT/hls/{rung}/init.mp4, segment_NNNNN.m4s
 * OUT/{rung}.mp4                 faststart H.264 High + AAC at the middle and the top rung
 * OUT/poster.jpg                 at most the display size, not black
 * OUT/storyboard.jpg + .vtt      a sprite and its cues "storyboard.jpg#xywh=x,y,w,h" covering 0 .. the duration
 * </pre>
 * Rungs are named by their short side ("360p"); every output keeps the display aspect, has even dimensions, no rotation
 * left, the source's duration, and keyframes at the same times as every other output.
 *
 * <p>Each check gives one line: what was checked and what was found, plus what was expected when it failed.
 */
final class LadderCheck {

    /** The short sides of the ladder's rungs (Apple's authoring spec, 16:9 names); smaller sources get one rung. */
    static final List<Integer> LADDER = List.of(234, 360, 540, 720, 1080);
    static final double SEGMENT_SECONDS = 6;
    static final int MIN_TARGET_DURATION = 4, MAX_TARGET_DURATION = 6;
    static final double ASPECT_TOLERANCE = 0.015;
    /** Keyframe times and segment durations agree to this; VFR sources in fMP4 get FFmpeg's known offset. */
    static final double KEYFRAME_TOLERANCE = 0.001, VFR_KEYFRAME_TOLERANCE = 0.07;
    static final double BANDWIDTH_TOLERANCE = 0.10;
    static final double MIN_POSTER_LUMA = 20;

    private static final Pattern ATTRIBUTE = Pattern.compile("([A-Z0-9-]+)=(\"[^\"]*\"|[^\",]*)");
    private static final Pattern RUNG_NAME = Pattern.compile("(\\d+)p");
    private static final Pattern CODECS = Pattern.compile("avc1\\.([0-9a-fA-F]{6})(,mp4a\\.40\\.2)?");
    private static final Pattern DECIMAL = Pattern.compile("\\d+(\\.\\d+)?");
    private static final String TIME = "(\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{3})";
    private static final Pattern CUE_TIMING = Pattern.compile(TIME + " --> " + TIME);
    private static final Pattern CUE_TILE = Pattern.compile("storyboard\\.jpg#xywh=(\\d+),(\\d+),(\\d+),(\\d+)");
    private static final int H264_HIGH = 100;

    /**
     * What the outputs must show.
     *
     * @param displayWidth     the source's width as shown (sample aspect ratio and rotation applied)
     * @param displayHeight    the source's height as shown
     * @param durationSeconds  the source's duration
     * @param hasAudio         every output has one AAC-LC stereo stream; without it, none has any audio
     * @param rungs            the HLS rung names, smallest first, e.g. [234p, 360p]
     * @param mp4Rungs         the rungs that also have a progressive MP4: the middle and the top one
     * @param vfr              the source has a variable frame rate: keyframes may be off by {@link #VFR_KEYFRAME_TOLERANCE}
     * @param toleranceSeconds how far each output's duration may be from the source's
     */
    record Expect(int displayWidth, int displayHeight, double durationSeconds, boolean hasAudio, List<String> rungs,
                  List<String> mp4Rungs, boolean vfr, double toleranceSeconds) {

        Expect {
            rungs = List.copyOf(rungs);
            mp4Rungs = List.copyOf(mp4Rungs);
            if (displayWidth <= 0 || displayHeight <= 0 || !(durationSeconds > 0) || rungs.isEmpty()) {
                throw new IllegalArgumentException("Nothing to check against: " + displayWidth + "x" + displayHeight + ", "
                        + durationSeconds + " s, rungs " + rungs);
            }
        }

        /** The rungs and MP4s the ladder rules give for that display size, tolerance 0.5 s, constant frame rate. */
        static Expect of(int displayWidth, int displayHeight, double durationSeconds, boolean hasAudio) {
            List<String> rungs = ladder(displayWidth, displayHeight);
            return new Expect(displayWidth, displayHeight, durationSeconds, hasAudio, rungs, mp4RungsOf(rungs), false, 0.5);
        }

        /** {@link #of} with the source's display size, duration and audio as ffprobe reads them. */
        static Expect fromSource(Path source) throws IOException {
            Ffprobe.Source facts = Ffprobe.source(source);
            return of(facts.displayWidth(), facts.displayHeight(), facts.durationSeconds(), facts.hasAudio());
        }

        /** These rungs, and the MP4s that follow from them. */
        Expect withRungs(String... names) {
            List<String> list = List.of(names);
            return new Expect(displayWidth, displayHeight, durationSeconds, hasAudio, list, mp4RungsOf(list), vfr, toleranceSeconds);
        }

        Expect withMp4Rungs(String... names) {
            return new Expect(displayWidth, displayHeight, durationSeconds, hasAudio, rungs, List.of(names), vfr, toleranceSeconds);
        }

        Expect withAudio(boolean audio) {
            return new Expect(displayWidth, displayHeight, durationSeconds, audio, rungs, mp4Rungs, vfr, toleranceSeconds);
        }

        Expect withDuration(double seconds) {
            return new Expect(displayWidth, displayHeight, seconds, hasAudio, rungs, mp4Rungs, vfr, toleranceSeconds);
        }

        Expect withVfr(boolean variable) {
            return new Expect(displayWidth, displayHeight, durationSeconds, hasAudio, rungs, mp4Rungs, variable, toleranceSeconds);
        }

        Expect withTolerance(double seconds) {
            return new Expect(displayWidth, displayHeight, durationSeconds, hasAudio, rungs, mp4Rungs, vfr, seconds);
        }

        double keyframeTolerance() {
            return vfr ? VFR_KEYFRAME_TOLERANCE : KEYFRAME_TOLERANCE;
        }

        /** Every ladder rung not above the short side (rounded down to even), or that short side alone if none fits. */
        static List<String> ladder(int displayWidth, int displayHeight) {
            int shortSide = Math.min(displayWidth, displayHeight) / 2 * 2;
            List<String> rungs = LADDER.stream().filter(side -> side <= shortSide).map(side -> side + "p").toList();
            return rungs.isEmpty() ? List.of(shortSide + "p") : rungs;
        }

        /** The middle rung (the lower of two middles) and the top one; one MP4 when there is one rung. */
        static List<String> mp4RungsOf(List<String> rungs) {
            String middle = rungs.get((rungs.size() - 1) / 2), top = rungs.get(rungs.size() - 1);
            return middle.equals(top) ? List.of(top) : List.of(middle, top);
        }
    }

    /** The lines of the checks that passed and of those that failed. */
    record Report(List<String> passed, List<String> failed) {
        Report {
            passed = List.copyOf(passed);
            failed = List.copyOf(failed);
        }

        boolean ok() {
            return failed.isEmpty();
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            failed.forEach(line -> text.append("FAIL ").append(line).append('\n'));
            passed.forEach(line -> text.append("PASS ").append(line).append('\n'));
            return text.append(passed.size()).append(" passed, ").append(failed.size()).append(" failed").toString();
        }
    }

    /** Checks {@code out} against what {@code expect} says of the source. */
    static Report check(Path out, Expect expect) {
        Ffprobe.requireInstalled();
        LadderCheck check = new LadderCheck(out, expect);
        try {
            check.run();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not check " + out, e);
        }
        return new Report(check.passed, check.failed);
    }

    /** The lines of the checks that failed: empty when {@code out} is a good ladder. */
    static List<String> problems(Path out, Expect expect) {
        return check(out, expect).failed();
    }

    /** {@link #problems(Path, Expect)} with {@link Expect#fromSource}: a constant frame rate source, rules' rungs. */
    static List<String> problems(Path source, Path out) throws IOException {
        return problems(out, Expect.fromSource(source));
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** A variant of the master playlist: its attributes and the playlist URI on the next line. */
    private record Variant(Map<String, String> attributes, String uri) {
    }

    private record Segment(String uri, double seconds) {
    }

    /** A media playlist: its lines, the target duration (-1 if none), the EXT-X-MAP URI (null if none), the segments. */
    private record Playlist(List<String> lines, int targetDuration, String init, List<Segment> segments) {
        double seconds() {
            return segments.stream().mapToDouble(Segment::seconds).sum();
        }
    }

    /** A rung's parts joined into one file as a player would read them, with where each segment starts in it. */
    private record Joined(Path file, long[] segmentOffsets, long[] segmentSizes) {
    }

    /** What ffprobe read of one output. */
    private record Media(int width, int height, int level, List<Packet> packets) {
        String size() {
            return width + "x" + height;
        }
    }

    private final Path out;
    private final Path hls;
    private final Expect expect;
    private final List<String> passed = new ArrayList<>();
    private final List<String> failed = new ArrayList<>();
    /** Keyframe times from each output's first frame, by output label, HLS rungs first. */
    private final Map<String, List<Double>> keyframes = new LinkedHashMap<>();
    private final Map<String, List<Double>> segmentSeconds = new LinkedHashMap<>();
    private final Map<String, Media> rungMedia = new LinkedHashMap<>();
    /** The master playlist's variants by URI. */
    private final Map<String, Variant> variants = new LinkedHashMap<>();
    private Path scratch;

    private LadderCheck(Path out, Expect expect) {
        this.out = out;
        this.hls = out.resolve("hls");
        this.expect = expect;
    }

    private void run() throws IOException {
        scratch = Files.createTempDirectory("ladder-check-");
        try {
            List<String> rungs = rungPlaylists();
            section("hls/master.m3u8", () -> master(rungs));
            for (String rung : rungs) {
                section("hls " + rung, () -> rung(rung, variants.get(rung + ".m3u8")));
            }
            section("progressive MP4s", this::mp4s);
            keyframesAligned();
            segmentsAligned();
            section("poster.jpg", this::poster);
            section("storyboard", this::storyboard);
        } finally {
            deleteTree(scratch);
        }
    }

    // ---------------------------------------------------------------- master playlist

    /** The rung names of the media playlists in OUT/hls, smallest first; checks they are the expected ones. */
    private List<String> rungPlaylists() throws IOException {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(hls)) {
            try (DirectoryStream<Path> playlists = Files.newDirectoryStream(hls, "*.m3u8")) {
                playlists.forEach(p -> names.add(p.getFileName().toString().replaceFirst("\\.m3u8$", "")));
            }
        }
        names.remove("master");
        names.sort(BY_SHORT_SIDE);
        expect(names.equals(expect.rungs()), "hls rung playlists", expect.rungs().toString(), names.toString());
        return names;
    }

    private void master(List<String> rungs) throws IOException {
        Path master = hls.resolve("master.m3u8");
        if (!exists("hls/master.m3u8", master)) {
            return;
        }
        List<String> lines = Files.readAllLines(master);
        expect(!lines.isEmpty() && lines.get(0).equals("#EXTM3U"), "hls/master.m3u8 header", "#EXTM3U",
                lines.isEmpty() ? "an empty file" : quote(lines.get(0)));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("#EXT-X-STREAM-INF:")) {
                Variant variant = new Variant(attributes(lines.get(i).substring("#EXT-X-STREAM-INF:".length())), uriAfter(lines, i));
                boolean first = variants.put(variant.uri(), variant) == null;
                expect(first, "hls/master.m3u8 variant " + variant.uri(), "listed once", first ? "listed once" : "listed again");
            }
        }
        List<String> expected = rungs.stream().map(rung -> rung + ".m3u8").toList();
        expect(variants.keySet().stream().sorted().toList().equals(expected.stream().sorted().toList()),
                "hls/master.m3u8 variants", "one per rung playlist in hls/: " + expected, variants.keySet().toString());
    }

    private static Map<String, String> attributes(String list) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher attribute = ATTRIBUTE.matcher(list);
        while (attribute.find()) {
            attributes.put(attribute.group(1), attribute.group(2));
        }
        return attributes;
    }

    /** The first line after {@code index} that is neither blank nor a tag: the URI a tag applies to. */
    private static String uriAfter(List<String> lines, int index) {
        return lines.stream().skip(index + 1L).map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .findFirst().orElse("(none)");
    }

    private void variantAttributes(String rung, Variant variant, Media media, Playlist playlist, Joined joined)
            throws IOException {
        String label = "hls/master.m3u8 " + rung;
        Map<String, String> attributes = variant.attributes();
        expect(media.size().equals(attributes.get("RESOLUTION")), label + " RESOLUTION",
                media.size() + " (the stream's size)", String.valueOf(attributes.get("RESOLUTION")));
        expect(attributes.containsKey("FRAME-RATE") && DECIMAL.matcher(attributes.get("FRAME-RATE")).matches()
                        && Double.parseDouble(attributes.get("FRAME-RATE")) > 0,
                label + " FRAME-RATE", "a positive decimal", String.valueOf(attributes.get("FRAME-RATE")));
        bandwidths(label, attributes, playlist, joined);
        codecs(label, attributes.get("CODECS"), media, hls.resolve(playlist.init()));
    }

    /** BANDWIDTH covers the peak segment bit rate (the last, short one aside); AVERAGE-BANDWIDTH is the average. */
    private void bandwidths(String label, Map<String, String> attributes, Playlist playlist, Joined joined) {
        double peak = 0, bits = 0, seconds = playlist.seconds();
        int n = playlist.segments().size();
        for (int i = 0; i < n; i++) {
            double segmentBits = joined.segmentSizes()[i] * 8.0;
            bits += segmentBits;
            if (i < n - 1 || n == 1) {
                peak = Math.max(peak, segmentBits / playlist.segments().get(i).seconds());
            }
        }
        double average = bits / seconds;
        long bandwidth = positiveInteger(attributes.get("BANDWIDTH"));
        long averageBandwidth = positiveInteger(attributes.get("AVERAGE-BANDWIDTH"));
        expect(bandwidth >= peak * (1 - BANDWIDTH_TOLERANCE), label + " BANDWIDTH",
                String.format(Locale.ROOT, "an integer ≥ the peak segment bit rate %.0f (-10%%)", peak),
                String.valueOf(attributes.get("BANDWIDTH")));
        expect(Math.abs(averageBandwidth - average) <= average * BANDWIDTH_TOLERANCE, label + " AVERAGE-BANDWIDTH",
                String.format(Locale.ROOT, "an integer within 10%% of the measured %.0f", average),
                String.valueOf(attributes.get("AVERAGE-BANDWIDTH")));
    }

    /** avc1.PPCCLL as in the init segment's avcC, High profile and the level ffprobe reads; mp4a.40.2 iff audio. */
    private void codecs(String label, String quoted, Media media, Path init) throws IOException {
        String value = quoted == null ? "none" : quoted;
        Matcher codecs = CODECS.matcher(value.replace("\"", ""));
        boolean wellFormed = value.startsWith("\"") && codecs.matches();
        String expectedForm = expect.hasAudio() ? "\"avc1.xxxxxx,mp4a.40.2\"" : "\"avc1.xxxxxx\"";
        if (!expect(wellFormed && (codecs.group(2) != null) == expect.hasAudio(), label + " CODECS", expectedForm, value)) {
            return;
        }
        String avc1 = "avc1." + codecs.group(1).toLowerCase(Locale.ROOT);
        Optional<String> inInit = Mp4Boxes.avc1Codec(init);
        expect(inInit.isPresent() && inInit.get().equals(avc1), label + " CODECS avc1",
                inInit.map(s -> s + " (the init segment's avcC)").orElse("an avcC box in " + init.getFileName()), avc1);
        int profile = Integer.parseInt(avc1.substring(5, 7), 16), level = Integer.parseInt(avc1.substring(9, 11), 16);
        expect(profile == H264_HIGH && level == media.level(), label + " CODECS profile and level",
                "High (0x64) and level " + media.level() + " as ffprobe reads the stream",
                String.format(Locale.ROOT, "profile 0x%02x level %d", profile, level));
    }

    // ---------------------------------------------------------------- rungs

    private void rung(String rung, Variant variant) throws IOException {
        Playlist playlist = mediaPlaylist(rung);
        if (!partsExist(rung, playlist)) {
            return;
        }
        Joined joined = join(rung, playlist);
        Media media = media("hls " + rung, joined.file());
        if (media == null) {
            return;
        }
        rungMedia.put(rung, media);
        segmentSeconds.put(rung, playlist.segments().stream().map(Segment::seconds).toList());
        Matcher name = RUNG_NAME.matcher(rung);
        expect(name.matches() && Integer.parseInt(name.group(1)) == Math.min(media.width(), media.height()),
                "hls " + rung + " name", "{short side}p for " + media.size(), rung);
        segmentsStartWithKeyframes(rung, joined, media.packets());
        if (variant != null) {
            variantAttributes(rung, variant, media, playlist, joined);
        }
    }

    private Playlist mediaPlaylist(String rung) throws IOException {
        String label = "hls/" + rung + ".m3u8";
        List<String> lines = Files.readAllLines(hls.resolve(rung + ".m3u8")).stream().map(String::strip).toList();
        int target = -1;
        String init = null;
        List<Segment> segments = new ArrayList<>();
        double seconds = -1;
        for (String line : lines) {
            if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                target = Integer.parseInt(line.substring("#EXT-X-TARGETDURATION:".length()));
            } else if (line.startsWith("#EXT-X-MAP:")) {
                init = attributes(line.substring("#EXT-X-MAP:".length())).getOrDefault("URI", "").replace("\"", "");
            } else if (line.startsWith("#EXTINF:")) {
                seconds = Double.parseDouble(line.substring("#EXTINF:".length()).split(",")[0]);
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                segments.add(new Segment(line, seconds));
                seconds = -1;
            }
        }
        Playlist playlist = new Playlist(lines, target, init, segments);
        playlistTags(label, playlist);
        playlistNames(label, rung, playlist);
        playlistDurations(label, playlist);
        return playlist;
    }

    private void playlistTags(String label, Playlist playlist) {
        List<String> lines = playlist.lines();
        expect(!lines.isEmpty() && lines.get(0).equals("#EXTM3U"), label + " header", "#EXTM3U",
                lines.isEmpty() ? "an empty file" : quote(lines.get(0)));
        expect(lines.contains("#EXT-X-PLAYLIST-TYPE:VOD") && lines.contains("#EXT-X-ENDLIST"), label + " type",
                "#EXT-X-PLAYLIST-TYPE:VOD and #EXT-X-ENDLIST",
                lines.stream().filter(l -> l.startsWith("#EXT-X-PLAYLIST-TYPE") || l.equals("#EXT-X-ENDLIST")).toList().toString());
        int target = playlist.targetDuration();
        // A video shorter than 4 s is one shorter segment: its target is its (rounded) length.
        int minTarget = (int) Math.max(1, Math.min(MIN_TARGET_DURATION, Math.round(expect.durationSeconds())));
        expect(target >= minTarget && target <= MAX_TARGET_DURATION, label + " #EXT-X-TARGETDURATION",
                minTarget + ".." + MAX_TARGET_DURATION, target < 0 ? "none" : String.valueOf(target));
        double longest = playlist.segments().stream().mapToDouble(Segment::seconds).max().orElse(0);
        expect(Math.round(longest) <= target, label + " longest #EXTINF", "at most the target duration " + target + " s once rounded",
                seconds(longest));
    }

    private void playlistNames(String label, String rung, Playlist playlist) {
        expect((rung + "/init.mp4").equals(playlist.init()), label + " #EXT-X-MAP", "URI=\"" + rung + "/init.mp4\"",
                playlist.init() == null ? "none" : "URI=\"" + playlist.init() + "\"");
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < playlist.segments().size(); i++) {
            String expected = String.format(Locale.ROOT, "%s/segment_%05d.m4s", rung, i);
            if (!playlist.segments().get(i).uri().equals(expected)) {
                wrong.add(playlist.segments().get(i).uri() + " instead of " + expected);
            }
        }
        expect(!playlist.segments().isEmpty() && wrong.isEmpty(), label + " segments",
                rung + "/segment_00000.m4s, " + rung + "/segment_00001.m4s, …",
                playlist.segments().isEmpty() ? "none" : wrong.isEmpty() ? playlist.segments().size() + " in order" : String.join("; ", wrong));
    }

    private void playlistDurations(String label, Playlist playlist) {
        List<String> offNominal = new ArrayList<>();
        List<Segment> segments = playlist.segments();
        for (int i = 0; i < segments.size(); i++) {
            double s = segments.get(i).seconds();
            boolean last = i == segments.size() - 1;
            if (!(s > 0) || !last && Math.abs(s - SEGMENT_SECONDS) > expect.toleranceSeconds()) {
                offNominal.add(segments.get(i).uri() + " " + seconds(s));
            }
        }
        expect(offNominal.isEmpty(), label + " #EXTINF", seconds(SEGMENT_SECONDS) + " ± " + seconds(expect.toleranceSeconds())
                + " except the last", offNominal.isEmpty() ? segments.size() + " segments" : String.join(", ", offNominal));
        duration(label + " duration (sum of #EXTINF)", playlist.seconds());
    }

    private boolean partsExist(String rung, Playlist playlist) {
        List<String> parts = new ArrayList<>();
        if (playlist.init() != null) {
            parts.add(playlist.init());
        }
        playlist.segments().forEach(segment -> parts.add(segment.uri()));
        List<String> missing = parts.stream().filter(part -> !Files.isRegularFile(hls.resolve(part))).toList();
        return expect(playlist.init() != null && !playlist.segments().isEmpty() && missing.isEmpty(),
                "hls/" + rung + ".m3u8 files", "the init segment and " + playlist.segments().size() + " segments in hls/",
                missing.isEmpty() ? parts.size() + " files" : "missing: " + String.join(", ", missing));
    }

    /** init + segments in one file, which ffprobe reads as the player would (verify.py does the same). */
    private Joined join(String rung, Playlist playlist) throws IOException {
        Path joined = scratch.resolve(rung + ".mp4");
        int n = playlist.segments().size();
        long[] offsets = new long[n], sizes = new long[n];
        try (OutputStream file = Files.newOutputStream(joined)) {
            long at = Files.copy(hls.resolve(playlist.init()), file);
            for (int i = 0; i < n; i++) {
                offsets[i] = at;
                sizes[i] = Files.copy(hls.resolve(playlist.segments().get(i).uri()), file);
                at += sizes[i];
            }
        }
        return new Joined(joined, offsets, sizes);
    }

    /** The first video packet stored in each segment (lowest byte position in it) is a keyframe. */
    private void segmentsStartWithKeyframes(String rung, Joined joined, List<Packet> packets) {
        List<String> wrong = new ArrayList<>();
        long[] offsets = joined.segmentOffsets();
        for (int i = 0; i < offsets.length; i++) {
            long from = offsets[i], to = from + joined.segmentSizes()[i];
            Optional<Packet> first = packets.stream().filter(p -> p.pos() >= from && p.pos() < to)
                    .min(Comparator.comparingLong(Packet::pos));
            String segment = String.format(Locale.ROOT, "segment_%05d.m4s", i);
            if (first.isEmpty()) {
                wrong.add(segment + " has no video packet");
            } else if (!first.get().key()) {
                wrong.add(segment + " starts with a non-key frame at " + seconds(first.get().pts()));
            }
        }
        expect(wrong.isEmpty(), "hls " + rung + " segment starts", "a keyframe first in every segment",
                wrong.isEmpty() ? offsets.length + " segments start with a keyframe" : String.join("; ", wrong));
    }

    // ---------------------------------------------------------------- any output: streams, size, duration

    /** The checks every output gets; null when ffprobe cannot read it or it has no video. */
    private Media media(String label, Path file) throws IOException {
        JsonNode probe;
        List<Packet> packets;
        try {
            Ffprobe.Probe read = Ffprobe.withPackets(file);
            probe = read.streamsAndFormat();
            packets = read.videoPackets();
        } catch (IOException e) {
            expect(false, label, "a file ffprobe reads", e.getMessage());
            return null;
        }
        List<JsonNode> videos = Ffprobe.streamsOfType(probe, "video");
        if (!expect(videos.size() == 1 && !packets.isEmpty(), label + " video", "one video stream with packets",
                videos.size() + " video streams, " + packets.size() + " packets")) {
            return null;
        }
        JsonNode video = videos.get(0);
        String codec = video.path("codec_name").asText() + " " + video.path("profile").asText() + " " + video.path("pix_fmt").asText();
        expect(codec.equals("h264 High yuv420p"), label + " video codec", "h264 High yuv420p", codec);
        int width = video.path("width").asInt(), height = video.path("height").asInt();
        dimensions(label, width, height, true);
        noRotation(label, video);
        audio(label, Ffprobe.streamsOfType(probe, "audio"));
        JsonNode duration = probe.path("format").path("duration");
        duration(label + " duration", duration.isMissingNode() ? -1 : duration.asDouble());
        keyframes.put(label, keyframeTimes(packets));
        return new Media(width, height, video.path("level").asInt(), packets);
    }

    /** At most the display size, its aspect ratio; video also even (4:2:0). */
    private void dimensions(String label, int width, int height, boolean even) {
        int displayWidth = expect.displayWidth(), displayHeight = expect.displayHeight();
        String size = width + "x" + height;
        if (even) {
            expect(width > 0 && height > 0 && width % 2 == 0 && height % 2 == 0, label + " size", "even dimensions", size + ", even");
        }
        expect(width <= displayWidth && height <= displayHeight, label + " size",
                "at most the source's " + displayWidth + "x" + displayHeight, size + ", at most " + displayWidth + "x" + displayHeight);
        double aspect = (double) width / height, sourceAspect = (double) displayWidth / displayHeight;
        expect(Math.abs(aspect - sourceAspect) <= sourceAspect * ASPECT_TOLERANCE, label + " aspect ratio",
                String.format(Locale.ROOT, "%.4f (the source's) ± 1.5%%", sourceAspect),
                String.format(Locale.ROOT, "%.4f (%s)", aspect, size));
    }

    private void noRotation(String label, JsonNode video) {
        List<String> left = new ArrayList<>();
        for (JsonNode sideData : video.path("side_data_list")) {
            if (sideData.has("rotation") || sideData.path("side_data_type").asText().equals("Display Matrix")) {
                left.add(sideData.path("side_data_type").asText("side data") + " (rotation " + sideData.path("rotation").asText("?") + ")");
            }
        }
        if (video.path("tags").has("rotate")) {
            left.add("tag rotate=" + video.path("tags").path("rotate").asText());
        }
        expect(left.isEmpty(), label + " rotation", "no display matrix nor rotate tag", left.isEmpty() ? "none" : String.join(", ", left));
    }

    private void audio(String label, List<JsonNode> audios) {
        String found = audios.isEmpty() ? "no audio stream" : audios.stream().map(a -> a.path("codec_name").asText() + " "
                + a.path("profile").asText() + " " + a.path("channels").asInt() + "ch").collect(Collectors.joining(", "));
        String wanted = expect.hasAudio() ? "aac LC 2ch" : "no audio stream";
        expect(found.equals(wanted), label + " audio", expect.hasAudio() ? "one aac LC 2ch stream" : "no audio stream (the source has none)",
                found);
    }

    private void duration(String label, double seconds) {
        expect(Math.abs(seconds - expect.durationSeconds()) <= expect.toleranceSeconds(), label,
                seconds(expect.durationSeconds()) + " (the source's) ± " + seconds(expect.toleranceSeconds()),
                seconds < 0 ? "none" : seconds(seconds));
    }

    /** Keyframe presentation times from the output's first frame (fMP4 rungs start at the audio or B-frame delay). */
    private static List<Double> keyframeTimes(List<Packet> packets) {
        double start = packets.stream().mapToDouble(Packet::pts).min().orElse(0);
        return packets.stream().filter(Packet::key).map(p -> p.pts() - start).sorted().toList();
    }

    // ---------------------------------------------------------------- MP4s

    private void mp4s() throws IOException {
        List<String> found;
        try (Stream<Path> files = Files.list(out)) {
            found = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".mp4"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted(BY_SHORT_SIDE).toList();
        }
        expect(found.equals(expect.mp4Rungs()), "progressive MP4s", expect.mp4Rungs().stream().map(r -> r + ".mp4").toList().toString(),
                found.stream().map(r -> r + ".mp4").toList().toString());
        for (String rung : found) {
            Path mp4 = out.resolve(rung + ".mp4");
            String label = "mp4 " + rung + ".mp4";
            faststart(label, mp4);
            Media media = media(label, mp4);
            Media hlsRung = rungMedia.get(rung);
            if (media != null && hlsRung != null) {
                expect(media.size().equals(hlsRung.size()), label + " size as its rung", hlsRung.size() + " (the " + rung + " rung's)", media.size());
            }
        }
    }

    private void faststart(String label, Path mp4) throws IOException {
        List<String> types = Mp4Boxes.topLevel(mp4).stream().map(Mp4Boxes.Box::type).toList();
        int moov = types.indexOf("moov"), mdat = types.indexOf("mdat");
        expect(moov >= 0 && mdat >= 0 && moov < mdat, label + " faststart", "moov before mdat at the top level",
                String.join(", ", types));
    }

    // ---------------------------------------------------------------- alignment across outputs

    private void keyframesAligned() {
        if (keyframes.isEmpty()) {
            return;
        }
        Map.Entry<String, List<Double>> reference = keyframes.entrySet().iterator().next();
        double tolerance = expect.keyframeTolerance();
        keyframes.forEach((label, times) -> {
            if (label.equals(reference.getKey())) {
                expect(!times.isEmpty() && times.get(0) < tolerance, label + " keyframes", "a keyframe first", times(times));
            } else {
                expect(same(times, reference.getValue(), tolerance), label + " keyframes",
                        "those of " + reference.getKey() + ": " + times(reference.getValue()), times(times));
            }
        });
    }

    private void segmentsAligned() {
        if (segmentSeconds.size() < 2) {
            return;
        }
        Map.Entry<String, List<Double>> reference = segmentSeconds.entrySet().iterator().next();
        segmentSeconds.forEach((rung, durations) -> {
            if (!rung.equals(reference.getKey())) {
                expect(same(durations, reference.getValue(), expect.keyframeTolerance()), "hls " + rung + " segment durations",
                        "those of " + reference.getKey() + ": " + times(reference.getValue()), times(durations));
            }
        });
    }

    private static boolean same(List<Double> a, List<Double> b, double tolerance) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (Math.abs(a.get(i) - b.get(i)) > tolerance) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- poster and storyboard

    private void poster() throws IOException {
        BufferedImage poster = jpeg("poster.jpg");
        if (poster == null) {
            return;
        }
        dimensions("poster.jpg", poster.getWidth(), poster.getHeight(), false);
        double luma = meanLuma(poster);
        expect(luma > MIN_POSTER_LUMA, "poster.jpg brightness", "a mean luma above " + (int) MIN_POSTER_LUMA + " (not black)",
                String.format(Locale.ROOT, "%.1f", luma));
    }

    /** The JPEG decoded by javax.imageio; null (and a failed check) when it is missing or does not decode. */
    private BufferedImage jpeg(String name) throws IOException {
        Path file = out.resolve(name);
        if (!exists(name, file)) {
            return null;
        }
        byte[] start = new byte[2];
        try (InputStream in = Files.newInputStream(file)) {
            in.readNBytes(start, 0, 2);
        }
        BufferedImage image = null;
        String problem = null;
        if ((start[0] & 0xFF) != 0xFF || (start[1] & 0xFF) != 0xD8) {
            problem = "no JPEG signature";
        } else {
            try {
                image = ImageIO.read(file.toFile());
            } catch (IOException e) {
                problem = e.getMessage();
            }
        }
        String found = image != null ? image.getWidth() + "x" + image.getHeight() + " JPEG" : problem != null ? problem : "nothing decoded";
        expect(image != null, name + " decodes", "a JPEG javax.imageio decodes", found);
        return image;
    }

    /** Mean Rec. 601 luma (0..255) over a grid of at most ~100x100 samples. */
    private static double meanLuma(BufferedImage image) {
        int stepX = Math.max(1, image.getWidth() / 100), stepY = Math.max(1, image.getHeight() / 100);
        double sum = 0;
        int n = 0;
        for (int y = 0; y < image.getHeight(); y += stepY) {
            for (int x = 0; x < image.getWidth(); x += stepX) {
                int rgb = image.getRGB(x, y);
                sum += 0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF);
                n++;
            }
        }
        return sum / n;
    }

    private record Cue(double start, double end, int x, int y, int width, int height) {
    }

    private void storyboard() throws IOException {
        BufferedImage sprite = jpeg("storyboard.jpg");
        Path vtt = out.resolve("storyboard.vtt");
        if (!exists("storyboard.vtt", vtt)) {
            return;
        }
        List<String> lines = Files.readAllLines(vtt).stream().map(String::strip).toList();
        expect(!lines.isEmpty() && lines.get(0).startsWith("WEBVTT"), "storyboard.vtt header", "WEBVTT",
                lines.isEmpty() ? "an empty file" : quote(lines.get(0)));
        List<Cue> cues = cues(lines);
        if (cues.isEmpty()) {
            return;
        }
        timeline(cues);
        if (sprite != null) {
            tilesInside(cues, sprite);
        }
    }

    /** Every cue of the file; a failed check names the lines that are not "timing" then "storyboard.jpg#xywh=…". */
    private List<Cue> cues(List<String> lines) {
        List<Cue> cues = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).contains("-->")) {
                continue;
            }
            Matcher timing = CUE_TIMING.matcher(lines.get(i));
            Matcher tile = CUE_TILE.matcher(i + 1 < lines.size() ? lines.get(i + 1) : "");
            if (timing.matches() && tile.matches()) {
                cues.add(new Cue(time(timing, 1), time(timing, 5), Integer.parseInt(tile.group(1)), Integer.parseInt(tile.group(2)),
                        Integer.parseInt(tile.group(3)), Integer.parseInt(tile.group(4))));
            } else {
                malformed.add("line " + (i + 1) + " " + quote(lines.get(i)) + (i + 1 < lines.size() ? " then " + quote(lines.get(i + 1)) : ""));
            }
        }
        expect(!cues.isEmpty() && malformed.isEmpty(), "storyboard.vtt cues",
                "'HH:MM:SS.mmm --> HH:MM:SS.mmm' then 'storyboard.jpg#xywh=x,y,w,h'",
                malformed.isEmpty() ? cues.size() + " cues" : String.join("; ", malformed));
        return cues;
    }

    private static double time(Matcher timing, int group) {
        return Integer.parseInt(timing.group(group)) * 3600 + Integer.parseInt(timing.group(group + 1)) * 60
                + Integer.parseInt(timing.group(group + 2)) + Integer.parseInt(timing.group(group + 3)) / 1000.0;
    }

    /** From 0, each cue starting where the previous one ends, to the duration. */
    private void timeline(List<Cue> cues) {
        List<String> holes = new ArrayList<>();
        double previousEnd = 0;
        for (int i = 0; i < cues.size(); i++) {
            Cue cue = cues.get(i);
            if (Math.abs(cue.start() - previousEnd) > KEYFRAME_TOLERANCE) {
                holes.add("cue " + (i + 1) + " starts at " + seconds(cue.start()) + ", expected " + seconds(previousEnd)
                        + (i == 0 ? "" : " (where cue " + i + " ends)"));
            }
            if (cue.end() <= cue.start()) {
                holes.add("cue " + (i + 1) + " ends at " + seconds(cue.end()) + ", not after its start " + seconds(cue.start()));
            }
            previousEnd = cue.end();
        }
        expect(holes.isEmpty(), "storyboard.vtt timeline", "cues from 0 s, each starting where the previous one ends",
                holes.isEmpty() ? cues.size() + " contiguous cues" : String.join("; ", holes));
        duration("storyboard.vtt end of the last cue", cues.get(cues.size() - 1).end());
    }

    private void tilesInside(List<Cue> cues, BufferedImage sprite) {
        List<String> outside = new ArrayList<>();
        for (int i = 0; i < cues.size(); i++) {
            Cue c = cues.get(i);
            if (c.width() <= 0 || c.height() <= 0 || c.x() + c.width() > sprite.getWidth() || c.y() + c.height() > sprite.getHeight()) {
                outside.add(String.format(Locale.ROOT, "cue %d xywh=%d,%d,%d,%d", i + 1, c.x(), c.y(), c.width(), c.height()));
            }
        }
        expect(outside.isEmpty(), "storyboard.vtt tiles", "rectangles inside the " + sprite.getWidth() + "x" + sprite.getHeight() + " sprite",
                outside.isEmpty() ? cues.size() + " inside" : String.join("; ", outside));
    }

    // ---------------------------------------------------------------- plumbing

    private boolean exists(String what, Path file) throws IOException {
        boolean exists = Files.isRegularFile(file);
        return expect(exists, what, "a file", exists ? Files.size(file) + " bytes" : "none");
    }

    private boolean expect(boolean ok, String what, String expected, String found) {
        if (ok) {
            passed.add(what + ": " + found);
        } else {
            failed.add(what + ": expected " + expected + ", found " + found);
        }
        return ok;
    }

    private interface Checks {
        void run() throws IOException;
    }

    /** Runs one group of checks; a file too malformed to go on with fails that group only. */
    private void section(String what, Checks checks) {
        try {
            checks.run();
        } catch (IOException | RuntimeException e) {
            expect(false, what, "files that can be read and parsed", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static final Comparator<String> BY_SHORT_SIDE = Comparator.<String>comparingInt(name -> {
        Matcher rung = RUNG_NAME.matcher(name);
        return rung.matches() ? Integer.parseInt(rung.group(1)) : Integer.MAX_VALUE;
    }).thenComparing(Comparator.naturalOrder());

    private static long positiveInteger(String value) {
        return value != null && value.matches("[1-9]\\d{0,15}") ? Long.parseLong(value) : -1;
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f s", s);
    }

    private static String times(List<Double> times) {
        String shown = times.stream().limit(12).map(t -> String.format(Locale.ROOT, "%.3f", t)).collect(Collectors.joining(", "));
        return "[" + shown + (times.size() > 12 ? ", …" : "") + "] s (" + times.size() + ")";
    }

    private static String quote(String text) {
        return text == null ? "none" : "'" + text + "'";
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
