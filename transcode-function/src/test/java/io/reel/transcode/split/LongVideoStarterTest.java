package io.reel.transcode.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import io.reel.transcode.probe.Description;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The execution a long video starts: its name, and an input the state machine and its tasks read back. */
class LongVideoStarterTest {
    private static final Description DESCRIPTION = new Description("MP4 (brand isom)", Duration.ofMinutes(25), false, "h264",
            1920, 1080, 0, 1920, 1080, 30, 30, false, "yuv420p", true, "aac", 2, 48000, 8_000_000, 1_500_000_000L);

    @Test
    void theName_isTheVideoAndTheAttempt_withinStepFunctionsLimit() {
        assertThat(LongVideoStarter.executionName("5nl4u3m5ccgsav3fjcjninlfqi", 2)).isEqualTo("5nl4u3m5ccgsav3fjcjninlfqi-2");
        assertThat(LongVideoStarter.executionName("a".repeat(100), 1)).hasSize(80).endsWith("-1");
    }

    @Test
    void theInput_carriesTheJobAndTheChunks_andReadsBackAsTheTasksRead() throws Exception {
        SplitPlan plan = SplitPlan.plan(1500, new SplitPlan.Settings(6, 480, 120, 300, 200));
        SplitJob job = new SplitJob("vid1", "9b2cf535", "uploads", "uploads/vid1/source", "mov,mp4,m4a,3gp,3g2,mj2",
                SplitJob.workPrefix("vid1", 1), plan.chunks().size(), DESCRIPTION);
        JsonNode input = Json.mapper().readTree(Json.write(LongVideoStarter.input(job, plan.chunks())));
        assertThat(input.path("chunks")).hasSize(13);
        assertThat(input.path("chunks").get(12).path("startSeconds").asDouble()).isEqualTo(1440);
        assertThat(input.path("chunks").get(12).path("endSeconds").asDouble()).isEqualTo(1500);
        SplitJob back = Json.mapper().treeToValue(input.path("job"), SplitJob.class);
        assertThat(back).isEqualTo(job);
        assertThat(back.chunkKey(3, "720p.mp4")).isEqualTo("work/vid1/1/chunk-00003/720p.mp4");
    }

    @Test
    void aJob_refusesAWorkPrefixOutsideItsVideosFolder() {
        assertThatThrownBy(() -> new SplitJob("vid1", "e", "b", "k", "mov", "videos/vid1/", 1, DESCRIPTION))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SplitJob("vid1", "e", "b", "k", "mov", "work/../x/1/", 1, DESCRIPTION))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SplitJob("vid1", "e", "b", "k", "mov", SplitJob.workPrefix("vid2", 1), 1, DESCRIPTION))
                .as("another video's folder").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SplitJob("vid1", "e", "b", "k", "mov", SplitJob.workPrefix("vid1", 1), 0, DESCRIPTION))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
