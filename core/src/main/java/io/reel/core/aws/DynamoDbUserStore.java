package io.reel.core.aws;

import io.reel.core.domain.Role;
import io.reel.core.domain.User;
import io.reel.core.domain.UserStanding;
import io.reel.core.domain.UserStatus;
import io.reel.core.port.AlreadyExistsException;
import io.reel.core.port.UserStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** {@link UserStore} on the {@code Users} table (key {@code username}); counters are updated atomically. */
public final class DynamoDbUserStore implements UserStore {
    private static final String EXISTS = "attribute_exists(username)";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbUserStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public Optional<User> findByUsername(String username) {
        var item = dynamoDb.getItem(r -> r.tableName(table).key(key(username)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public Optional<UserStanding> findStanding(String username) {
        var item = dynamoDb.getItem(r -> r.tableName(table).key(key(username)).consistentRead(true)
                .projectionExpression("userId, #s, tokenVersion").expressionAttributeNames(Map.of("#s", "status"))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(new UserStanding(item.get("userId").s(),
                UserStatus.valueOf(item.get("status").s()), Long.parseLong(item.get("tokenVersion").n())));
    }

    @Override
    public void create(User user) {
        try {
            dynamoDb.putItem(r -> r.tableName(table).item(toItem(user)).conditionExpression("attribute_not_exists(username)"));
        } catch (ConditionalCheckFailedException e) {
            throw new AlreadyExistsException("A user named " + user.username() + " already exists", e);
        }
    }

    @Override
    public List<User> list() {
        List<User> users = new ArrayList<>();
        dynamoDb.scanPaginator(r -> r.tableName(table).consistentRead(true)).items().forEach(item -> users.add(fromItem(item)));
        return List.copyOf(users);
    }

    @Override
    public int recordFailedLogin(String username, Instant at) {
        var updated = update(username, "ADD failedLogins :one SET lastFailedLoginAt = :at",
                Map.of(":one", AttributeValue.fromN("1"), ":at", AttributeValue.fromS(at.toString())), ReturnValue.UPDATED_NEW);
        return Integer.parseInt(updated.get("failedLogins").n());
    }

    @Override
    public void resetFailedLogins(String username) {
        update(username, "SET failedLogins = :zero REMOVE lastFailedLoginAt", Map.of(":zero", AttributeValue.fromN("0")), ReturnValue.NONE);
    }

    @Override
    public void updatePasswordHash(String username, String passwordHash) {
        update(username, "SET passwordHash = :hash", Map.of(":hash", AttributeValue.fromS(passwordHash)), ReturnValue.NONE);
    }

    @Override
    public long bumpTokenVersion(String username) {
        var updated = update(username, "ADD tokenVersion :one", Map.of(":one", AttributeValue.fromN("1")), ReturnValue.UPDATED_NEW);
        return Long.parseLong(updated.get("tokenVersion").n());
    }

    @Override
    public void setStatus(String username, UserStatus status) {
        String expression = status == UserStatus.DISABLED ? "SET #s = :status ADD tokenVersion :one" : "SET #s = :status";
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":status", AttributeValue.fromS(status.name()));
        if (status == UserStatus.DISABLED) {
            values.put(":one", AttributeValue.fromN("1"));
        }
        try {
            dynamoDb.updateItem(r -> r.tableName(table).key(key(username)).updateExpression(expression)
                    .conditionExpression(EXISTS).expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            throw new NoSuchElementException("No user named " + username);
        }
    }

    private Map<String, AttributeValue> update(String username, String expression, Map<String, AttributeValue> values,
                                               ReturnValue returnValue) {
        try {
            return dynamoDb.updateItem(r -> r.tableName(table).key(key(username)).updateExpression(expression)
                    .conditionExpression(EXISTS).expressionAttributeValues(values).returnValues(returnValue)).attributes();
        } catch (ConditionalCheckFailedException e) {
            throw new NoSuchElementException("No user named " + username);
        }
    }

    private static Map<String, AttributeValue> key(String username) {
        return Map.of("username", AttributeValue.fromS(username));
    }

    static Map<String, AttributeValue> toItem(User user) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("username", AttributeValue.fromS(user.username()));
        item.put("userId", AttributeValue.fromS(user.userId()));
        item.put("passwordHash", AttributeValue.fromS(user.passwordHash()));
        if (!user.roles().isEmpty()) {
            item.put("roles", AttributeValue.fromSs(user.roles().stream().map(Role::name).sorted().toList()));
        }
        item.put("status", AttributeValue.fromS(user.status().name()));
        item.put("tokenVersion", AttributeValue.fromN(Long.toString(user.tokenVersion())));
        item.put("failedLogins", AttributeValue.fromN(Integer.toString(user.failedLogins())));
        if (user.lastFailedLoginAt() != null) {
            item.put("lastFailedLoginAt", AttributeValue.fromS(user.lastFailedLoginAt().toString()));
        }
        if (user.encryptedEmail() != null) {
            item.put("encryptedEmail", AttributeValue.fromS(user.encryptedEmail()));
        }
        item.put("createdAt", AttributeValue.fromS(user.createdAt().toString()));
        return item;
    }

    static User fromItem(Map<String, AttributeValue> item) {
        Set<Role> roles = item.containsKey("roles")
                ? item.get("roles").ss().stream().map(Role::valueOf).collect(Collectors.toUnmodifiableSet()) : Set.of();
        return new User(
                item.get("userId").s(),
                item.get("username").s(),
                item.get("passwordHash").s(),
                roles,
                UserStatus.valueOf(item.get("status").s()),
                number(item, "tokenVersion"),
                (int) number(item, "failedLogins"),
                item.containsKey("lastFailedLoginAt") ? Instant.parse(item.get("lastFailedLoginAt").s()) : null,
                item.containsKey("encryptedEmail") ? item.get("encryptedEmail").s() : null,
                Instant.parse(item.get("createdAt").s()));
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? 0 : Long.parseLong(value.n());
    }
}
