package io.reel.transcode.encode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The display matrices phones and editors write, as FFmpeg's av_display_rotation_set/hflip would. */
class RotationTest {
    private static final int ONE = 1 << 16;

    /** av_display_rotation_set(angle counter-clockwise), 16.16 fixed point. */
    private static int[] rotation(double counterClockwiseDegrees) {
        double radians = Math.toRadians(counterClockwiseDegrees);
        int c = (int) Math.round(Math.cos(radians) * ONE);
        int s = (int) Math.round(Math.sin(radians) * ONE);
        return new int[] {c, -s, 0, s, c, 0, 0, 0, 1 << 30};
    }

    private static int[] hflipped(int[] m) {
        int[] f = m.clone();
        f[0] = -f[0];
        f[3] = -f[3];
        f[6] = -f[6];
        return f;
    }

    @Test
    void anUprightPhone_turnsClockwise_andSwapsSides() {
        // a phone held upright records landscape pixels with -90 (clockwise) in its matrix
        String filter = Rotation.filterFor(rotation(-90));
        assertThat(filter).isEqualTo("transpose=clock");
        assertThat(Rotation.swapsSides(filter)).isTrue();
        assertThat(Rotation.filterFor(rotation(90))).isEqualTo("transpose=cclock");
    }

    @Test
    void upsideDown_flipsBothWays_withoutSwapping() {
        String filter = Rotation.filterFor(rotation(180));
        assertThat(filter).isEqualTo("hflip,vflip");
        assertThat(Rotation.swapsSides(filter)).isFalse();
    }

    @Test
    void mirrorBits_areKept() {
        assertThat(Rotation.filterFor(hflipped(rotation(-90)))).endsWith("_flip");
        assertThat(Rotation.filterFor(hflipped(rotation(0)))).isEqualTo("hflip"); // a selfie camera's mirror
    }

    @Test
    void noMatrixOrIdentity_meansNoFilter() {
        assertThat(Rotation.filterFor((int[]) null)).isNull();
        assertThat(Rotation.filterFor(rotation(0))).isNull();
        assertThat(Rotation.swapsSides(null)).isFalse();
    }
}
