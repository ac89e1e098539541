package io.reel.fuzz;

import io.reel.localaws.calls.AwsCallLog.Call;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * No write on a refusal: an API request answered 4xx must leave nothing behind, so after one the functions' AWS calls
 * ({@link io.reel.localaws.calls.AwsCallLog.Watch}) may hold reads only. A write is a call that succeeded, was not
 * merely presigned, and is not a read ({@code Get*}, {@code List*}, {@code Head*}, {@code Describe*}, {@code Query},
 * {@code Scan}, batch and transactional gets, KMS {@code Decrypt}/{@code Sign}/{@code Verify}); a conditional write the
 * service refused changed nothing and is no write.
 *
 * <p>The designed exceptions, each as narrow as the behaviour it stands for:
 * <ul>
 * <li>{@code POST /auth/login} answered 401 or 429: the failure is recorded on the account (UpdateItem on Users, and a
 * reset of failures too old to count), and the session row written ahead of the password check while it runs is
 * deleted again (one PutItem and its DeleteItem on Sessions) - so that a wrong password costs what a right one does.</li>
 * <li>{@code POST /auth/refresh} answered 401: a refresh token presented again after its rotation revokes its whole
 * family (the family marker PutItem, UpdateItems of its sessions), and a token of a disabled account or from before a
 * "log out everywhere" revokes the sessions concerned (UpdateItem on Sessions) - theft is assumed, by design.</li>
 * </ul>
 * ({@code POST /auth/logout} of an unknown token answers 204, so it is no refusal.)
 */
public final class ApiWrites {
    private static final Set<String> READS = Set.of("Query", "Scan", "BatchGetItem", "TransactGetItems", "Decrypt", "Sign",
            "Verify", "GetPublicKey", "GetItem", "GetObject", "HeadObject", "HeadBucket", "ListObjectsV2", "ListObjects",
            "ListMultipartUploads", "ListParts", "GetSecretValue", "DescribeTable", "DescribeKey");

    /** The physical names of the tables the designed exceptions concern. */
    public record Tables(String users, String sessions) {
    }

    private ApiWrites() {
    }

    /** Whether the call changed something. */
    public static boolean isWrite(Call call) {
        if (!call.succeeded() || call.presigned()) {
            return false;
        }
        String op = call.operation();
        return !(READS.contains(op) || op.startsWith("Get") || op.startsWith("List") || op.startsWith("Head")
                || op.startsWith("Describe"));
    }

    /** The writes of a request answered {@code status} that no designed exception explains; empty for a 2xx. */
    public static List<Call> unexpected(String method, String resource, int status, List<Call> calls, Tables tables) {
        if (status < 400 || status > 499) {
            return List.of();
        }
        List<Call> writes = calls.stream().filter(ApiWrites::isWrite).toList();
        if (writes.isEmpty()) {
            return writes;
        }
        String route = method + " " + resource;
        if (route.equals("POST /auth/login") && (status == 401 || status == 429) && loginFailureOnly(writes, tables)) {
            return List.of();
        }
        if (route.equals("POST /auth/refresh") && status == 401) {
            return writes.stream().filter(call -> !(on(call, tables.sessions())
                    && (call.operation().equals("PutItem") || call.operation().equals("UpdateItem")))).toList();
        }
        return writes;
    }

    /** At most two UpdateItems on Users, and on Sessions at most one PutItem with exactly as many DeleteItems. */
    private static boolean loginFailureOnly(List<Call> writes, Tables tables) {
        long userUpdates = 0;
        long sessionPuts = 0;
        long sessionDeletes = 0;
        for (Call call : writes) {
            if (on(call, tables.users()) && call.operation().equals("UpdateItem")) {
                userUpdates++;
            } else if (on(call, tables.sessions()) && call.operation().equals("PutItem")) {
                sessionPuts++;
            } else if (on(call, tables.sessions()) && call.operation().equals("DeleteItem")) {
                sessionDeletes++;
            } else {
                return false;
            }
        }
        return userUpdates <= 2 && sessionPuts <= 1 && sessionDeletes == sessionPuts;
    }

    private static boolean on(Call call, String table) {
        List<String> tables = call.resources().getOrDefault("TableName", List.of());
        return tables.size() == 1 && tables.get(0).equals(table);
    }

    /** The calls as lines for a failure message. */
    public static String describe(List<Call> calls) {
        StringBuilder out = new StringBuilder();
        for (Call call : calls) {
            out.append("\n  ").append(call.caller()).append(": ").append(call.service()).append(' ').append(call.operation())
                    .append(' ').append(call.resources()).append(call.succeeded() ? "" : " (refused)");
        }
        return out.toString();
    }

    /** A map of the calls' operations to how often, for reports. */
    public static Map<String, Long> operations(List<Call> calls) {
        return calls.stream().collect(java.util.stream.Collectors.groupingBy(c -> c.service() + ":" + c.operation(),
                java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }
}
