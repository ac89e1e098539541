package io.reel.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EmfMetricsTest {

    @Test
    void count_writesOneEmbeddedMetricFormatLine() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        var metrics = new EmfMetrics("auth", new PrintStream(bytes, true, StandardCharsets.UTF_8),
                Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC));

        metrics.count("LoginSucceeded");

        JsonNode line = Json.mapper().readTree(bytes.toString(StandardCharsets.UTF_8));
        assertThat(line.path("_aws").path("Timestamp").asLong()).isEqualTo(1_700_000_000_000L);
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("Reel");
        assertThat(directive.path("Dimensions").get(0).get(0).asText()).isEqualTo("Function");
        assertThat(directive.path("Metrics").get(0).path("Name").asText()).isEqualTo("LoginSucceeded");
        assertThat(line.path("Function").asText()).isEqualTo("auth");
        assertThat(line.path("LoginSucceeded").asInt()).isEqualTo(1);
    }

    @Test
    void names_cannotInjectJson() {
        var metrics = new EmfMetrics("auth", new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC());

        assertThatThrownBy(() -> metrics.count("x\",\"evil\":\"1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EmfMetrics("a b", System.out, Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void record_writesTheValueWithItsUnit() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        var metrics = new EmfMetrics("transcode", new PrintStream(bytes, true, StandardCharsets.UTF_8), Clock.systemUTC());

        metrics.record("TranscodeSeconds", 83.25, "Seconds");

        JsonNode line = Json.mapper().readTree(bytes.toString(StandardCharsets.UTF_8));
        JsonNode declared = line.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").get(0);
        assertThat(declared.path("Name").asText()).isEqualTo("TranscodeSeconds");
        assertThat(declared.path("Unit").asText()).isEqualTo("Seconds");
        assertThat(line.path("TranscodeSeconds").asDouble()).isEqualTo(83.25);
    }

    @Test
    void record_refusesUnknownUnitsAndValuesThatAreNoNumber() {
        var metrics = new EmfMetrics("transcode", new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC());

        assertThatThrownBy(() -> metrics.record("TranscodeSeconds", 1, "Fortnights")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> metrics.record("TranscodeSeconds", Double.NaN, "Seconds")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> metrics.record("x\",\"y", 1, "Seconds")).isInstanceOf(IllegalArgumentException.class);
    }
}
