package io.reel.localaws.junit;

import io.reel.core.Env;
import io.reel.localaws.ProvisionedResources;
import io.reel.localaws.S3EventBridge;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * What an integration test class gets from {@link LocalAwsExtension}: its own freshly created tables and buckets
 * (named by the template's logical ids), SDK clients, and the environment a function would be given.
 */
public final class AwsTestResources {
    private final String backendName;
    private final ProvisionedResources names;
    private final Env env;
    private final DynamoDbClient dynamoDb;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final Optional<S3EventBridge> s3Events;

    AwsTestResources(String backendName, ProvisionedResources names, Env env, DynamoDbClient dynamoDb, S3Client s3,
                     S3Presigner presigner, Optional<S3EventBridge> s3Events) {
        this.backendName = backendName;
        this.names = names;
        this.env = env;
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
        this.presigner = presigner;
        this.s3Events = s3Events;
    }

    public String backendName() {
        return backendName;
    }

    /** The physical name of the table with this logical id, e.g. {@code table("UsersTable")}. */
    public String table(String logicalId) {
        return names.table(logicalId);
    }

    public String bucket(String logicalId) {
        return names.bucket(logicalId);
    }

    public ProvisionedResources names() {
        return names;
    }

    /**
     * Region, endpoints and credentials, plus every {@code Globals} environment variable of the template that is a
     * {@code !Ref} to one of this class's tables or buckets ({@code USERS_TABLE}, {@code MEDIA_BUCKET}, ...).
     */
    public Env env() {
        return env;
    }

    public Env env(Map<String, String> overrides) {
        return env.with(overrides);
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public S3Client s3() {
        return s3;
    }

    public S3Presigner presigner() {
        return presigner;
    }

    /** S3 notifications; skips the calling test on a backend that cannot deliver them in-process. */
    public S3EventBridge s3Events() {
        Assumptions.assumeTrue(s3Events.isPresent(),
                () -> "S3 notifications are bridged only by the embedded backend, not by " + backendName);
        return s3Events.orElseThrow();
    }

    void close() {
        presigner.close();
        s3.close();
        dynamoDb.close();
    }
}
