package io.reel.e2e;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

/** What the player is doing, read from the page as a test would ask the media element and hls.js. */
final class PlayerProbe {
    private static final String MEDIA = "document.querySelector('media-controller [slot=media]')";
    private final Page page;

    PlayerProbe(Page page) {
        this.page = page;
        page.locator("media-controller").waitFor();
    }

    Locator controller() {
        return page.locator("media-controller");
    }

    String engine() {
        return controller().getAttribute("data-engine");
    }

    /** Plays once the player has its source (it mounts in steps; a load would interrupt an earlier play()). */
    void play() {
        Await.until(page, MEDIA + ".readyState >= 1");
        page.evaluate(MEDIA + ".play()");
    }

    void pause() {
        page.evaluate(MEDIA + ".pause()");
    }

    double currentTime() {
        return ((Number) page.evaluate(MEDIA + ".currentTime")).doubleValue();
    }

    /** The media element's duration in seconds (NaN before the metadata). */
    double duration() {
        return ((Number) page.evaluate(MEDIA + ".duration")).doubleValue();
    }

    boolean paused() {
        return (Boolean) page.evaluate(MEDIA + ".paused");
    }

    int framesDecoded() {
        return ((Number) page.evaluate(MEDIA + ".getVideoPlaybackQuality().totalVideoFrames")).intValue();
    }

    /** The media element's error code, or 0. */
    int mediaError() {
        return ((Number) page.evaluate("(" + MEDIA + ".error || {code: 0}).code")).intValue();
    }

    /** Whether hls.js (not the browser's own HLS) is playing, with its levels loaded. */
    boolean hlsJsActive() {
        return (Boolean) page.evaluate("(() => { const m = " + MEDIA + "; return !!(m.api && m.api.media && m.api.levels && m.api.levels.length > 0); })()");
    }

    /** The height of the level hls.js loads fragments from, or -1. */
    int loadingLevelHeight() {
        return ((Number) page.evaluate("(() => { const m = " + MEDIA + "; const l = m.api && m.api.levels[m.api.loadLevel]; "
                + "return l ? l.height : -1; })()")).intValue();
    }

    /** Whether hls.js chooses the rung itself (Auto). */
    boolean autoLevel() {
        return (Boolean) page.evaluate("(() => { const m = " + MEDIA + "; return !!(m.api && m.api.autoLevelEnabled); })()");
    }

    /** The height of the frames on screen. */
    int videoHeight() {
        return ((Number) page.evaluate(MEDIA + ".videoHeight")).intValue();
    }

    void awaitTimeAtLeast(double seconds, double timeoutMs) {
        Await.until(page, MEDIA + ".currentTime >= " + seconds, timeoutMs);
    }

    void setPlaybackRate(double rate) {
        page.evaluate(MEDIA + ".playbackRate = " + rate);
    }

    void seek(double seconds) {
        page.evaluate(MEDIA + ".currentTime = " + seconds);
    }
}
