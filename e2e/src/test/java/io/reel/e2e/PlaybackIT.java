package io.reel.e2e;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Watching the demo video: hls.js, the quality menu, the storyboard, resume, the keyboard, and MP4 without MSE. */
@ExtendWith(BrowserExtension.class)
class PlaybackIT {

    /** Signs a fresh viewer in (so no other test's resume position applies) and opens the demo video. */
    static PlayerProbe watchDemo(Web web) {
        String viewer = web.platform().newAccount("watcher", "viewer");
        Page page = web.signIn(web.page(), viewer, web.platform().password(viewer));
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Welcome to Reel")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Welcome to Reel").setLevel(1))).isVisible();
        return new PlayerProbe(page);
    }

    @Test
    void hls_playsThroughHlsJs_andDecodesFrames(Web web) {
        PlayerProbe player = watchDemo(web);
        assertThat(player.engine()).isEqualTo("hls.js");
        web.page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("play")).first().click();
        player.awaitTimeAtLeast(2, 15_000);
        assertThat(player.framesDecoded()).as("frames decoded").isGreaterThan(10);
        assertThat(player.mediaError()).as("media error").isZero();
        assertThat(player.hlsJsActive()).as("hls.js is attached and has the ladder").isTrue();
        web.screenshot(web.page(), "watch");
    }

    @Test
    void qualityMenu_listsTheRungs_andAManualChoiceTakesEffect(Web web) {
        PlayerProbe player = watchDemo(web);
        Page page = web.page();
        player.play();
        player.awaitTimeAtLeast(0.5, 15_000);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("quality", Pattern.CASE_INSENSITIVE))).click();
        Locator menu = page.locator("media-rendition-menu");
        assertThat(menu).isVisible();
        for (String rung : new String[] {"720p", "540p", "360p", "234p"}) {
            assertThat(menu.getByRole(AriaRole.MENUITEMRADIO, new Locator.GetByRoleOptions().setName(rung).setExact(true))).isVisible();
        }
        // Auto, checked, saying which rung it chose.
        Locator auto = menu.getByRole(AriaRole.MENUITEMRADIO, new Locator.GetByRoleOptions().setName(Pattern.compile("^Auto")));
        assertThat(auto).isVisible();
        assertThat(auto).hasAttribute("aria-checked", "true");
        Locator lowest = menu.getByRole(AriaRole.MENUITEMRADIO, new Locator.GetByRoleOptions().setName("234p").setExact(true));
        lowest.click();
        Await.until(page, "document.querySelector('media-controller [slot=media]').videoHeight === 234", 15_000);
        assertThat(player.autoLevel()).as("a manual choice turns Auto off").isFalse();
        assertThat(player.loadingLevelHeight()).as("hls.js loads the chosen rung").isEqualTo(234);
        assertThat(player.mediaError()).isZero();
    }

    @Test
    void storyboard_previewAppearsOnHover(Web web) {
        PlayerProbe player = watchDemo(web);
        Page page = web.page();
        Locator timeline = page.locator("media-time-range");
        timeline.waitFor();
        Await.until(page, "document.querySelector('media-controller [slot=media]').textTracks[0]?.cues?.length > 0");
        var box = timeline.boundingBox();
        page.mouse().move(box.x + box.width * 0.6, box.y + box.height / 2);
        page.mouse().move(box.x + box.width * 0.61, box.y + box.height / 2);
        assertThat(timeline).hasAttribute("mediapreviewimage", Pattern.compile("storyboard\\.jpg"));
        Locator thumbnail = timeline.locator("media-preview-thumbnail");
        assertThat(thumbnail).isVisible();
        assertThat(thumbnail).hasAttribute("mediapreviewcoords", Pattern.compile("^\\d+ \\d+ 160 \\d+$"));
        web.screenshot(page, "watch-storyboard-preview");
        assertThat(player.mediaError()).isZero();
    }

    @Test
    void resume_offersTheSavedPositionAfterAReload(Web web) {
        PlayerProbe player = watchDemo(web);
        Page page = web.page();
        player.play();
        player.awaitTimeAtLeast(4, 20_000);
        var saved = page.waitForResponse(r -> r.url().endsWith("/progress") && r.request().method().equals("PUT"), player::pause);
        assertThat(saved.status()).isEqualTo(204);
        double pausedAt = player.currentTime();

        page.reload();
        PlayerProbe again = new PlayerProbe(page);
        Locator offer = page.locator(".resume");
        assertThat(offer).containsText("Resuming at 0:0" + (int) pausedAt);
        Await.until(page, "document.querySelector('media-controller [slot=media]').readyState >= 1");
        // hls.js moves to its start position once the first fragment is in.
        Await.until(page, "document.querySelector('media-controller [slot=media]').currentTime > 0");
        assertThat(again.currentTime()).isCloseTo(pausedAt, within(0.6));
        offer.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Start from the beginning")).click();
        assertThat(again.currentTime()).isLessThan(0.5);
    }

    @Test
    void keyboard_shortcutsControlThePlayer(Web web) {
        PlayerProbe player = watchDemo(web);
        Page page = web.page();
        Await.until(page, "document.querySelector('media-controller [slot=media]').readyState >= 2");
        page.locator("body").click(new Locator.ClickOptions().setPosition(2, 2)); // focus on the page, not a field
        page.keyboard().press("k");
        player.awaitTimeAtLeast(0.5, 10_000);
        page.keyboard().press("k");
        Await.until(page, "document.querySelector('media-controller [slot=media]').paused");
        player.seek(3);
        page.keyboard().press("l");
        Await.until(page, "document.querySelector('media-controller [slot=media]').currentTime > 9");
        page.keyboard().press("j");
        Await.until(page, "document.querySelector('media-controller [slot=media]').currentTime < 1");
        page.keyboard().press("m");
        Await.until(page, "document.querySelector('media-controller [slot=media]').muted");
        page.keyboard().press("Shift+?");
        Locator help = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Keyboard shortcuts"));
        assertThat(help).isVisible();
        assertThat(help).containsText("Play or pause");
        web.screenshot(page, "watch-shortcuts");
        page.keyboard().press("Escape");
        assertThat(help).isHidden();
    }

    @Test
    void mp4_playsWhenTheBrowserHasNoMediaSource(Web web) {
        BrowserContext context = web.context();
        // A browser without Media Source Extensions or native HLS (some TVs, old embedded browsers).
        context.addInitScript("""
                delete window.MediaSource; delete window.ManagedMediaSource; delete window.WebKitMediaSource;
                const canPlay = HTMLMediaElement.prototype.canPlayType;
                HTMLMediaElement.prototype.canPlayType = function (type) {
                  return /mpegurl/i.test(type) ? '' : canPlay.call(this, type);
                };""");
        PlayerProbe player = watchDemo(web);
        assertThat(player.engine()).isEqualTo("mp4");
        assertThat((String) web.page().evaluate("document.querySelector('media-controller [slot=media]').currentSrc"))
                .contains(".mp4?");
        player.play();
        player.awaitTimeAtLeast(2, 15_000);
        assertThat(player.framesDecoded()).isGreaterThan(10);
        assertThat(player.mediaError()).isZero();
    }
}
