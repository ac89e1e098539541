package io.reel.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.reel.transcode.probe.Description;
import io.reel.transcode.probe.MediaProbe;
import io.reel.transcode.probe.ProbeLimits;
import io.reel.transcode.probe.ProbeResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated demo video is what the transcoder takes: H.264 720p at 30 fps with stereo AAC, ten seconds. */
class DemoVideoTest {

    @Test
    void write_makesA720pH264VideoWithStereoAac(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("demo.mp4");
        DemoVideo.write(file);

        ProbeResult result = new MediaProbe(ProbeLimits.defaults()).probe(file);
        assertThat(result).isInstanceOf(Description.class);
        Description video = (Description) result;
        assertThat(video.videoCodec()).isEqualTo("h264");
        assertThat(video.width()).isEqualTo(1280);
        assertThat(video.height()).isEqualTo(720);
        assertThat(video.pixelFormat()).isEqualTo("yuv420p");
        assertThat(video.baseFrameRate()).isEqualTo(30.0);
        assertThat(video.duration().toMillis()).isBetween(9_900L, 10_200L);
        assertThat(video.hasAudio()).isTrue();
        assertThat(video.audioCodec()).isEqualTo("aac");
        assertThat(video.audioChannels()).isEqualTo(2);
        assertThat(video.audioSampleRate()).isEqualTo(44_100);
        assertThat(video.sizeBytes()).as("small enough to keep nobody waiting").isLessThan(8L << 20);
    }

    @Test
    void timecode_countsFrames() {
        assertThat(DemoVideo.timecode(0)).isEqualTo("00:00:00:00");
        assertThat(DemoVideo.timecode(299)).isEqualTo("00:00:09:29");
    }
}
