package io.reel.localaws;

import io.reel.localaws.template.BucketSpec;
import io.reel.localaws.template.TableSpec;
import io.reel.localaws.template.TemplateResources;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Creates the template's tables and buckets through the ordinary SDK, so it works the same against the embedded
 * emulators and LocalStack. Creating is idempotent (a restarted devserver finds its tables in place).
 */
public final class ResourceProvisioner {
    private final DynamoDbClient dynamoDb;
    private final S3Client s3;

    public ResourceProvisioner(DynamoDbClient dynamoDb, S3Client s3) {
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
    }

    public ProvisionedResources provision(TemplateResources resources, ResourceNamer namer) {
        // Tables and buckets are independent: provisioning them side by side halves a cold start.
        CompletableFuture<Map<String, String>> buckets = CompletableFuture.supplyAsync(() -> buckets(resources, namer));
        Map<String, String> tables = new LinkedHashMap<>();
        Set<String> existing = new HashSet<>(resources.tables().isEmpty() ? List.of()
                : dynamoDb.listTablesPaginator().tableNames().stream().toList());
        for (TableSpec table : resources.tables()) {
            String name = namer.table(table.logicalId());
            if (!existing.contains(name)) {
                createTable(table, name);
            }
            tables.put(table.logicalId(), name);
        }
        try {
            return new ProvisionedResources(tables, buckets.join());
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private Map<String, String> buckets(TemplateResources resources, ResourceNamer namer) {
        Map<String, String> buckets = new LinkedHashMap<>();
        Set<String> existing = new HashSet<>(resources.buckets().isEmpty() ? List.of()
                : s3.listBuckets().buckets().stream().map(b -> b.name()).toList());
        for (BucketSpec bucket : resources.buckets()) {
            String name = namer.bucket(bucket.logicalId());
            if (!existing.contains(name)) {
                createBucket(name);
            }
            buckets.put(bucket.logicalId(), name);
        }
        return buckets;
    }

    /** Deletes the tables and, after emptying them, the buckets. */
    public void delete(ProvisionedResources resources) {
        resources.tables().values().forEach(name -> {
            try {
                dynamoDb.deleteTable(r -> r.tableName(name));
            } catch (ResourceNotFoundException alreadyGone) {
                // nothing to do
            }
        });
        resources.buckets().values().forEach(this::deleteBucket);
    }

    private void createTable(TableSpec table, String name) {
        try {
            dynamoDb.createTable(table.createRequest(name));
        } catch (ResourceInUseException exists) {
            return;
        }
        dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(name));
        table.timeToLiveAttribute().ifPresent(attribute -> dynamoDb.updateTimeToLive(r -> r.tableName(name)
                .timeToLiveSpecification(ttl -> ttl.attributeName(attribute).enabled(true))));
    }

    private void createBucket(String name) {
        try {
            s3.createBucket(r -> r.bucket(name));
        } catch (BucketAlreadyOwnedByYouException exists) {
            // idempotent
        } catch (S3Exception e) {
            if (e.statusCode() != 409) {
                throw e;
            }
        }
    }

    private void deleteBucket(String name) {
        try {
            // One DeleteObject per key: S3Proxy refuses DeleteObjects with the SDK's CRC checksum header.
            s3.listObjectsV2Paginator(r -> r.bucket(name)).contents()
                    .forEach(object -> s3.deleteObject(r -> r.bucket(name).key(object.key())));
            s3.listMultipartUploadsPaginator(r -> r.bucket(name)).uploads().forEach(upload ->
                    s3.abortMultipartUpload(r -> r.bucket(name).key(upload.key()).uploadId(upload.uploadId())));
            s3.deleteBucket(r -> r.bucket(name));
        } catch (NoSuchBucketException alreadyGone) {
            // nothing to do
        }
    }
}
