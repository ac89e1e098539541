package io.reel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * axe-core (from the page's npm packages) run in the page, as the accessibility audits of browsers' dev tools do. It is
 * evaluated through the DevTools protocol, which the page's CSP does not govern, so the page keeps its real policy.
 */
final class Axe {
    private static String source;

    private Axe() {
    }

    /** The violations of impact serious or critical, each as "rule (impact): help — the first elements". */
    static List<String> seriousViolations(Page page) {
        if (!(Boolean) page.evaluate("typeof window.axe !== 'undefined'")) {
            page.evaluate(source());
        }
        String json = (String) page.evaluate("""
                async () => {
                  const results = await axe.run(document, { resultTypes: ['violations'] });
                  return JSON.stringify(results.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) })));
                }""");
        List<String> serious = new ArrayList<>();
        for (JsonNode violation : Json.read(json)) {
            String impact = violation.path("impact").asText();
            if (impact.equals("serious") || impact.equals("critical")) {
                serious.add(violation.path("id").asText() + " (" + impact + "): " + violation.path("help").asText() + " — "
                        + violation.path("nodes"));
            }
        }
        return serious;
    }

    private static synchronized String source() {
        if (source == null) {
            Path file = Path.of(System.getProperty("reel.axe", "../frontend/node_modules/axe-core/axe.min.js"));
            try {
                source = Files.readString(file);
            } catch (IOException e) {
                throw new IllegalStateException("axe-core is not installed at " + file + ": run scripts/frontend.sh build", e);
            }
        }
        return source;
    }
}
