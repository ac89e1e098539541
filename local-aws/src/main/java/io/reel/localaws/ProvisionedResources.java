package io.reel.localaws;

import java.util.Map;

/** Physical names of the tables and buckets provisioned from the template, by logical id. */
public record ProvisionedResources(Map<String, String> tables, Map<String, String> buckets) {
    public ProvisionedResources {
        tables = Map.copyOf(tables);
        buckets = Map.copyOf(buckets);
    }

    public String table(String logicalId) {
        return lookup(tables, logicalId, "table");
    }

    public String bucket(String logicalId) {
        return lookup(buckets, logicalId, "bucket");
    }

    private static String lookup(Map<String, String> names, String logicalId, String kind) {
        String name = names.get(logicalId);
        if (name == null) {
            throw new IllegalArgumentException("template.yaml declares no " + kind + " with logical id " + logicalId
                    + "; it declares " + names.keySet());
        }
        return name;
    }
}
