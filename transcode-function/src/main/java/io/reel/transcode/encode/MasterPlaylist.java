package io.reel.transcode.encode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@code hls/master.m3u8} from what the muxers actually produced (RFC 8216 §4.3.4.2): {@code BANDWIDTH} is the
 * peak bit rate of any whole segment, {@code AVERAGE-BANDWIDTH} all bits over the whole duration, {@code CODECS} is
 * read from the encoded stream's own parameters (the {@code avcC} box of the init segment), so a player never picks
 * a rung it cannot decode; plus {@code RESOLUTION} and {@code FRAME-RATE}.
 */
public final class MasterPlaylist {
    static final String NAME = "master.m3u8";
    /** FFmpeg's AAC encoder writes AAC-LC. */
    static final String AAC_LC = "mp4a.40.2";

    /** Facts of one media playlist's files. */
    public record Variant(String playlist, long peakBitsPerSecond, long averageBitsPerSecond, String videoCodec) {
    }

    private MasterPlaylist() {
    }

    static void write(Path hlsFolder, List<LadderPlan.Output> rungs, boolean audio, double frameRate) throws IOException {
        List<Variant> variants = new ArrayList<>();
        for (LadderPlan.Output rung : rungs) {
            variants.add(measure(hlsFolder, rung.name() + ".m3u8"));
        }
        write(hlsFolder, rungs, variants, audio, frameRate);
    }

    /** As above, from variants measured where their segments were written (the split path's stitch tasks). */
    static void write(Path hlsFolder, List<LadderPlan.Output> rungs, List<Variant> variants, boolean audio, double frameRate)
            throws IOException {
        StringBuilder master = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (int i = 0; i < rungs.size(); i++) {
            LadderPlan.Output rung = rungs.get(i);
            Variant variant = variants.get(i);
            String codecs = audio ? variant.videoCodec() + "," + AAC_LC : variant.videoCodec();
            master.append(String.format(Locale.ROOT,
                    "#EXT-X-STREAM-INF:BANDWIDTH=%d,AVERAGE-BANDWIDTH=%d,CODECS=\"%s\",RESOLUTION=%dx%d,FRAME-RATE=%.3f%n%s%n",
                    variant.peakBitsPerSecond(), variant.averageBitsPerSecond(), codecs, rung.width(), rung.height(),
                    frameRate, variant.playlist()));
        }
        Files.writeString(hlsFolder.resolve(NAME), master.toString(), StandardCharsets.UTF_8);
    }

    /**
     * Corrects the last {@code #EXTINF} of a media playlist when the muxer under-reported it: FFmpeg's HLS muxer (its
     * command line too) gives the last segment of a variable-frame-rate source the length of one source frame gap
     * instead of its own, so the playlist says the video is shorter than it is and players end it early. The last
     * segment runs to the end of the video, so it is the video's length less the segments before it; a playlist
     * within one frame of that is left alone.
     *
     * @return whether the playlist was rewritten
     */
    static boolean correctLastSegment(Path playlistFile, double videoSeconds, double frameSeconds) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(playlistFile, StandardCharsets.UTF_8));
        int last = -1;
        double before = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("#EXTINF:")) {
                if (last >= 0) {
                    before += extinf(lines.get(last));
                }
                last = i;
            }
        }
        if (last < 0) {
            return false;
        }
        double reported = extinf(lines.get(last));
        double actual = videoSeconds - before;
        if (actual - reported <= frameSeconds) {
            return false;
        }
        lines.set(last, String.format(Locale.ROOT, "#EXTINF:%.6f,", actual));
        Files.writeString(playlistFile, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return true;
    }

    private static double extinf(String line) {
        int comma = line.indexOf(',');
        return Double.parseDouble(line.substring(8, comma < 0 ? line.length() : comma));
    }

    /** Reads one media playlist and sizes its segments. */
    static Variant measure(Path hlsFolder, String playlist) throws IOException {
        double extinf = 0;
        double seconds = 0;
        long bytes = 0;
        String init = null;
        List<double[]> segments = new ArrayList<>(); // {bytes, seconds}
        for (String line : Files.readAllLines(hlsFolder.resolve(playlist), StandardCharsets.UTF_8)) {
            if (line.startsWith("#EXTINF:")) {
                int comma = line.indexOf(',');
                extinf = Double.parseDouble(line.substring(8, comma < 0 ? line.length() : comma));
            } else if (line.startsWith("#EXT-X-MAP:URI=\"")) {
                init = line.substring(16, line.indexOf('"', 16));
            } else if (!line.isBlank() && !line.startsWith("#")) {
                long size = Files.size(hlsFolder.resolve(line));
                segments.add(new double[] {size, extinf});
                bytes += size;
                seconds += extinf;
            }
        }
        if (init == null || segments.isEmpty()) {
            throw new IOException("The muxer wrote no init segment or no segments into " + playlist);
        }
        // The muxer under-reports the last EXTINF of variable-frame-rate sources (the command line too): peak over the
        // whole segments only, unless there is just one.
        double peak = 0;
        for (int i = 0; i < segments.size(); i++) {
            boolean lastOfMany = i == segments.size() - 1 && segments.size() > 1;
            double[] segment = segments.get(i);
            if (!lastOfMany && segment[1] > 0) {
                peak = Math.max(peak, segment[0] * 8 / segment[1]);
            }
        }
        double average = bytes * 8 / Math.max(seconds, 1e-3);
        peak = Math.max(peak, average);
        return new Variant(playlist, (long) Math.ceil(peak), (long) Math.ceil(average),
                avc1(Files.readAllBytes(hlsFolder.resolve(init))));
    }

    /** {@code avc1.PPCCLL} (RFC 6381) from the first {@code avcC} box: profile, constraint flags, level. */
    static String avc1(byte[] mp4) throws IOException {
        for (int i = 0; i + 8 < mp4.length; i++) {
            if (mp4[i] == 'a' && mp4[i + 1] == 'v' && mp4[i + 2] == 'c' && mp4[i + 3] == 'C' && mp4[i + 4] == 1) {
                return String.format(Locale.ROOT, "avc1.%02x%02x%02x", mp4[i + 5] & 0xFF, mp4[i + 6] & 0xFF, mp4[i + 7] & 0xFF);
            }
        }
        throw new IOException("The init segment has no avcC box");
    }
}
