package io.reel.transcode.encode;

import io.reel.transcode.LadderEncoding;
import io.reel.transcode.RejectedInputException;
import io.reel.transcode.probe.Description;
import io.reel.transcode.probe.MediaProbe;
import io.reel.transcode.probe.Natives;
import io.reel.transcode.probe.ProbeLimits;
import io.reel.transcode.probe.ProbeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Probes and encodes one local file into a folder, exactly as the function does but without AWS: for developers
 * trying an awkward file, and the subject of {@code bench/transcode-ladder.sh}.
 *
 * <pre>java -cp … io.reel.transcode.encode.EncodeCommand SOURCE OUT_DIR [--preset=veryfast] [--deadline=PT14M30S] [--split=120]</pre>
 *
 * {@code --split=SECONDS} encodes through the split path instead (issue #16, {@link LocalSplit}): chunks of that many
 * seconds one after another, the audio, each rung's stitch; each step's CPU and wall seconds are printed
 * ({@code bench/transcode-split.sh}).
 *
 * Exit status 0 with the outputs written, 2 when the file is refused (the uploader's sentence on stderr), 1 on a
 * failure of ours. {@code EncodeCommand --bundled-ffmpeg} prints the path of the {@code ffmpeg} program that ships in
 * the same natives jar (the same FFmpeg and x264 builds), which the benchmark compares against.
 */
public final class EncodeCommand {

    private EncodeCommand() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--bundled-ffmpeg")) {
            Natives.prepare();
            System.out.println(org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
            return;
        }
        if (args.length < 2) {
            System.err.println("usage: EncodeCommand SOURCE OUT_DIR [--preset=veryfast] [--deadline=PT14M30S]");
            System.exit(64);
        }
        Natives.prepare();
        System.setProperty("java.awt.headless", "true");
        Path source = Path.of(args[0]);
        Path out = Path.of(args[1]);
        FfmpegLadderEncoder.Settings settings = FfmpegLadderEncoder.Settings.defaults();
        Duration budget = Duration.ofMinutes(14).plusSeconds(30);
        int splitSeconds = 0;
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("--preset=")) {
                settings = new FfmpegLadderEncoder.Settings(args[i].substring(9), settings.segmentSeconds(), settings.gopSeconds(),
                        settings.audioKbps());
            } else if (args[i].startsWith("--split=")) {
                splitSeconds = Integer.parseInt(args[i].substring(8));
                budget = Duration.ofHours(24);
            } else if (args[i].startsWith("--deadline=")) {
                budget = Duration.parse(args[i].substring(11));
            } else {
                System.err.println("unknown option " + args[i]);
                System.exit(64);
            }
        }
        long started = System.nanoTime();
        ProbeResult result = new MediaProbe(ProbeLimits.defaults()).probe(source);
        if (!(result instanceof Description description)) {
            System.err.println("refused: " + result);
            System.exit(2);
            return;
        }
        Files.createDirectories(out);
        if (splitSeconds > 0) {
            Path work = Files.createTempDirectory("reel-split-");
            LocalSplit.Result split = LocalSplit.run(new FfmpegLadderEncoder(settings), settings, source, description,
                    splitSeconds * 1_000_000L, work, out, Instant.now().plus(budget));
            for (LocalSplit.Cost cost : split.costs()) {
                System.out.printf(java.util.Locale.ROOT, "step %-28s cpu %8.2f s  wall %8.2f s%n", cost.step(), cost.cpuSeconds(),
                        cost.wallSeconds());
            }
            System.out.printf(java.util.Locale.ROOT, "split %s into %d chunks in %.2f s%n", source.getFileName(), split.chunks().size(),
                    (System.nanoTime() - started) / 1e9);
            return;
        }
        try {
            LadderEncoding.Encoded encoded = new FfmpegLadderEncoder(settings).encode(source, description, out, Instant.now().plus(budget));
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(java.util.Locale.ROOT, "encoded %s in %.2f s (%.2fx realtime): %s%n", source.getFileName(), seconds,
                    description.duration().toNanos() / 1e9 / seconds, encoded);
        } catch (RejectedInputException e) {
            System.err.println("refused: " + e.reason());
            System.exit(2);
        }
    }
}
