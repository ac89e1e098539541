package io.reel.transcode.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.transcode.split.SplitPlan.Chunk;
import io.reel.transcode.split.SplitPlan.Mode;
import io.reel.transcode.split.SplitPlan.Settings;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitPlanTest {
    /** 6 s segments, one invocation up to 10 min, 60 s chunks, 5 min at most per chunk, 200 chunks at most. */
    private static final Settings SETTINGS = new Settings(6, 600, 60, 300, 200);

    @Test
    void aShortSource_isDoneInOneInvocation_asToday() throws Exception {
        assertThat(SplitPlan.plan(9.5, SETTINGS)).isEqualTo(new SplitPlan(Mode.SINGLE, List.of()));
        assertThat(SplitPlan.plan(600, SETTINGS).mode()).isEqualTo(Mode.SINGLE);
    }

    @Test
    void aLongerSource_isSplitIntoWholeSegments_theLastChunkEndingWhereTheVideoDoes() throws Exception {
        SplitPlan plan = SplitPlan.plan(1_234.5, SETTINGS);

        assertThat(plan.mode()).isEqualTo(Mode.SPLIT);
        assertThat(plan.chunks()).hasSize(21).first().isEqualTo(new Chunk(0, 0, 60, 0, 10));
        assertThat(plan.chunks().get(1)).isEqualTo(new Chunk(1, 60, 120, 10, 10));
        // 1,234.5 s is 205.75 segments: 206, the last of them ending with the video.
        assertThat(plan.chunks().getLast()).isEqualTo(new Chunk(20, 1_200, 1_234.5, 200, 6));
        assertInvariants(1_234.5, SETTINGS, plan);
    }

    @Test
    void aSourceThatWouldNeedTooManyChunks_getsLongerOnes_upToWhatOneInvocationFinishes() throws Exception {
        // Two hours in 60 s chunks is 120; with at most 100, chunks grow to 12 segments (72 s).
        Settings fewer = new Settings(6, 600, 60, 300, 100);
        SplitPlan plan = SplitPlan.plan(7_200, fewer);

        assertThat(plan.chunks()).hasSize(100).allSatisfy(c -> assertThat(c.segments()).isEqualTo(12));
        assertInvariants(7_200, fewer, plan);
    }

    @Test
    void aSourceLongerThanEveryChunkCanCarry_isRefusedWithASentence() {
        // 200 chunks of 5 min: 16 h 40 min at most.
        assertThatThrownBy(() -> SplitPlan.plan(17 * 3_600, SETTINGS))
                .isInstanceOf(SplitPlan.TooLongException.class)
                .hasMessage("The video is too long to process: it lasts 17 h 00 min, and the longest this platform "
                        + "processes is 16 h 40 min.");
        assertThat(SplitPlan.hours(61)).isEqualTo("2 min");
    }

    @Test
    void aDurationThatIsNotAPositiveNumber_isAProgrammingError_notAPlan() {
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> SplitPlan.plan(bad, SETTINGS)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("positive number of seconds");
        }
    }

    @Test
    void settingsThatCannotMakeAPlan_areRefused() {
        assertThatThrownBy(() -> new Settings(6, 600, 5, 300, 200)).hasMessageContaining("at least one segment");
        assertThatThrownBy(() -> new Settings(6, 600, 60, 30, 200)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settings(6, 600, 60, 300, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settings(0, 600, 60, 300, 200)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settings(6, Double.NaN, 60, 300, 200)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyPlan_coversTheSourceOnce_inWholeSegments_withinItsBounds() {
        SplittableRandom random = new SplittableRandom(16);
        int split = 0;
        for (int i = 0; i < 20_000; i++) {
            int segment = 1 + random.nextInt(10);
            double chunk = segment * (1 + random.nextInt(30)) + random.nextDouble() * segment;
            Settings settings = new Settings(segment, random.nextDouble() * 900, chunk, chunk * (1 + random.nextInt(8)),
                    2 + random.nextInt(500));
            double duration = random.nextBoolean() ? 0.001 + random.nextDouble() * 20_000 : 1 + random.nextInt(20_000);
            SplitPlan plan;
            try {
                plan = SplitPlan.plan(duration, settings);
            } catch (SplitPlan.TooLongException e) {
                double most = settings.maxChunks() * Math.floor(settings.maxChunkSeconds() / segment) * segment;
                assertThat(duration).as("refused though %s fits in %s", duration, most).isGreaterThan(most);
                continue;
            }
            if (plan.mode() == Mode.SINGLE) {
                assertThat(duration).isLessThanOrEqualTo(settings.singleUpTo());
                assertThat(plan.chunks()).isEmpty();
                continue;
            }
            split++;
            assertInvariants(duration, settings, plan);
        }
        assertThat(split).as("the loop exercised the split path").isGreaterThan(5_000);
    }

    private static void assertInvariants(double duration, Settings settings, SplitPlan plan) {
        List<Chunk> chunks = plan.chunks();
        int segment = settings.segmentSeconds();
        assertThat(chunks).isNotEmpty().hasSizeLessThanOrEqualTo(settings.maxChunks());
        assertThat(chunks.getFirst().startSeconds()).isZero();
        assertThat(chunks.getLast().endSeconds()).isEqualTo(duration);
        int nextSegment = 0;
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            assertThat(c.index()).isEqualTo(i);
            assertThat(c.firstSegment()).isEqualTo(nextSegment);
            assertThat(c.startSeconds()).isEqualTo((double) c.firstSegment() * segment);
            assertThat(c.endSeconds()).isGreaterThan(c.startSeconds())
                    .isLessThanOrEqualTo(c.startSeconds() + (double) c.segments() * segment);
            assertThat(c.endSeconds() - c.startSeconds()).isLessThanOrEqualTo(settings.maxChunkSeconds());
            if (i > 0) {
                assertThat(c.startSeconds()).isEqualTo(chunks.get(i - 1).endSeconds());
            }
            nextSegment += c.segments();
        }
        assertThat(nextSegment).as("segments in all").isEqualTo((int) Math.ceil(duration / segment - 1e-9));
    }
}
