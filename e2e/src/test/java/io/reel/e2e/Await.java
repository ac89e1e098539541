package io.reel.e2e;

import com.microsoft.playwright.Page;

/**
 * Waits for a condition in the page by asking it from the test, not with Playwright's waitForFunction: that compiles
 * the condition inside the page, which the page's Content-Security-Policy (no 'unsafe-eval') rightly refuses.
 */
final class Await {
    private Await() {
    }

    /** Until the JavaScript expression is truthy in the page, or fails after `timeoutMs`. */
    static void until(Page page, String expression, double timeoutMs) {
        long deadline = System.nanoTime() + (long) (timeoutMs * 1_000_000);
        while (true) {
            // Not there yet (the player mounts in steps) counts as not yet true.
            Object value = page.evaluate("() => { try { return !!(" + expression + "); } catch (e) { return false; } }");
            if (Boolean.TRUE.equals(value)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited " + (long) timeoutMs + " ms for: " + expression);
            }
            page.waitForTimeout(100);
        }
    }

    static void until(Page page, String expression) {
        until(page, expression, 15_000);
    }
}
