package io.reel.e2e;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What happens when time runs out, against a platform where it runs out in seconds: signed playback links that
 * expire mid-play, and a session revoked elsewhere.
 */
@ExtendWith(BrowserExtension.class)
@BrowserExtension.ShortLived
class ShortLivedIT {

    @Test
    void expiredLinks_midPlay_areRenewed_andPlaybackContinuesWhereItWas(Web web) {
        // The page meets the expiry as a 403 on a playlist and on segments; the browser logs those lines.
        web.expectHttpErrors(403);
        List<Response> playbacks = new CopyOnWriteArrayList<>();
        java.util.Set<String> playlists = java.util.concurrent.ConcurrentHashMap.newKeySet();
        web.page().onResponse(response -> {
            if (response.url().endsWith("/playback")) {
                playbacks.add(response);
            }
            String path = response.url().replaceAll("\\?.*", "");
            if (path.endsWith("p.m3u8")) {
                playlists.add(path.substring(path.lastIndexOf('/') + 1).replace(".m3u8", ""));
            }
        });
        PlayerProbe player = PlaybackIT.watchDemo(web);
        Page page = web.page();
        assertThat(player.engine()).isEqualTo("hls.js");
        player.setPlaybackRate(0.4); // 10 s of video last 25 s: longer than the links (16 s)
        player.play();
        player.awaitTimeAtLeast(0.5, 15_000);
        Instant expiresAt = Instant.parse(Json.read(playbacks.get(0).text()).path("expiresAt").asText());
        while (Instant.now().isBefore(expiresAt.plusSeconds(1))) {
            Platform.sleep(250);
        }
        double before = player.currentTime();
        assertThat(player.paused()).as("still playing when the links expire").isFalse();

        // A rung whose playlist was never loaded: hls.js must fetch it (and its segments) with the expired signatures.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(java.util.regex.Pattern.compile("quality",
                java.util.regex.Pattern.CASE_INSENSITIVE))).click();
        String unseen = java.util.stream.Stream.of("234p", "540p", "360p", "720p").filter(r -> !playlists.contains(r)).findFirst()
                .orElseThrow(() -> new AssertionError("hls.js loaded every rung before the links expired: " + playlists));
        page.locator("media-rendition-menu").getByRole(AriaRole.MENUITEMRADIO,
                new Locator.GetByRoleOptions().setName(unseen).setExact(true)).click();

        page.waitForCondition(() -> playbacks.size() >= 2, new Page.WaitForConditionOptions().setTimeout(15_000));
        player.awaitTimeAtLeast(before + 1, 20_000);
        assertThat(player.currentTime()).as("continued from where it was, not from the start").isGreaterThan(before);
        assertThat(player.mediaError()).isZero();
        assertThat((Number) page.evaluate("document.querySelector('media-controller [slot=media]').playbackRate"))
                .as("the viewer's speed kept").isEqualTo(0.4);
        assertThat(page.locator(".player-stage + .form-error, [role=alert]").allInnerTexts())
                .as("no error shown to the viewer").allMatch(String::isBlank);
    }

    @Test
    void revokedSession_returnsToSignIn_withAMessage(Web web) {
        String viewer = web.platform().newAccount("revoked", "viewer");
        Page page = web.signIn(web.page(), viewer, web.platform().password(viewer));
        // Elsewhere, the account signs out everywhere: this browser's refresh token is revoked.
        String token = web.platform().signIn(viewer);
        assertThat(web.platform().call("POST", "/auth/logout-all", token, null).status()).isEqualTo(204);
        web.expectHttpErrors(401);
        // The page refreshes its 20-second access token after 5 s, is refused, and says why.
        assertThat(page).hasURL(web.platform().url("/signin"), new com.microsoft.playwright.assertions.PageAssertions.HasURLOptions()
                .setTimeout(30_000));
        assertThat(page.getByRole(AriaRole.STATUS).first()).hasText("Your session has ended. Sign in again to carry on.");
    }
}
