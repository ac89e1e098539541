package io.reel.e2e;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** Signing in and out, as a viewer does it, with every way it can go wrong shown as a sentence. */
@ExtendWith(BrowserExtension.class)
class SignInIT {

    @Test
    void wrongPassword_showsTheErrorAndStaysOnSignIn(Web web) {
        web.expectHttpErrors(401);
        Page page = web.page();
        page.navigate("/");
        assertThat(page).hasURL(web.platform().url("/signin"));
        page.getByLabel("Username").fill("viewer");
        page.getByLabel("Password").fill("not-the-password");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).hasText("The username or password is wrong. Check both and try again.");
        assertThat(page.getByLabel("Password")).isEmpty();
        web.screenshot(page, "signin-wrong-password");
    }

    @Test
    void signIn_showsTheDemoVideosPosterInTheGrid(Web web) {
        Page page = web.signIn("viewer");
        Locator card = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Welcome to Reel"));
        assertThat(card).isVisible();
        Locator poster = card.locator("img");
        assertThat(poster).isVisible();
        poster.evaluate("img => img.decode()");
        assertThat(((Number) poster.evaluate("img => img.naturalWidth")).intValue()).as("the poster image loaded").isGreaterThan(0);
        web.screenshot(page, "catalogue");
    }

    @Test
    void unreachableServer_saysSo(Web web) {
        web.expectNetworkFailures();
        Page page = web.page();
        page.navigate("/signin");
        page.route("**/api/auth/login", route -> route.abort("connectionrefused"));
        page.getByLabel("Username").fill("viewer");
        page.getByLabel("Password").fill("whatever-it-is");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).hasText("Reel's server can't be reached. Check your connection and try again.");
    }

    @Test
    void signOut_returnsToSignIn_andTheSessionIsGone(Web web) {
        Page page = web.signIn("viewer");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Your account: viewer")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out").setExact(true)).click();
        assertThat(page).hasURL(web.platform().url("/signin"));
        assertThat(page.getByRole(AriaRole.STATUS).first()).hasText("You are signed out.");
        page.reload();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Sign in to Reel"))).isVisible();
    }
}
