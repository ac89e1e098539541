package io.reel.transcode.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ffprobe command line from the distribution ({@code /usr/bin/ffprobe}), as a client independent of the JavaCV
 * FFmpeg the encoder runs in-process: what the ladder tests trust to read the outputs.
 */
final class Ffprobe {

    static final Path FFPROBE = Path.of("/usr/bin/ffprobe");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Ffprobe() {
    }

    /** Fails at once, saying what to install, when there is no ffprobe command line. */
    static void requireInstalled() {
        requireInstalled(FFPROBE);
    }

    static void requireInstalled(Path ffprobe) {
        if (!Files.isExecutable(ffprobe)) {
            throw new IllegalStateException("The ladder checks read the encoder's outputs with the ffprobe command line, and "
                    + ffprobe + " is missing: install it (Debian/Ubuntu: apt-get install ffmpeg) and run the tests again.");
        }
    }

    /** One video packet, in the order the demuxer returns them (decode order). */
    record Packet(double pts, boolean key, long pos) {
    }

    /**
     * What the ladder is made from.
     *
     * @param displayWidth  width as shown: sample aspect ratio applied, then the display matrix's rotation
     * @param displayHeight height as shown
     * @param frameRate     {@code r_frame_rate}, the rate the timestamps fit on (also right for VFR)
     */
    record Source(int displayWidth, int displayHeight, double durationSeconds, boolean hasAudio, double frameRate) {
    }

    /** {@code -show_streams -show_format} of the file. */
    static JsonNode streamsAndFormat(Path file) throws IOException {
        return run(file, "-show_streams", "-show_format");
    }

    /**
     * {@code -show_streams -show_format} and every packet of the first video stream that has a presentation time, in
     * demux order (decode order), from one ffprobe run.
     */
    record Probe(JsonNode streamsAndFormat, List<Packet> videoPackets) {
    }

    static Probe withPackets(Path file) throws IOException {
        JsonNode all = run(file, "-show_streams", "-show_format", "-show_entries", "packet=stream_index,pts_time,flags,pos");
        JsonNode video = firstVideo(all);
        int index = video == null ? -1 : video.path("index").asInt();
        List<Packet> packets = new ArrayList<>();
        for (JsonNode packet : all.path("packets")) {
            if (packet.path("stream_index").asInt() == index && packet.hasNonNull("pts_time")
                    && !packet.path("pts_time").asText().equals("N/A")) {
                packets.add(new Packet(packet.path("pts_time").asDouble(), packet.path("flags").asText().startsWith("K"),
                        packet.path("pos").asLong(-1)));
            }
        }
        return new Probe(all, packets);
    }

    /** "pts_time,size,flags" of every packet of one stream ({@code v:0}, {@code a:0}) in demux order. */
    static List<String> packets(Path file, String stream) throws IOException {
        Process ffprobe = new ProcessBuilder(FFPROBE.toString(), "-v", "error", "-select_streams", stream,
                "-show_entries", "packet=pts_time,size,flags", "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
        // A packet's side data (AAC's skip samples) comes as an empty line of its own.
        List<String> lines = new String(ffprobe.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                .filter(line -> !line.isBlank()).toList();
        try {
            if (ffprobe.waitFor() != 0) {
                throw new IOException("ffprobe of " + file.getFileName() + " failed: " + lines);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return lines;
    }

    /** The source's facts as ffprobe reads them. */
    static Source source(Path file) throws IOException {
        JsonNode probe = streamsAndFormat(file);
        JsonNode video = firstVideo(probe);
        if (video == null) {
            throw new IOException("ffprobe found no video stream in " + file);
        }
        double width = video.path("width").asInt() * sampleAspectRatio(video);
        double height = video.path("height").asInt();
        boolean turned = Math.abs(rotation(video)) % 180 == 90;
        return new Source((int) Math.round(turned ? height : width), (int) Math.round(turned ? width : height),
                duration(probe, video), hasStream(probe, "audio"), rate(video.path("r_frame_rate").asText()));
    }

    static JsonNode firstVideo(JsonNode probe) {
        for (JsonNode stream : probe.path("streams")) {
            if (stream.path("codec_type").asText().equals("video")
                    && stream.path("disposition").path("attached_pic").asInt() == 0) {
                return stream;
            }
        }
        return null;
    }

    static List<JsonNode> streamsOfType(JsonNode probe, String type) {
        List<JsonNode> streams = new ArrayList<>();
        probe.path("streams").forEach(stream -> {
            if (stream.path("codec_type").asText().equals(type)) {
                streams.add(stream);
            }
        });
        return streams;
    }

    private static boolean hasStream(JsonNode probe, String type) {
        return !streamsOfType(probe, type).isEmpty();
    }

    /** Degrees from the display matrix side data, else the legacy {@code rotate} tag; 0 without either. */
    private static int rotation(JsonNode video) {
        for (JsonNode sideData : video.path("side_data_list")) {
            if (sideData.has("rotation")) {
                return sideData.path("rotation").asInt();
            }
        }
        return video.path("tags").path("rotate").asInt(0);
    }

    private static double sampleAspectRatio(JsonNode video) {
        String[] sar = video.path("sample_aspect_ratio").asText("1:1").split(":");
        if (sar.length == 2) {
            double num = Double.parseDouble(sar[0]), den = Double.parseDouble(sar[1]);
            if (num > 0 && den > 0) {
                return num / den;
            }
        }
        return 1;
    }

    private static double duration(JsonNode probe, JsonNode video) throws IOException {
        for (JsonNode node : List.of(probe.path("format"), video)) {
            if (node.hasNonNull("duration")) {
                return node.path("duration").asDouble();
            }
        }
        throw new IOException("ffprobe gives no duration for the source: give the checks an explicit one");
    }

    /** "30000/1001" as a number; 0 when it is not a ratio of positive numbers. */
    static double rate(String ratio) {
        String[] parts = ratio.split("/");
        if (parts.length != 2) {
            return 0;
        }
        try {
            double num = Double.parseDouble(parts[0]), den = Double.parseDouble(parts[1]);
            return num > 0 && den > 0 ? num / den : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static JsonNode run(Path file, String... options) throws IOException {
        requireInstalled();
        List<String> command = new ArrayList<>(List.of("nice", "-n", "10", FFPROBE.toString(), "-v", "error"));
        command.addAll(List.of(options));
        command.addAll(List.of("-of", "json", file.toString()));
        Path out = Files.createTempFile("ffprobe-", ".json");
        Path errors = Files.createTempFile("ffprobe-", ".log");
        try {
            Process ffprobe = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(errors.toFile()).start();
            if (!ffprobe.waitFor(2, TimeUnit.MINUTES)) {
                ffprobe.destroyForcibly();
                throw new IOException("ffprobe took over 2 minutes: " + String.join(" ", command));
            }
            if (ffprobe.exitValue() != 0) {
                throw new IOException("ffprobe could not read " + file.getFileName() + " (exit " + ffprobe.exitValue() + "): "
                        + Files.readString(errors).strip());
            }
            return JSON.readTree(out.toFile());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted: " + String.join(" ", command), e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(errors);
        }
    }
}
