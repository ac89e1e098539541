package io.reel.core.local;

import io.reel.core.Env;
import io.reel.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a running devserver tells local tools (the {@code reel --local} CLI) about itself, in
 * {@code .reel-data/devserver.json}: its URL, the emulators' endpoints and credentials, table and bucket names,
 * and where its local keys are. Written at start, removed at stop.
 *
 * @param keysDirectory the folder of the local stand-ins for KMS keys (signing key, PII key)
 */
public record LocalPlatformFile(String url, String region, String dynamoDbEndpoint, String s3Endpoint, String accessKeyId,
                                String secretAccessKey, Map<String, String> tables, Map<String, String> buckets,
                                String keysDirectory) {
    public static final String FILE_NAME = "devserver.json";

    public LocalPlatformFile {
        tables = Map.copyOf(tables);
        buckets = Map.copyOf(buckets);
    }

    public void write(Path dataDirectory) {
        try {
            Files.writeString(dataDirectory.resolve(FILE_NAME), Json.write(this));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + dataDirectory.resolve(FILE_NAME), e);
        }
    }

    /** The running devserver's file under {@code dataDirectory}, if there is one. */
    public static Optional<LocalPlatformFile> read(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.read(Files.readString(file), LocalPlatformFile.class));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** The environment a tool needs to reach this devserver's AWS through {@code AwsClients}. */
    public Env env() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("AWS_REGION", region);
        values.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDbEndpoint);
        values.put("AWS_ENDPOINT_URL_S3", s3Endpoint);
        values.put("AWS_ACCESS_KEY_ID", accessKeyId);
        values.put("AWS_SECRET_ACCESS_KEY", secretAccessKey);
        return Env.of(values);
    }
}
