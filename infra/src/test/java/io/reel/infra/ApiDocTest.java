package io.reel.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** docs/api.md lists exactly api/openapi.yaml's operations, each with its method, path, operation id and auth. */
class ApiDocTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    @Test
    @SuppressWarnings("unchecked")
    void theApiPage_listsEveryOperationOfTheContract_andNoOther() throws IOException {
        Map<String, Object> document;
        try (Reader reader = Files.newBufferedReader(Repo.ROOT.resolve("api/openapi.yaml"))) {
            document = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromReader(reader);
        }
        List<String> expected = new ArrayList<>();
        ((Map<String, Object>) document.get("paths")).forEach((path, item) -> ((Map<String, Object>) item).forEach((method, op) -> {
            if (METHODS.contains(method)) {
                Map<String, Object> operation = (Map<String, Object>) op;
                String auth = List.of().equals(operation.get("security")) ? "public" : "token";
                expected.add("| " + method.toUpperCase() + " | `" + path + "` | " + operation.get("operationId") + " | " + auth + " |");
            }
        }));
        List<String> listed = Files.readAllLines(Repo.ROOT.resolve("docs/api.md")).stream()
                .filter(l -> l.startsWith("| ") && l.contains(" | `/"))
                .map(l -> l.substring(l.indexOf(" | ") + 1)) // drop the tag column
                .map(l -> String.join(" | ", java.util.Arrays.copyOfRange(l.split(" \\| "), 0, 4)) + " |")
                .map(l -> l.startsWith("| ") ? l : "| " + l.strip())
                .toList();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
    }
}
