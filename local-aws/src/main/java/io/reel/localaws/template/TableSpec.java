package io.reel.localaws.template;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;

/**
 * The shape of one {@code AWS::DynamoDB::Table} in the template: keys, attribute types, GSIs and the TTL attribute.
 * Physical names are chosen by whoever provisions it (per test class, or per devserver data folder).
 */
public record TableSpec(
        String logicalId,
        List<AttributeDefinition> attributes,
        List<KeySchemaElement> keySchema,
        List<GlobalSecondaryIndex> globalSecondaryIndexes,
        Optional<String> timeToLiveAttribute) {

    public TableSpec {
        Objects.requireNonNull(logicalId, "logicalId");
        attributes = List.copyOf(attributes);
        keySchema = List.copyOf(keySchema);
        globalSecondaryIndexes = List.copyOf(globalSecondaryIndexes);
    }

    public CreateTableRequest createRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .attributeDefinitions(attributes)
                .keySchema(keySchema)
                .globalSecondaryIndexes(globalSecondaryIndexes.isEmpty() ? null : globalSecondaryIndexes)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .build();
    }

    /** Reads a table resource, naming the resource and property on anything it cannot use. */
    static TableSpec from(CloudFormationTemplate.Resource resource) {
        var props = new Properties(resource, resource.properties());
        List<AttributeDefinition> attributes = props.list("AttributeDefinitions").stream()
                .map(item -> AttributeDefinition.builder()
                        .attributeName(item.string("AttributeName"))
                        .attributeType(item.oneOf("AttributeType", "S", "N", "B"))
                        .build())
                .toList();
        List<KeySchemaElement> keys = keySchema(props.list("KeySchema"));
        List<GlobalSecondaryIndex> indexes = props.optionalList("GlobalSecondaryIndexes").stream()
                .map(index -> GlobalSecondaryIndex.builder()
                        .indexName(index.string("IndexName"))
                        .keySchema(keySchema(index.list("KeySchema")))
                        .projection(projection(index.child("Projection")))
                        .build())
                .toList();
        Optional<String> ttl = props.optionalChild("TimeToLiveSpecification")
                .filter(spec -> spec.bool("Enabled"))
                .map(spec -> spec.string("AttributeName"));
        var declared = attributes.stream().map(AttributeDefinition::attributeName).toList();
        keys.forEach(key -> props.require(declared.contains(key.attributeName()),
                "KeySchema uses " + key.attributeName() + " which is not in AttributeDefinitions"));
        indexes.forEach(index -> index.keySchema().forEach(key -> props.require(declared.contains(key.attributeName()),
                "index " + index.indexName() + " uses " + key.attributeName() + " which is not in AttributeDefinitions")));
        return new TableSpec(resource.logicalId(), attributes, keys, indexes, ttl);
    }

    private static List<KeySchemaElement> keySchema(List<Properties> elements) {
        return elements.stream()
                .map(element -> KeySchemaElement.builder()
                        .attributeName(element.string("AttributeName"))
                        .keyType(element.oneOf("KeyType", "HASH", "RANGE"))
                        .build())
                .toList();
    }

    private static Projection projection(Properties projection) {
        String type = projection.oneOf("ProjectionType", "ALL", "KEYS_ONLY", "INCLUDE");
        var builder = Projection.builder().projectionType(type);
        if ("INCLUDE".equals(type)) {
            builder.nonKeyAttributes(projection.strings("NonKeyAttributes"));
        }
        return builder.build();
    }

    /** Typed access to a resource's properties, failing with the resource and property named. */
    record Properties(CloudFormationTemplate.Resource resource, Map<String, Object> values) {
        String string(String name) {
            Object value = values.get(name);
            if (value instanceof String s && !s.isBlank()) {
                return s;
            }
            if (value instanceof Map<?, ?>) {
                throw fail(name + " must be a literal here; local-aws does not resolve intrinsic functions in it");
            }
            throw fail(name + " is missing or not text");
        }

        String oneOf(String name, String... allowed) {
            String value = string(name);
            if (!List.of(allowed).contains(value)) {
                throw fail(name + " is '" + value + "', expected one of " + String.join(", ", allowed));
            }
            return value;
        }

        boolean bool(String name) {
            Object value = values.get(name);
            if (value instanceof Boolean b) {
                return b;
            }
            if (value instanceof String s && ("true".equalsIgnoreCase(s) || "false".equalsIgnoreCase(s))) {
                return Boolean.parseBoolean(s);
            }
            throw fail(name + " must be true or false");
        }

        List<String> strings(String name) {
            return list(name, Object.class).stream().map(item -> {
                if (item instanceof String s) {
                    return s;
                }
                throw fail(name + " must be a list of names");
            }).toList();
        }

        Properties child(String name) {
            return optionalChild(name).orElseThrow(() -> fail(name + " is missing"));
        }

        Optional<Properties> optionalChild(String name) {
            Object value = values.get(name);
            if (value == null) {
                return Optional.empty();
            }
            if (!(value instanceof Map<?, ?> map)) {
                throw fail(name + " must be a mapping");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> child = (Map<String, Object>) map;
            return Optional.of(new Properties(resource, child));
        }

        List<Properties> list(String name) {
            List<Properties> items = optionalList(name);
            if (items.isEmpty()) {
                throw fail(name + " is missing or empty");
            }
            return items;
        }

        List<Properties> optionalList(String name) {
            return list(name, Object.class).stream().map(item -> {
                if (!(item instanceof Map<?, ?> map)) {
                    throw fail(name + " must be a list of mappings");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) map;
                return new Properties(resource, child);
            }).toList();
        }

        private <T> List<T> list(String name, Class<T> type) {
            Object value = values.get(name);
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof List<?> list)) {
                throw fail(name + " must be a list");
            }
            return list.stream().map(type::cast).toList();
        }

        void require(boolean condition, String problem) {
            if (!condition) {
                throw fail(problem);
            }
        }

        TemplateException fail(String problem) {
            return new TemplateException("Resource " + resource.describe() + ": " + problem + ".");
        }
    }
}
