package io.reel.e2e;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The session across tabs: refreshes that race, signing out everywhere. */
@ExtendWith(BrowserExtension.class)
class SessionIT {

    /** Every answer to POST /auth/refresh these pages get, in one list. */
    private static List<Response> refreshes(Page... pages) {
        List<Response> seen = new CopyOnWriteArrayList<>();
        for (Page page : pages) {
            page.onResponse(response -> {
                if (response.url().endsWith("/api/auth/refresh")) {
                    seen.add(response);
                }
            });
        }
        return seen;
    }

    private static void reloadBothAtOnce(Page first, Page second, List<Response> seen) {
        int before = seen.size();
        // Both reloads are due at the same moment: each page's first act is a refresh with the shared cookie.
        String reloadSoon = "setTimeout(() => location.reload(), 100)";
        first.evaluate(reloadSoon);
        second.evaluate(reloadSoon);
        first.waitForCondition(() -> seen.size() >= before + 2, new Page.WaitForConditionOptions().setTimeout(15_000));
        for (Page page : List.of(first, second)) {
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Browse"))).isVisible();
        }
    }

    private static void assertStillSignedIn(Page page, String username) {
        page.reload();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Browse"))).isVisible();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Your account: " + username))).isVisible();
    }

    /** Another tab of the signed-in browser, on the catalogue (signed in by the refresh cookie alone). */
    private static Page secondTab(Web web) {
        Page second = web.newTab();
        second.navigate("/");
        assertThat(second.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Browse"))).isVisible();
        return second;
    }

    @Test
    void twoTabs_refreshingAtOnce_bothStaySignedIn(Web web) {
        String viewer = web.platform().newAccount("tabs", "viewer");
        Page first = web.signIn(web.page(), viewer, web.platform().password(viewer));
        Page second = secondTab(web);
        List<Response> seen = refreshes(first, second);

        for (int round = 0; round < 3; round++) {
            reloadBothAtOnce(first, second, seen);
        }
        assertThat(seen).hasSizeGreaterThanOrEqualTo(6).allSatisfy(r -> assertThat(r.status()).as(r.url()).isEqualTo(200));
        assertStillSignedIn(first, viewer);
        assertStillSignedIn(second, viewer);
    }

    @Test
    void twoTabs_withoutWebLocks_theServersGraceKeepsBothSignedIn(Web web) {
        // A browser without Web Locks: the two refreshes really race with one cookie, and the server's grace decides.
        web.context().addInitScript("Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined });");
        String viewer = web.platform().newAccount("nolocks", "viewer");
        Page first = web.signIn(web.page(), viewer, web.platform().password(viewer));
        Page second = secondTab(web);
        assertThat((Boolean) first.evaluate("navigator.locks === undefined")).isTrue();
        List<Response> seen = refreshes(first, second);

        reloadBothAtOnce(first, second, seen);
        assertThat(seen).hasSize(2).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertStillSignedIn(first, viewer);
        assertStillSignedIn(second, viewer);
    }

    @Test
    void signOutEverywhere_endsEveryTabsSession(Web web) {
        String viewer = web.platform().newAccount("everywhere", "viewer");
        Page first = web.signIn(web.page(), viewer, web.platform().password(viewer));
        Page second = secondTab(web);

        first.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Your account: " + viewer)).click();
        web.screenshot(first, "account");
        first.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out everywhere")).click();
        assertThat(first).hasURL(web.platform().url("/signin"));
        assertThat(first.getByRole(AriaRole.STATUS).first()).hasText("You are signed out on every device and browser.");
        second.reload();
        assertThat(second.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Sign in to Reel"))).isVisible();
        assertThat(web.platform().signIn(viewer)).as("the account itself still works").isNotBlank();
    }
}
