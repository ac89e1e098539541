package io.reel.transcode.encode;

import io.reel.transcode.RejectedInputException;
import io.reel.transcode.probe.Description;
import io.reel.transcode.probe.SafeOpen;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * The split path's steps (issue #16) run one after another in this process on a local file, with the folders a
 * state machine's tasks would pass through S3: each chunk into {@code work/chunk-N/}, the audio, then every rung's
 * stitch, the master playlist, the poster and the storyboard into {@code out/}. For {@code SplitStitchIT}, which holds
 * it against the one-invocation encode, and {@code bench/transcode-split.sh} ({@link EncodeCommand}{@code --split}),
 * which measures what splitting costs; the production tasks are {@code SplitTasks}.
 */
public final class LocalSplit {
    /** What one step cost: CPU seconds of this process while it ran, and wall seconds. */
    public record Cost(String step, double cpuSeconds, double wallSeconds) {
    }

    /** The chunks' results, and every step's cost in order (chunks, audio, each rung's stitch, the rest). */
    public record Result(List<FfmpegLadderEncoder.ChunkEncoded> chunks, List<Cost> costs) {
    }

    private LocalSplit() {
    }

    /**
     * @param chunkMicros the chunk length, a whole number of segments
     */
    public static Result run(FfmpegLadderEncoder encoder, FfmpegLadderEncoder.Settings settings, Path source, Description probe,
                             long chunkMicros, Path work, Path out, Instant deadline) throws IOException, RejectedInputException {
        if (chunkMicros <= 0 || chunkMicros % (settings.segmentSeconds() * 1_000_000L) != 0) {
            throw new IllegalArgumentException("Chunks are whole segments: " + chunkMicros + " us");
        }
        List<Cost> costs = new ArrayList<>();
        List<FfmpegLadderEncoder.ChunkEncoded> chunks = new ArrayList<>();
        long durationMicros = probe.duration().toNanos() / 1000;
        for (long start = 0; start < durationMicros; start += chunkMicros) {
            long end = start + chunkMicros >= durationMicros ? Long.MAX_VALUE : start + chunkMicros;
            Path folder = Files.createDirectories(work.resolve("chunk-" + chunks.size()));
            Meter meter = new Meter();
            chunks.add(encoder.encodeChunk(() -> SafeOpen.grabber(source), source.getFileName().toString(), probe,
                    new FfmpegLadderEncoder.Span(start, end), folder, deadline, percent -> { }));
            costs.add(meter.cost("chunk " + (chunks.size() - 1)));
        }
        Path audio = work.resolve("audio.mp4");
        Meter audioMeter = new Meter();
        boolean hasAudio = encoder.encodeAudio(() -> SafeOpen.grabber(source), audio, deadline);
        costs.add(audioMeter.cost("audio"));

        FfmpegLadderEncoder.ChunkEncoded first = chunks.getFirst();
        List<MasterPlaylist.Variant> variants = new ArrayList<>();
        for (LadderPlan.Output rung : first.rungs()) {
            Meter meter = new Meter();
            List<RungStitch.Part> parts = new ArrayList<>();
            for (int i = 0; i < chunks.size(); i++) {
                parts.add(RungStitch.Part.file(work.resolve("chunk-" + i).resolve(rung.name() + ".mp4"), chunks.get(i).firstSlot()));
            }
            variants.add(RungStitch.stitch(settings, rung, first.frameRate(), parts, hasAudio ? audio : null, out.resolve("hls"),
                    durationMicros / 1e6, first.mp4().contains(rung) ? out.resolve(rung.name() + ".mp4") : null));
            costs.add(meter.cost("stitch " + rung.name()));
        }
        Meter rest = new Meter();
        StitchOutputs.master(out, first.rungs(), variants, hasAudio, first.frameRate());
        int best = -1;
        TreeMap<Integer, BufferedImage> tiles = new TreeMap<>();
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i).posterScore() >= 0 && (best < 0 || chunks.get(i).posterScore() > chunks.get(best).posterScore())) {
                best = i;
            }
            for (int tile : chunks.get(i).tiles()) {
                tiles.put(tile, ImageIO.read(work.resolve("chunk-" + i).resolve("tiles").resolve(tile + ".png").toFile()));
            }
        }
        if (best >= 0) {
            Files.copy(work.resolve("chunk-" + best).resolve("poster.jpg"), out.resolve("poster.jpg"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        StitchOutputs.storyboard(out, tiles, durationMicros, first.rungs().getLast(), first.frameRate());
        costs.add(rest.cost("master, poster, storyboard"));
        return new Result(chunks, costs);
    }

    /** This process's CPU time and the wall clock since it was made. */
    private static final class Meter {
        private final long cpu = processCpuNanos();
        private final long wall = System.nanoTime();

        Cost cost(String step) {
            return new Cost(step, (processCpuNanos() - cpu) / 1e9, (System.nanoTime() - wall) / 1e9);
        }

        static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }
    }
}
