package io.reel.e2e;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** Accounts: who may reach the page, and what an administrator does there. */
@ExtendWith(BrowserExtension.class)
class AdminIT {

    private static Page accountsPage(Web web) {
        Page page = web.signIn("admin");
        page.getByRole(AriaRole.NAVIGATION).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Accounts")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Accounts").setLevel(1))).isVisible();
        return page;
    }

    @Test
    void aViewer_cannotReachAdmin(Web web) {
        Page page = web.signIn("viewer");
        assertThat(page.getByRole(AriaRole.NAVIGATION).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Accounts")))
                .hasCount(0);
        page.navigate("/admin");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Not available to your account"))).isVisible();
        assertThat(page.locator("table")).hasCount(0);
        web.screenshot(page, "admin-not-available");
    }

    @Test
    void anAdmin_createsAUser_whoCanThenSignIn(Web web) {
        Page page = accountsPage(web);
        String username = "newcomer" + UUID.randomUUID().toString().substring(0, 6);
        String password = "a long new password " + UUID.randomUUID();
        page.getByLabel("Username").fill(username);
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(password);
        page.getByRole(AriaRole.CHECKBOX, new Page.GetByRoleOptions().setName("uploader")).check();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create account")).click();
        Locator row = page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText(username));
        assertThat(row).containsText("uploader, viewer");
        assertThat(row).containsText("Active");
        web.screenshot(page, "admin");

        Page other = web.context().browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setBaseURL(web.platform().base().toString())).newPage();
        try {
            web.signIn(other, username, password);
            assertThat(other.getByRole(AriaRole.NAVIGATION).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Upload")))
                    .isVisible();
        } finally {
            other.context().close();
        }
    }

    @Test
    void refusals_areShownAsTheApiWordsThem(Web web) {
        web.expectHttpErrors(400, 409);
        Page page = accountsPage(web);
        page.getByLabel("Username").fill("shortpw" + UUID.randomUUID().toString().substring(0, 6));
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill("short");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create account")).click();
        Locator alert = page.locator(".create-account").getByRole(AriaRole.ALERT);
        assertThat(alert).containsText("12");
        assertThat(alert).not().containsText("{");

        page.getByLabel("Username").fill("viewer");
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill("another long password 123");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create account")).click();
        assertThat(alert).hasText("That username is taken.");
    }

    @Test
    void disableEnableAndResetPassword(Web web) {
        String user = web.platform().newAccount("managed", "viewer");
        Page page = accountsPage(web);
        Locator row = page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText(user));
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Disable " + user)).click();
        assertThat(row).containsText("Disabled");
        web.expectHttpErrors(401);
        assertThat(web.platform().call("POST", "/auth/login", null,
                java.util.Map.of("username", user, "password", web.platform().password(user))).status()).isEqualTo(401);

        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Enable " + user)).click();
        assertThat(row).containsText("Active");
        String fresh = "reset to something long " + UUID.randomUUID();
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Reset password for " + user)).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        dialog.getByLabel("New password").fill(fresh);
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Set password")).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("was changed");
        assertThat(web.platform().signIn(user, fresh)).isNotBlank();
    }
}
