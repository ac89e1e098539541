package io.reel.transcode.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LadderPlanTest {

    private static List<String> sizes(List<LadderPlan.Output> outputs) {
        return outputs.stream().map(o -> o.name() + " " + o.width() + "x" + o.height() + " " + o.videoKbps()).toList();
    }

    @Test
    void a1080pSource_getsApplesFiveRungs_andMp4sAtTheMiddleAndTop() {
        LadderPlan plan = LadderPlan.plan(1920, 1080, 30);
        assertThat(sizes(plan.hls())).containsExactly("234p 416x234 145", "360p 640x360 365", "540p 960x540 2000",
                "720p 1280x720 3000", "1080p 1920x1080 6000");
        assertThat(sizes(plan.mp4())).containsExactly("540p 960x540 2000", "1080p 1920x1080 6000");
        assertThat(plan.frameRate()).isEqualTo(30);
    }

    @Test
    void portraitAndSquare_keepTheirShape_theShortSideNamingTheRung() {
        assertThat(sizes(LadderPlan.plan(1080, 1920, 30).hls())).containsExactly("234p 234x416 145", "360p 360x640 365",
                "540p 540x960 2000", "720p 720x1280 3000", "1080p 1080x1920 6000");
        assertThat(sizes(LadderPlan.plan(720, 720, 30).hls())).containsExactly("234p 234x234 145", "360p 360x360 365",
                "540p 540x540 2000", "720p 720x720 3000");
    }

    @Test
    void neverUpscales_andKeepsDimensionsEven() {
        LadderPlan odd = LadderPlan.plan(853, 479, 25);
        // 360 × 853/479 = 641.1: the nearest even width, 642, keeps the aspect closest
        assertThat(sizes(odd.hls())).containsExactly("234p 416x234 145", "360p 642x360 365");
        assertThat(odd.hls()).allSatisfy(o -> {
            assertThat(o.width() % 2).isZero();
            assertThat(o.height() % 2).isZero();
            assertThat(o.height()).isLessThanOrEqualTo(479);
        });
        // 1079 lines must not get a 1080 rung
        assertThat(LadderPlan.plan(1918, 1079, 30).top().name()).isEqualTo("720p");
    }

    @Test
    void aWideSource_keepsItsAspect_cappedAtItsOwnWidth() {
        assertThat(sizes(LadderPlan.plan(2560, 1080, 24).hls())).last().isEqualTo("1080p 2560x1080 6000");
        assertThat(sizes(LadderPlan.plan(2560, 1080, 24).hls())).first().isEqualTo("234p 554x234 145");
    }

    @Test
    void aTinySource_getsOneRungAtItsOwnSize_andOneMp4() {
        LadderPlan plan = LadderPlan.plan(320, 180, 30);
        assertThat(sizes(plan.hls())).containsExactly("180p 320x180 145");
        assertThat(plan.mp4()).containsExactly(plan.top());
        assertThat(sizes(LadderPlan.plan(3, 3, 30).hls())).containsExactly("2p 2x2 145");
    }

    @ParameterizedTest
    @CsvSource({"30, 30", "29.97, 29.97", "60, 60", "120, 60", "240, 60", "90, 45", "50, 50", "0, 30", "-1, 30", "90000, 30", "NaN, 30"})
    void frameRate_isKeptUpTo60_andDividedDownAbove(double source, double expected) {
        assertThat(LadderPlan.outputRate(source)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void noPicture_isRefused() {
        assertThatThrownBy(() -> LadderPlan.plan(0, 1080, 30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LadderPlan.plan(Double.NaN, 1080, 30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LadderPlan.Output("x", 3, 2, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void x264Threads_followEachOutputsShareOfThePixels() {
        LadderPlan plan = LadderPlan.plan(1920, 1080, 30);
        // Only the HLS rungs are encoded; the MP4s are remuxed from them.
        long total = plan.hls().stream().mapToLong(o -> (long) o.width() * o.height()).sum();
        // two cores: one thread each, whatever the size
        assertThat(plan.hls()).allSatisfy(o -> assertThat(OutputRecorders.x264Threads(o, total, 2)).isEqualTo(1));
        // Lambda's six vCPUs: the 1080p rung, over half the pixels, gets three, the small ones still one
        assertThat(OutputRecorders.x264Threads(plan.top(), total, 6)).isEqualTo(3);
        assertThat(OutputRecorders.x264Threads(plan.hls().getFirst(), total, 6)).isEqualTo(1);
    }
}
