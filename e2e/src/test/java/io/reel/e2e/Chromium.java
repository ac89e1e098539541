package io.reel.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Debian's Chromium ({@code /usr/bin/chromium}, headless) driven by Playwright, one per test JVM. Nothing here
 * downloads a browser: without Chromium the tests are skipped with a message, and in CI ({@code CI} set) they fail.
 */
final class Chromium implements ExtensionContext.Store.CloseableResource {
    private static final List<String> FLAGS = List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
            // The tests start playback from script, as a viewer's click would.
            "--autoplay-policy=no-user-gesture-required");

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Path executable) {
        this.playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        // Playwright launches with a new, empty profile (user data dir) each time.
        this.browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(executable).setHeadless(true).setArgs(FLAGS));
    }

    static Browser browser(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Chromium.class, key -> new Chromium(executable()), Chromium.class).browser;
    }

    private static Path executable() {
        Path chromium = Path.of(System.getProperty("reel.chromium", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            String message = "No Chromium at " + chromium + ": install Debian's chromium (apt-get install chromium "
                    + "chromium-driver) or pass -Dreel.chromium=<path>";
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(message + " (CI must run the browser tests)");
            }
            Assumptions.abort(message);
        }
        return chromium;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
