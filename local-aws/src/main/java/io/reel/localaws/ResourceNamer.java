package io.reel.localaws;

import java.util.Locale;

/** Chooses physical names for the template's tables and buckets. */
public interface ResourceNamer {
    String table(String logicalId);

    String bucket(String logicalId);

    /** Stable names for the local platform: {@code UsersTable} → {@code Users}, {@code UploadsBucket} → {@code uploads}. */
    static ResourceNamer plain() {
        return withSuffix("");
    }

    /** Names isolated by a suffix, so test classes sharing one emulator never see each other's data. */
    static ResourceNamer withSuffix(String suffix) {
        String tail = suffix.isEmpty() ? "" : "-" + suffix;
        return new ResourceNamer() {
            @Override
            public String table(String logicalId) {
                return strip(logicalId, "Table") + tail;
            }

            @Override
            public String bucket(String logicalId) {
                String base = strip(logicalId, "Bucket").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
                String name = (base + tail.toLowerCase(Locale.ROOT)).replaceAll("[^a-z0-9-]", "-");
                return name.length() > 63 ? name.substring(0, 63) : name;
            }
        };
    }

    private static String strip(String logicalId, String ending) {
        return logicalId.endsWith(ending) && logicalId.length() > ending.length()
                ? logicalId.substring(0, logicalId.length() - ending.length())
                : logicalId;
    }
}
