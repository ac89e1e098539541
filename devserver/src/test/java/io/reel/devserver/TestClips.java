package io.reel.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small real videos for the platform tests, made by Debian's ffmpeg (an independent encoder). */
final class TestClips {
    private TestClips() {
    }

    /** A 640×360, 30 fps H.264/AAC MP4 test card of {@code seconds}, written to {@code out}. */
    static void testCard(Path out, int seconds) throws Exception {
        Process process = new ProcessBuilder(List.of("nice", "-n", "10", "/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error",
                "-y", "-threads", "1", "-f", "lavfi", "-i", "testsrc2=r=30:s=640x360:d=" + seconds, "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=44100:d=" + seconds, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
                "yuv420p", "-c:a", "aac", "-shortest", out.toString())).inheritIO().start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg finished").isTrue();
        assertThat(process.exitValue()).as("ffmpeg (apt-get install ffmpeg) made the test video").isZero();
    }
}
