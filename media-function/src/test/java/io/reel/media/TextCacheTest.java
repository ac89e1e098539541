package io.reel.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TextCacheTest {

    @Test
    void keepsTextsUntilTheirTimeIsUp() throws Exception {
        var cache = new MediaObjects.TextCache(1000, Duration.ofMillis(50));
        cache.put("videos/a/hls/master.m3u8", "#EXTM3U");
        assertThat(cache.get("videos/a/hls/master.m3u8")).isEqualTo("#EXTM3U");
        Thread.sleep(80);
        assertThat(cache.get("videos/a/hls/master.m3u8")).as("expired").isNull();
    }

    @Test
    void dropsTheLeastRecentlyUsed_toStayWithinItsSize() {
        var cache = new MediaObjects.TextCache(100, Duration.ofMinutes(1));
        cache.put("a", "x".repeat(20));
        cache.put("b", "x".repeat(20));
        cache.get("a");
        for (int i = 0; i < 4; i++) {
            cache.put("c" + i, "x".repeat(20));
        }
        assertThat(cache.get("a")).as("recently used").isNotNull();
        assertThat(cache.get("b")).as("least recently used").isNull();
        cache.put("huge", "x".repeat(60));
        assertThat(cache.get("huge")).as("over a quarter of the cache: not kept").isNull();
        assertThat(cache.get("a")).isNotNull();
    }
}
