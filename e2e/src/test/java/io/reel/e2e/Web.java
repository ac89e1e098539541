package io.reel.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * One test's browser: a fresh context (no cookies, no storage) on the shared Chromium, every page's console watched.
 * A test fails if any page logs an error: a script error, a CSP refusal, a failed load — except the browser's own line
 * for an HTTP error status the test says it provokes ({@link #expectHttpErrors}).
 */
public final class Web {
    private static final Pattern HTTP_STATUS = Pattern.compile("Failed to load resource: the server responded with a status of (\\d{3})");
    static final double DESKTOP_WIDTH = 1280;

    private final Platform platform;
    private final BrowserContext context;
    private final Page page;
    private final List<String> errors = new ArrayList<>();
    private final Set<Integer> expectedStatuses = new HashSet<>();
    private boolean expectNetworkFailures;
    private final Path screenshots;

    Web(Platform platform, Browser browser, Path screenshots) {
        this.platform = platform;
        this.screenshots = screenshots;
        this.context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800).setBaseURL(platform.base().toString()));
        this.context.setDefaultTimeout(15_000);
        this.context.onPage(this::watch);
        this.page = context.newPage();
    }

    private void watch(Page watched) {
        watched.onConsoleMessage(message -> {
            if (message.type().equals("error")) {
                synchronized (errors) {
                    errors.add(watched.url() + ": " + message.text());
                }
            }
        });
        watched.onPageError(error -> {
            synchronized (errors) {
                errors.add(watched.url() + ": uncaught " + error);
            }
        });
    }

    public Platform platform() {
        return platform;
    }

    public Page page() {
        return page;
    }

    public BrowserContext context() {
        return context;
    }

    /** Another tab of the same browser (same cookies). */
    public Page newTab() {
        return context.newPage();
    }

    /** The browser logs "Failed to load resource … status of N" for these: the test provokes them on purpose. */
    public void expectHttpErrors(int... statuses) {
        for (int status : statuses) {
            expectedStatuses.add(status);
        }
    }

    /** The test cuts connections on purpose: the browser's "Failed to load resource: net::…" lines are expected. */
    public void expectNetworkFailures() {
        expectNetworkFailures = true;
    }

    /** Signs in on the page as a person would and waits for the catalogue. */
    public Page signIn(String username) {
        return signIn(page, username, platform.password(username));
    }

    public Page signIn(Page on, String username, String password) {
        on.navigate("/signin");
        on.getByLabel("Username").fill(username);
        on.getByLabel("Password").fill(password);
        on.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(on.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Browse").setLevel(1))).isVisible();
        return on;
    }

    /** Saves a screenshot under target/screenshots/ (the issue asks for one of every page). */
    public void screenshot(Page of, String name) {
        of.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve(name + ".png")).setFullPage(true));
    }

    /** Every console error no test expected, in the order they came. */
    List<String> unexpectedErrors() {
        synchronized (errors) {
            return errors.stream().filter(text -> {
                Matcher status = HTTP_STATUS.matcher(text);
                if (status.find() && expectedStatuses.contains(Integer.parseInt(status.group(1)))) {
                    return false;
                }
                return !(expectNetworkFailures && text.contains("Failed to load resource: net::"));
            }).toList();
        }
    }

    void close() {
        context.close();
    }
}
