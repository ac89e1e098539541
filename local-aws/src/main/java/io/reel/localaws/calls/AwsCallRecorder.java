package io.reel.localaws.calls;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.auth.signer.AwsSignerExecutionAttribute;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * A global SDK interceptor (listed in {@code software/amazon/awssdk/global/handlers/execution.interceptors}, so every
 * SDK client and presigner in a JVM with local-aws on its class path runs it) that hands each operation to
 * {@link AwsCallLog}: service, operation and the resources the request names, found anywhere in it (the tables of a
 * {@code TransactWriteItems}, the keys of a {@code BatchWriteItem}'s {@code RequestItems}). Does nothing unless
 * recording is on.
 */
public final class AwsCallRecorder implements ExecutionInterceptor {
    /** The parts of a {@code TransactWriteItems}/{@code TransactGetItems} item: each is an IAM action of its own. */
    private static final Set<String> ITEM_ACTIONS = Set.of("Put", "Update", "Delete", "ConditionCheck", "Get");
    private static final Set<String> RESOURCE_FIELDS =
            Set.of("TableName", "IndexName", "Bucket", "Key", "KeyId", "SecretId", "QueueUrl", "SourceBucket", "SourceKey",
                    "stateMachineArn");

    /** The call being made, for the watches to hear of when it finished. */
    private static final ExecutionAttribute<AwsCallLog.Call> CALL = new ExecutionAttribute<>("ReelAwsCall");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (!AwsCallLog.active()) {
            return;
        }
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Map<String, List<String>> resources = new TreeMap<>();
        collect(context.request(), resources, 0);
        boolean presigned = attributes.getAttribute(AwsSignerExecutionAttribute.PRESIGNER_EXPIRATION) != null;
        AwsCallLog.begin(service, operation, resources, presigned).ifPresent(call -> {
            if (presigned) {
                AwsCallLog.finished(call.finished(true)); // nothing is sent: signing it is all there is
            } else {
                attributes.putAttribute(CALL, call);
            }
        });
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        AwsCallLog.Call call = attributes.getAttribute(CALL);
        if (call != null) {
            AwsCallLog.finished(call.finished(true));
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        AwsCallLog.Call call = attributes.getAttribute(CALL);
        if (call != null) {
            AwsCallLog.finished(call.finished(false));
        }
    }

    /**
     * An object key as far as IAM needs it: its first segment ({@code uploads/…}, {@code videos/…}), so each video's
     * keys do not make a line each.
     */
    static String keyPrefix(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(0, slash + 1) + "…";
    }

    private static void collect(Object value, Map<String, List<String>> into, int depth) {
        if (depth > 8 || value == null) {
            return;
        }
        if (value instanceof SdkPojo pojo) {
            for (SdkField<?> field : pojo.sdkFields()) {
                Object fieldValue = field.getValueOrDefault(pojo);
                if (RESOURCE_FIELDS.contains(field.memberName()) && fieldValue instanceof String text) {
                    into.computeIfAbsent(field.memberName(), k -> new ArrayList<>())
                            .add(field.memberName().endsWith("Key") ? keyPrefix(text) : text);
                } else if (field.memberName().equals("RequestItems") && fieldValue instanceof Map<?, ?> items) {
                    items.keySet().forEach(k -> into.computeIfAbsent("TableName", x -> new ArrayList<>()).add(String.valueOf(k)));
                } else if (ITEM_ACTIONS.contains(field.memberName()) && fieldValue instanceof SdkPojo) {
                    into.computeIfAbsent("ItemAction", k -> new ArrayList<>()).add(field.memberName());
                    collect(fieldValue, into, depth + 1);
                } else if (fieldValue instanceof SdkPojo || fieldValue instanceof Collection<?>) {
                    collect(fieldValue, into, depth + 1);
                }
            }
        } else if (value instanceof Collection<?> list) {
            for (Object item : list) {
                collect(item, into, depth + 1);
            }
        }
    }
}
