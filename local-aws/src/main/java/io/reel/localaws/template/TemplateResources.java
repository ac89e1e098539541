package io.reel.localaws.template;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The tables and buckets a template declares: what local-aws creates so tests and the template cannot drift. */
public record TemplateResources(List<TableSpec> tables, List<BucketSpec> buckets) {
    public static final String TABLE = "AWS::DynamoDB::Table";
    public static final String BUCKET = "AWS::S3::Bucket";

    public TemplateResources {
        tables = List.copyOf(tables);
        buckets = List.copyOf(buckets);
    }

    public static TemplateResources from(CloudFormationTemplate template) {
        return new TemplateResources(
                template.resourcesOfType(TABLE).stream().map(TableSpec::from).toList(),
                template.resourcesOfType(BUCKET).stream().map(r -> new BucketSpec(r.logicalId())).toList());
    }

    public Optional<TableSpec> table(String logicalId) {
        return tables.stream().filter(t -> t.logicalId().equals(logicalId)).findFirst();
    }

    /**
     * Finds the project's {@code template.yaml}: the {@code reel.template} system property if set, else the first
     * {@code template.yaml} in {@code start} or a folder above it (a module's tests run in the module folder).
     */
    public static Path locateTemplate(Path start) {
        String override = System.getProperty("reel.template");
        if (override != null && !override.isBlank()) {
            Path path = Path.of(override);
            if (!Files.isRegularFile(path)) {
                throw new TemplateException("reel.template points at " + path + ", which is not a file.");
            }
            return path;
        }
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("template.yaml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new TemplateException("No template.yaml in " + start.toAbsolutePath()
                + " or any folder above it; set -Dreel.template=/path/to/template.yaml.");
    }
}
