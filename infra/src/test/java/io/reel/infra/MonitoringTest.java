package io.reel.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reel.localaws.template.CloudFormationTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and alarms read metrics the functions really emit: every {@code Reel} metric in the template (the
 * dashboard's widgets and every alarm) names a {@code Function} dimension some module writes with
 * {@code new EmfMetrics("<function>", ...)}, and that module's main code names the metric. A renamed or dropped
 * metric fails here instead of leaving a flat line on the dashboard and an alarm that can never fire.
 */
class MonitoringTest {
    private static final CloudFormationTemplate TEMPLATE = CloudFormationTemplate.load(Repo.TEMPLATE);

    /** The dashboard's JSON with its ${...} substitutions replaced by stand-ins. */
    static JsonNode dashboard() throws IOException {
        var dashboard = TEMPLATE.resourcesOfType("AWS::CloudWatch::Dashboard").getFirst();
        Object body = dashboard.properties().get("DashboardBody");
        String text = body instanceof Map<?, ?> sub ? String.valueOf(sub.get("Fn::Sub")) : String.valueOf(body);
        return new ObjectMapper().readTree(text.replaceAll("\\$\\{[^}]+}", "x"));
    }

    /** "function/Metric" for every Reel metric the dashboard and the alarms read. */
    static Set<String> reelMetricsRead() throws IOException {
        Set<String> read = new TreeSet<>();
        for (JsonNode widget : dashboard().path("widgets")) {
            for (JsonNode row : widget.path("properties").path("metrics")) {
                if (row.isArray() && row.size() >= 2 && "Reel".equals(row.get(0).asText())) {
                    String function = null;
                    for (int i = 2; i + 1 < row.size(); i += 2) {
                        if ("Function".equals(row.get(i).asText())) {
                            function = row.get(i + 1).asText();
                        }
                    }
                    read.add(function + "/" + row.get(1).asText());
                }
            }
        }
        for (var alarm : TEMPLATE.resourcesOfType("AWS::CloudWatch::Alarm")) {
            List<Map<?, ?>> stats = new ArrayList<>();
            if ("Reel".equals(alarm.properties().get("Namespace"))) {
                stats.add(alarm.properties());
            }
            if (alarm.properties().get("Metrics") instanceof List<?> metrics) {
                for (Object m : metrics) {
                    if (m instanceof Map<?, ?> query && query.get("MetricStat") instanceof Map<?, ?> stat
                            && stat.get("Metric") instanceof Map<?, ?> metric && "Reel".equals(metric.get("Namespace"))) {
                        stats.add(metric);
                    }
                }
            }
            for (Map<?, ?> metric : stats) {
                String function = null;
                if (metric.get("Dimensions") instanceof List<?> dims) {
                    for (Object d : dims) {
                        if (d instanceof Map<?, ?> dim && "Function".equals(dim.get("Name"))) {
                            function = String.valueOf(dim.get("Value"));
                        }
                    }
                }
                read.add(function + "/" + metric.get("MetricName"));
            }
        }
        return read;
    }

    private static List<Path> mainSources() throws IOException {
        try (Stream<Path> files = Files.walk(Repo.ROOT)) {
            return files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")
                    && !p.toString().contains("/target/")).toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyReelMetricTheDashboardAndAlarmsRead_isEmittedByTheFunctionItNames() throws IOException {
        Set<String> read = reelMetricsRead();
        assertThat(read).as("the dashboard reads the functions' own metrics").isNotEmpty();
        List<Path> sources = mainSources();
        List<String> missing = new ArrayList<>();
        for (String entry : read) {
            String function = entry.substring(0, entry.indexOf('/'));
            String metric = entry.substring(entry.indexOf('/') + 1);
            List<Path> modules = sources.stream().filter(f -> read(f).contains("new EmfMetrics(\"" + function + "\""))
                    .map(f -> Repo.ROOT.resolve(Repo.ROOT.relativize(f).getName(0))).distinct().toList();
            if (modules.isEmpty()) {
                missing.add(entry + ": no main code writes metrics with Function=" + function);
                continue;
            }
            boolean named = sources.stream().filter(f -> modules.stream().anyMatch(f::startsWith))
                    .anyMatch(f -> read(f).contains("\"" + metric + "\""));
            if (!named) {
                missing.add(entry + ": " + modules + " never names metric " + metric);
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void theDashboardCoversWhatOperatorsWatch() throws IOException {
        Set<String> titles = new TreeSet<>();
        dashboard().path("widgets").forEach(w -> titles.add(w.path("properties").path("title").asText()));
        assertThat(String.join("\n", titles)).contains("Sign-in", "Authorizer", "viewers", "API latency", "API errors",
                "CloudFront", "Transcode", "Concurrent executions");
    }
}
