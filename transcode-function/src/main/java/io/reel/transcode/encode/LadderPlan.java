package io.reel.transcode.encode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which outputs a source gets, decided from its display size and frame rate alone.
 *
 * <p>The rungs are a subset of Apple's HLS authoring ladder (234p 145 kb/s … 1080p 6,000 kb/s), where "234p" names
 * the <em>short</em> side: a portrait or square source gets portrait or square rungs of the same aspect ratio. A rung
 * taller than the source is dropped (never upscale); a source smaller than the lowest rung gets one rung at its own
 * size. Dimensions are even (H.264 4:2:0 needs it). The progressive MP4s are the middle and the top rung.
 *
 * @param hls       the HLS rungs, lowest first
 * @param mp4       the progressive MP4s, lowest first (one when the ladder has one rung)
 * @param frameRate the output frame rate: the source's, divided down to at most 60 (120 → 60, 90 → 45)
 */
public record LadderPlan(List<Output> hls, List<Output> mp4, double frameRate) {

    /** One encoded output at one size and bit rate; {@code name} is {@code {shortSide}p}. */
    public record Output(String name, int width, int height, int videoKbps) {
        public Output {
            if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
                throw new IllegalArgumentException("Output sizes are positive and even: " + width + "x" + height);
            }
        }
    }

    /** A rung of Apple's ladder: the short side of the picture and its video bit rate. */
    record Rung(int shortSide, int videoKbps) {
    }

    static final List<Rung> LADDER = List.of(
            new Rung(234, 145), new Rung(360, 365), new Rung(540, 2000), new Rung(720, 3000), new Rung(1080, 6000));
    public static final double MAX_FRAME_RATE = 60;
    /** When FFmpeg cannot tell the rate, or tells nonsense (some VFR files say 90000). */
    static final double FALLBACK_FRAME_RATE = 30;

    public LadderPlan {
        hls = List.copyOf(hls);
        mp4 = List.copyOf(mp4);
        if (hls.isEmpty()) {
            throw new IllegalArgumentException("A ladder has at least one rung");
        }
    }

    /**
     * @param displayWidth  the picture's width as shown (rotation and pixel aspect applied)
     * @param displayHeight likewise
     * @param sourceRate    the source's base frame rate, frames per second
     */
    public static LadderPlan plan(double displayWidth, double displayHeight, double sourceRate) {
        if (!(displayWidth >= 2) || !(displayHeight >= 2)) {
            throw new IllegalArgumentException("No picture to encode: " + displayWidth + "x" + displayHeight);
        }
        int fullWidth = evenDown(displayWidth);
        int fullHeight = evenDown(displayHeight);
        boolean landscape = displayWidth >= displayHeight;
        double longPerShort = landscape ? displayWidth / displayHeight : displayHeight / displayWidth;
        int shortSide = Math.min(fullWidth, fullHeight);
        int longSide = Math.max(fullWidth, fullHeight);
        List<Output> hls = new ArrayList<>();
        for (Rung rung : LADDER) {
            if (rung.shortSide() > shortSide) {
                continue;
            }
            int s = rung.shortSide();
            int l = Math.min(evenNearest(s * longPerShort), longSide);
            hls.add(new Output(s + "p", landscape ? l : s, landscape ? s : l, rung.videoKbps()));
        }
        if (hls.isEmpty()) {
            hls.add(new Output(shortSide + "p", fullWidth, fullHeight, LADDER.getFirst().videoKbps()));
        }
        Output middle = hls.get((hls.size() - 1) / 2);
        Output top = hls.getLast();
        List<Output> mp4 = middle == top ? List.of(top) : List.of(middle, top);
        return new LadderPlan(hls, mp4, outputRate(sourceRate));
    }

    /** The source's rate divided by the smallest whole number that brings it to 60 or below. */
    static double outputRate(double sourceRate) {
        if (!(sourceRate > 0) || sourceRate > 1000) {
            return FALLBACK_FRAME_RATE;
        }
        return sourceRate > MAX_FRAME_RATE ? sourceRate / Math.ceil(sourceRate / MAX_FRAME_RATE - 1e-9) : sourceRate;
    }

    public Output top() {
        return hls.getLast();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%.3f fps;", frameRate));
        hls.forEach(o -> s.append(String.format(Locale.ROOT, " hls %s %dx%d %d kb/s;", o.name(), o.width(), o.height(), o.videoKbps())));
        mp4.forEach(o -> s.append(String.format(Locale.ROOT, " mp4 %s;", o.name())));
        return s.toString();
    }

    static int evenDown(double v) {
        return Math.max(2, (int) Math.floor(v / 2.0 + 1e-9) * 2);
    }

    static int evenNearest(double v) {
        return Math.max(2, (int) Math.round(v / 2.0) * 2);
    }
}
