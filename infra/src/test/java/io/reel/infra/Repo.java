package io.reel.infra;

import static org.assertj.core.api.Assertions.fail;

import io.reel.localaws.template.TemplateResources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** The checkout these checks read, and the outside tools they run. */
final class Repo {
    static final Path ROOT = TemplateResources.locateTemplate(Path.of("")).toAbsolutePath().getParent();
    static final Path TEMPLATE = ROOT.resolve("template.yaml");

    private Repo() {
    }

    /** What a command printed and how it ended. */
    record Run(int exit, String out, String err) {
    }

    /** Runs a command in {@code dir}; fails the test if it cannot start or takes longer than {@code timeoutSeconds}. */
    static Run run(Path dir, Map<String, String> env, long timeoutSeconds, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().putAll(env);
        try {
            Path out = java.nio.file.Files.createTempFile("reel-infra", ".out");
            Path err = java.nio.file.Files.createTempFile("reel-infra", ".err");
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("%s took longer than %d s", String.join(" ", command), timeoutSeconds);
            }
            Run run = new Run(process.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.UTF_8),
                    java.nio.file.Files.readString(err, StandardCharsets.UTF_8));
            java.nio.file.Files.deleteIfExists(out);
            java.nio.file.Files.deleteIfExists(err);
            return run;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * A Python tool this machine image ships (cfn-lint, aws-sam-translator): skips the calling test with a message
     * where it is absent, and fails it in CI ({@code CI} set), where it must run.
     */
    static void requireTool(boolean present, String what) {
        if (present) {
            return;
        }
        String message = what + " is not installed here (it ships in this project's CI image's Python; pip install "
                + what + ")";
        if (System.getenv("CI") != null && !System.getenv("CI").isBlank()) {
            fail(message + ", and CI must run this check");
        }
        Assumptions.abort(message + ": check skipped");
    }

    static boolean commandWorks(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A YAML/JSON mapping as a map; anything else (null included) as an empty one. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The value under {@code path} in nested mappings, or null. */
    static Object at(Object value, String... path) {
        Object current = value;
        for (String key : path) {
            current = map(current).get(key);
        }
        return current;
    }

    static List<String> list(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> items) {
            items.forEach(item -> out.add(String.valueOf(item)));
        } else if (value != null) {
            out.add(String.valueOf(value));
        }
        return out;
    }
}
