package io.reel.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Files for the upload journeys, made with the apt ffmpeg (CI installs it) as an uploader's camera would make them. */
final class Clips {
    private Clips() {
    }

    /** A short H.264/AAC MP4 (test pattern, a tone): small enough for a single PUT. */
    static Path smallVideo(Path folder, String name, int seconds) {
        return ffmpeg(folder.resolve(name), List.of("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", Integer.toString(seconds),
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k",
                "-movflags", "+faststart"));
    }

    /** A video of noise at a high bitrate, over 5 MiB in a few seconds: sent in several parts. */
    static Path largeVideo(Path folder, String name) {
        // Noise does not compress: ~7 MB for 2 s of 480x270, two parts of 5 MiB.
        Path file = ffmpeg(folder.resolve(name), List.of("-f", "lavfi", "-i", "testsrc2=size=480x270:rate=25",
                "-t", "2", "-vf", "noise=alls=40:allf=t", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "14",
                "-pix_fmt", "yuv420p"));
        try {
            assertThat(Files.size(file)).as("the large clip must need more than one part").isGreaterThan(6L * 1024 * 1024);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    /** Starts like an MP4 (so the page cannot tell) but is not one: only the server can refuse it. */
    static Path brokenVideo(Path folder) throws IOException {
        byte[] header = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
        byte[] junk = new byte[64 * 1024];
        new java.util.Random(7).nextBytes(junk);
        Path file = folder.resolve("broken.mp4");
        Files.write(file, concat(header, junk));
        return file;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static Path ffmpeg(Path out, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(arguments);
        command.add(out.toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg failed: " + output);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("ffmpeg is needed to make test clips (apt-get install ffmpeg): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
