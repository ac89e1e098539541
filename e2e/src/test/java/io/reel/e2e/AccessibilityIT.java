package io.reel.e2e;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page for everyone: axe-core finds nothing serious or critical, every control is reached by Tab with a visible
 * focus, and the page works from a 360 px phone to a desktop (a screenshot of each, and no sideways scrolling).
 */
@ExtendWith(BrowserExtension.class)
class AccessibilityIT {

    /** A page of the site: who sees it, how to get there, and what shows it is ready. */
    record Screen(String name, String user, Function<Web, String> path, String heading) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> screens() {
        return Stream.of(
                new Screen("signin", null, web -> "/signin", "Sign in to Reel"),
                new Screen("catalogue", "viewer", web -> "/", "Browse"),
                new Screen("watch", "viewer", web -> "/watch/" + web.platform().demoVideoId(), "Welcome to Reel"),
                new Screen("my-videos", "uploader", web -> "/mine", "My videos"),
                new Screen("upload", "uploader", web -> "/upload", "Upload a video"),
                new Screen("accounts", "admin", web -> "/admin", "Accounts"),
                new Screen("account", "viewer", web -> "/account", "Your account"),
                new Screen("not-found", "viewer", web -> "/no/such/page", "Page not found"))
                .map(Arguments::of);
    }

    private static Page open(Web web, Screen screen) {
        Page page = screen.user() == null ? web.page() : web.signIn(screen.user());
        page.navigate(screen.path().apply(web));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(screen.heading()).setLevel(1))).isVisible();
        page.waitForLoadState();
        if (screen.name().equals("watch")) {
            Await.until(page, "document.querySelector('media-controller [slot=media]').readyState >= 2");
        }
        return page;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("screens")
    void axe_findsNothingSeriousOrCritical(Screen screen, Web web) {
        Page page = open(web, screen);
        assertThat(Axe.seriousViolations(page)).as("axe-core on " + screen.name()).isEmpty();
    }

    /** Everything Tab should reach on the page, described for a failure message. */
    private static final String FOCUSABLES = """
            () => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')]
              .filter(e => !e.disabled && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden'
                && !e.closest('[hidden], [inert], dialog:not([open])'))
              .filter(e => !(e.type === 'file'))
              .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '|' + (e.getAttribute('aria-label') || e.textContent.trim()).slice(0, 40))""";

    /** What has focus (through shadow roots), and whether something of it shows a focus ring. */
    private static final String FOCUSED = """
            () => {
              let e = document.activeElement; const chain = [];
              while (e) { chain.push(e); e = e.shadowRoot && e.shadowRoot.activeElement; }
              const top = chain[0];
              if (!top || top === document.body) return null;
              const visible = chain.some(x => { const s = getComputedStyle(x);
                return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none'); })
                || (top.type === 'file' && getComputedStyle(top.nextElementSibling).outlineStyle !== 'none');
              return top.tagName.toLowerCase() + (top.id ? '#' + top.id : '') + '|'
                + (top.getAttribute('aria-label') || top.textContent.trim()).slice(0, 40) + '|' + visible;
            }""";

    @ParameterizedTest(name = "{0}")
    @MethodSource("screens")
    @SuppressWarnings("unchecked")
    void keyboard_reachesEveryControl_withAVisibleFocus(Screen screen, Web web) {
        Page page = open(web, screen);
        List<String> expected = (List<String>) page.evaluate(FOCUSABLES);
        page.evaluate("document.activeElement && document.activeElement.blur()");
        java.util.Set<String> reached = new java.util.LinkedHashSet<>();
        java.util.List<String> withoutRing = new java.util.ArrayList<>();
        // Until every control was reached (a list still filling in adds stops on the way), within a generous cap.
        for (int i = 0; i < 2 * expected.size() + 50 && !reached.containsAll(expected); i++) {
            page.keyboard().press("Tab");
            String focused = (String) page.evaluate(FOCUSED);
            if (focused == null) {
                continue;
            }
            String element = focused.substring(0, focused.lastIndexOf('|'));
            reached.add(element);
            if (focused.endsWith("|false")) {
                withoutRing.add(element);
            }
        }
        assertThat(reached).as("reached by Tab on " + screen.name()).containsAll(expected);
        assertThat(withoutRing).as("focused without a visible focus indicator on " + screen.name()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("screens")
    void fitsFrom360pxToDesktop(Screen screen, Web web) {
        Page page = open(web, screen);
        for (Map.Entry<Integer, Integer> size : List.of(Map.entry(360, 740), Map.entry(1280, 800))) {
            page.setViewportSize(size.getKey(), size.getValue());
            page.waitForTimeout(200);
            int overflow = ((Number) page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))
                    .intValue();
            assertThat(overflow).as(screen.name() + " scrolls sideways at " + size.getKey() + " px").isLessThanOrEqualTo(0);
            web.screenshot(page, screen.name() + "-" + size.getKey());
        }
    }

    @Test
    void aViewer_signsInAndWatches_withTheKeyboardAlone(Web web) {
        Page page = web.page();
        page.navigate("/");
        assertThat(page.getByLabel("Username")).isFocused(); // the username field has focus on arrival
        page.keyboard().type("viewer");
        page.keyboard().press("Tab");
        page.keyboard().type(web.platform().password("viewer"));
        page.keyboard().press("Enter");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Browse"))).isVisible();
        Locator card = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Welcome to Reel"));
        for (int i = 0; i < 15 && !(Boolean) card.evaluate("e => e === document.activeElement"); i++) {
            page.keyboard().press("Tab");
        }
        page.keyboard().press("Enter");
        PlayerProbe player = new PlayerProbe(page);
        Await.until(page, "document.querySelector('media-controller [slot=media]').readyState >= 2");
        page.keyboard().press("k");
        player.awaitTimeAtLeast(1, 10_000);
        assertThat(player.mediaError()).isZero();
    }
}
