package io.reel.localaws.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Everything the template's tables and buckets hold, as comparable text: two snapshots are equal only if nothing was
 * written, changed or deleted in between (for tests of work that must have no effects, such as SnapStart priming).
 */
public record StoredState(Map<String, List<String>> tables, Map<String, List<String>> buckets) {
    public static StoredState of(AwsTestResources aws) {
        Map<String, List<String>> tables = new TreeMap<>();
        for (String table : aws.names().tables().values()) {
            List<String> items = new ArrayList<>();
            for (Map<String, AttributeValue> item : aws.dynamoDb().scanPaginator(r -> r.tableName(table).consistentRead(true)).items()) {
                items.add(new TreeMap<>(item).toString());
            }
            items.sort(null);
            tables.put(table, items);
        }
        Map<String, List<String>> buckets = new TreeMap<>();
        for (String bucket : aws.names().buckets().values()) {
            List<String> objects = new ArrayList<>();
            for (S3Object object : aws.s3().listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
                objects.add(object.key() + " " + object.eTag() + " " + object.size());
            }
            buckets.put(bucket, objects);
        }
        return new StoredState(tables, buckets);
    }
}
