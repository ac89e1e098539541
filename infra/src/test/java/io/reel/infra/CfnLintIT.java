package io.reel.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * cfn-lint (the linter CloudFormation's own team keeps, which also runs SAM's transform) on the templates: no error or
 * warning at all, and every informational finding reviewed, i.e. listed with its reason in
 * infra/cfn-lint-reviewed.txt; a new one fails until it is fixed or reviewed.
 */
class CfnLintIT {
    private static final Path REVIEWED = Repo.ROOT.resolve("infra/cfn-lint-reviewed.txt");

    private static void requireCfnLint() {
        Repo.requireTool(Repo.commandWorks("cfn-lint", "--version"), "cfn-lint");
    }

    @Test
    void templatesHaveNoErrorOrWarning() {
        requireCfnLint();
        for (String template : List.of("template.yaml", "pipeline/pipeline.yaml", "edge/waf-us-east-1.yaml")) {
            if (!Files.isRegularFile(Repo.ROOT.resolve(template))) {
                continue;
            }
            Repo.Run run = Repo.run(Repo.ROOT, Map.of(), 300, "cfn-lint", "--format", "parseable", template);
            assertThat(run.out()).as("cfn-lint %s (exit %d) %s", template, run.exit(), run.err()).isEmpty();
            assertThat(run.exit()).as("cfn-lint %s: %s", template, run.err()).isZero();
        }
    }

    @Test
    void everyInformationalFindingIsReviewed() throws IOException {
        requireCfnLint();
        Repo.Run run = Repo.run(Repo.ROOT, Map.of(), 300, "cfn-lint", "--format", "parseable", "-c", "I",
                "--", "template.yaml");
        Set<String> findings = new TreeSet<>();
        for (String line : run.out().lines().toList()) {
            // template.yaml:143:3:143:10:I3011:'DeletionPolicy' is a required property (...)
            String[] parts = line.split(":", 6);
            if (parts.length == 6 && parts[4].startsWith("I")) {
                findings.add(parts[4] + " " + resourceAt(Integer.parseInt(parts[1])) + " " + parts[5].replaceFirst(" \\(.*", ""));
            }
        }
        Set<String> reviewed = Files.readAllLines(REVIEWED).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.replaceFirst("\\s+--\\s+.*$", ""))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(findings).as("informational findings of cfn-lint -c I not listed (with a reason after ' -- ') in %s",
                REVIEWED).isSubsetOf(reviewed);
    }

    /** The logical id of the resource a line of template.yaml belongs to. */
    private static String resourceAt(int line) throws IOException {
        List<String> lines = Files.readAllLines(Repo.TEMPLATE);
        for (int i = Math.min(line, lines.size()) - 1; i >= 0; i--) {
            String l = lines.get(i);
            if (l.matches("^  [A-Za-z0-9]+:\\s*$")) {
                return l.strip().replace(":", "");
            }
        }
        return "?";
    }
}
