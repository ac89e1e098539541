package io.reel.infra;

import io.reel.localaws.template.CloudFormationTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What IAM asks of a recorded call: the action(s) and resource ARN(s) it needs, in the stand-in names of
 * {@link DeployedTemplate}. Physical names from tests map to logical ids by local-aws's naming ({@code Videos-<suffix>}
 * is {@code VideosTable}, {@code uploads-<suffix>} is {@code UploadsBucket}); keys and secrets, whose test ids are
 * random, are the ones of that kind the function's environment names. Using a table encrypted with a KMS key needs
 * that key too (kms:Decrypt, and kms:Encrypt/GenerateDataKey to write), as DynamoDB uses it on the caller's behalf.
 */
final class IamRequirements {
    private static final Set<String> DYNAMO_WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem",
            "TransactWriteItems");
    private static final Map<String, List<String>> S3_ACTIONS = Map.ofEntries(
            Map.entry("GetObject", List.of("s3:GetObject")),
            Map.entry("HeadObject", List.of("s3:GetObject")),
            Map.entry("PutObject", List.of("s3:PutObject")),
            Map.entry("CopyObject", List.of("s3:PutObject")),
            Map.entry("CreateMultipartUpload", List.of("s3:PutObject")),
            Map.entry("UploadPart", List.of("s3:PutObject")),
            Map.entry("UploadPartCopy", List.of("s3:PutObject")),
            Map.entry("CompleteMultipartUpload", List.of("s3:PutObject")),
            Map.entry("AbortMultipartUpload", List.of("s3:AbortMultipartUpload")),
            Map.entry("ListParts", List.of("s3:ListMultipartUploadParts")),
            Map.entry("DeleteObject", List.of("s3:DeleteObject")),
            Map.entry("DeleteObjects", List.of("s3:DeleteObject")),
            Map.entry("GetObjectAttributes", List.of("s3:GetObject", "s3:GetObjectAttributes")));
    /** S3 operations on the bucket itself (resource: the bucket's ARN). */
    private static final Map<String, String> S3_BUCKET_ACTIONS = Map.of(
            "ListObjectsV2", "s3:ListBucket", "ListObjects", "s3:ListBucket", "HeadBucket", "s3:ListBucket",
            "ListMultipartUploads", "s3:ListBucketMultipartUploads");

    private final DeployedTemplate deployed;
    private final List<DeployedTemplate.Function> functions;
    private final Map<String, List<Iam.Statement>> bucketPolicies;

    IamRequirements(DeployedTemplate deployed) {
        this.deployed = deployed;
        this.functions = deployed.functions();
        this.bucketPolicies = deployed.bucketPolicies();
    }

    /** The function a recorded caller (a handler class, or {@code package:<name>}) is. */
    Optional<DeployedTemplate.Function> function(String caller) {
        return functions.stream().filter(f -> caller.startsWith("package:")
                ? f.handlerPackage().equals(caller.substring("package:".length()))
                : f.handlerClass().equals(caller)).findFirst();
    }

    /** An action on a resource; {@code viaService} when another service makes it for the caller (kms:ViaService). */
    record Need(String action, String resource, String viaService) {
        Need(String action, String resource) {
            this(action, resource, null);
        }
    }

    /** Failures (empty when allowed) of one recorded call. */
    List<String> check(DeployedTemplate.Function function, IamPolicyIT.Call call) {
        List<String> failures = new ArrayList<>();
        List<Need> needs;
        try {
            needs = needs(function, call);
        } catch (NotInTemplate e) {
            System.out.println("IAM check: not checked, " + e.getMessage() + ": " + call.describe());
            return List.of();
        } catch (NotConfigured e) {
            throw e;
        } catch (IllegalStateException e) {
            return List.of(function.logicalId() + ": " + e.getMessage() + " (" + call.describe() + ")");
        }
        for (Need need : needs) {
            if (!allowed(function, need)) {
                failures.add(function.logicalId() + ": " + need.action() + " on " + need.resource()
                        + " is not allowed by " + function.roleId() + " (" + call.service() + "." + call.operation()
                        + (call.presigned() ? ", presigned" : "") + " in " + call.module() + "'s tests)");
            }
        }
        return failures;
    }

    /** Calls the Lambda service makes with the function's role: logs, and its asynchronous failure destination. */
    List<String> checkImplied(DeployedTemplate.Function function) {
        List<String> failures = new ArrayList<>();
        List<String> managed = deployed.managedPolicies(function.roleId());
        if (managed.stream().noneMatch(m -> m.endsWith("/AWSLambdaBasicExecutionRole")
                || m.endsWith("/AWSLambdaVPCAccessExecutionRole"))) {
            failures.add(function.logicalId() + ": its role has neither AWSLambdaBasicExecutionRole nor"
                    + " AWSLambdaVPCAccessExecutionRole, so it cannot write its logs");
        }
        for (var config : deployed.template().resourcesOfType("AWS::Lambda::EventInvokeConfig")) {
            Object name = deployed.resolve(config.properties().get("FunctionName"), config.logicalId());
            if (!function.logicalId().equals(name)) {
                continue;
            }
            Object destinations = deployed.resolve(config.properties().get("DestinationConfig"), config.logicalId());
            if (destinations instanceof Map<?, ?> map) {
                for (Object side : map.values()) {
                    if (side instanceof Map<?, ?> d && d.get("Destination") instanceof String arn && arn.startsWith("arn:aws:sqs:")
                            && !allowed(function, new Need("sqs:SendMessage", arn))) {
                        failures.add(function.logicalId() + ": sqs:SendMessage on " + arn + " (its failure destination)"
                                + " is not allowed by " + function.roleId());
                    }
                }
            }
        }
        return failures;
    }

    private boolean allowed(DeployedTemplate.Function function, Need need) {
        String roleArn = DeployedTemplate.arn("AWS::IAM::Role", function.roleId());
        Map<String, String> context = new java.util.HashMap<>(Map.of("aws:PrincipalArn", roleArn,
                "aws:SecureTransport", "true", "kms:CallerAccount", DeployedTemplate.ACCOUNT));
        if (need.viaService() != null) {
            context.put("kms:ViaService", need.viaService());
        }
        boolean identity = Iam.allowed(deployed.roleStatements(function.roleId()), need.action(), need.resource(), context);
        String account = "arn:aws:iam::" + DeployedTemplate.ACCOUNT + ":root";
        if (need.resource().startsWith("arn:aws:s3:::")) {
            // Same account: the role's own policy or a bucket policy naming the role allows; any Deny refuses.
            String bucket = need.resource().substring("arn:aws:s3:::".length()).replaceFirst("/.*", "");
            List<Iam.Statement> policy = bucketPolicies.getOrDefault(bucket, List.of()).stream()
                    .filter(s -> s.awsPrincipals().contains(roleArn) || s.awsPrincipals().contains("*")
                            || "*".equals(s.principal())).toList();
            if (Iam.denied(policy, need.action(), need.resource(), context)) {
                return false;
            }
            return identity || Iam.allowed(policy, need.action(), need.resource(), context);
        }
        String keyPrefix = "arn:aws:kms:" + DeployedTemplate.REGION + ":" + DeployedTemplate.ACCOUNT + ":key/";
        if (need.resource().startsWith(keyPrefix)) {
            String keyId = need.resource().substring(keyPrefix.length());
            if (deployed.resource(keyId).isPresent()) {
                // The key policy must let the role in too: naming it, or the account (then IAM decides) under
                // conditions the call meets.
                List<Iam.Statement> policy = deployed.keyPolicy(keyId).stream()
                        .filter(s -> s.awsPrincipals().contains(roleArn) || s.awsPrincipals().contains(account)).toList();
                return identity && Iam.allowed(policy, need.action(), "*", context);
            }
        }
        return identity;
    }

    List<Need> needs(DeployedTemplate.Function function, IamPolicyIT.Call call) {
        String service = call.service().toLowerCase(Locale.ROOT);
        String op = call.operation();
        Map<String, List<String>> r = call.resources();
        List<Need> needs = new ArrayList<>();
        switch (service) {
            case "dynamodb" -> {
                for (String table : r.getOrDefault("TableName", List.of())) {
                    String logical = logical(table, "AWS::DynamoDB::Table", "Table");
                    String arn = DeployedTemplate.arn("AWS::DynamoDB::Table", logical);
                    List<String> actions = new ArrayList<>();
                    if (op.equals("TransactWriteItems") || op.equals("TransactGetItems")) {
                        for (String item : r.getOrDefault("ItemAction", List.of())) {
                            actions.add("dynamodb:" + (item.equals("ConditionCheck") ? "ConditionCheckItem" : item + "Item"));
                        }
                    } else {
                        actions.add("dynamodb:" + op);
                    }
                    List<String> indexes = r.getOrDefault("IndexName", List.of());
                    for (String action : actions) {
                        if (indexes.isEmpty()) {
                            needs.add(new Need(action, arn));
                        }
                        indexes.forEach(index -> needs.add(new Need(action, arn + "/index/" + index)));
                    }
                    String via = "dynamodb." + DeployedTemplate.REGION + ".amazonaws.com";
                    tableKey(logical).ifPresent(key -> {
                        needs.add(new Need("kms:Decrypt", key, via));
                        if (DYNAMO_WRITES.contains(op)) {
                            needs.add(new Need("kms:Encrypt", key, via));
                            needs.add(new Need("kms:GenerateDataKey", key, via));
                        }
                    });
                }
            }
            case "s3" -> {
                String bucket = DeployedTemplate.ref("AWS::S3::Bucket",
                        logical(single(r, "Bucket"), "AWS::S3::Bucket", "Bucket"));
                String bucketAction = S3_BUCKET_ACTIONS.get(op);
                if (bucketAction != null) {
                    needs.add(new Need(bucketAction, "arn:aws:s3:::" + bucket));
                } else if (S3_ACTIONS.containsKey(op)) {
                    String key = r.getOrDefault("Key", List.of("…")).get(0);
                    S3_ACTIONS.get(op).forEach(a -> needs.add(new Need(a, "arn:aws:s3:::" + bucket + "/" + key)));
                    if (r.containsKey("SourceBucket")) {
                        String source = DeployedTemplate.ref("AWS::S3::Bucket",
                                logical(single(r, "SourceBucket"), "AWS::S3::Bucket", "Bucket"));
                        needs.add(new Need("s3:GetObject", "arn:aws:s3:::" + source + "/"
                                + r.getOrDefault("SourceKey", List.of("…")).get(0)));
                    }
                } else {
                    throw new IllegalStateException("no IAM mapping for S3 operation " + op
                            + "; add it to IamRequirements with the action(s) the S3 documentation names");
                }
            }
            case "kms" -> {
                String usage = r.getOrDefault("KeyUsage", List.of("ENCRYPT_DECRYPT")).get(0);
                List<String> keys = environmentKeys(function, usage);
                if (keys.isEmpty()) {
                    throw new NotConfigured("it uses a KMS key for " + usage
                            + " but its environment names no key of that usage");
                }
                keys.forEach(key -> needs.add(new Need("kms:" + op, key)));
            }
            case "secretsmanager" -> {
                List<String> secrets = function.environment().values().stream()
                        .filter(v -> v.startsWith("arn:aws:secretsmanager:")).toList();
                if (secrets.isEmpty()) {
                    throw new NotConfigured("it reads a secret but its environment names none");
                }
                secrets.forEach(s -> needs.add(new Need("secretsmanager:" + op, s)));
            }
            case "sqs" -> needs.add(new Need("sqs:" + op, "arn:aws:sqs:" + DeployedTemplate.REGION + ":"
                    + DeployedTemplate.ACCOUNT + ":" + logical(single(r, "QueueUrl").replaceFirst(".*/", ""),
                    "AWS::SQS::Queue", "")));
            case "sfn" -> {
                // The devserver's ARN ends in the state machine's logical id.
                String machine = single(r, "stateMachineArn");
                String logical = logical(machine.substring(machine.lastIndexOf(':') + 1), "AWS::StepFunctions::StateMachine", "");
                needs.add(new Need("states:" + op, DeployedTemplate.arn("AWS::StepFunctions::StateMachine", logical)));
            }
            default -> throw new IllegalStateException("no IAM mapping for service " + call.service()
                    + "; add one to IamRequirements");
        }
        return needs;
    }

    /** A table or bucket a test set up outside the template on purpose (a missing bucket, to see the failure). */
    static final class NotInTemplate extends RuntimeException {
        NotInTemplate(String message) {
            super(message);
        }
    }

    /** A call of a feature these parameters leave off (the CloudFront key's secret when media is not signed). */
    static final class NotConfigured extends RuntimeException {
        NotConfigured(String message) {
            super(message);
        }
    }

    private static String single(Map<String, List<String>> resources, String field) {
        List<String> values = resources.getOrDefault(field, List.of());
        if (values.size() != 1) {
            throw new IllegalStateException("expected one " + field + ", recorded " + values);
        }
        return values.get(0);
    }

    /** A test's physical name ({@code Videos-catalogueit-1}, {@code uploads}) to the template's logical id. */
    private String logical(String physical, String type, String suffix) {
        String base = physical.split("-", 2)[0];
        return deployed.template().resourcesOfType(type).stream().map(CloudFormationTemplate.Resource::logicalId)
                .filter(id -> id.equalsIgnoreCase(base + suffix) || id.equalsIgnoreCase(base))
                .findFirst()
                .orElseThrow(() -> new NotInTemplate(physical + " is no " + type + " of the template"));
    }

    private Optional<String> tableKey(String tableId) {
        var table = deployed.resource(tableId).orElseThrow();
        if (table.properties().get("SSESpecification") instanceof Map<?, ?> sse && sse.get("KMSMasterKeyId") != null) {
            Object key = deployed.resolve(sse.get("KMSMasterKeyId"), tableId + ".SSESpecification");
            String text = String.valueOf(key);
            return Optional.of(text.startsWith("arn:") ? text : DeployedTemplate.arn("AWS::KMS::Key", text));
        }
        return Optional.empty();
    }

    /** The ARNs of the KMS keys of this usage ({@code SIGN_VERIFY}, {@code ENCRYPT_DECRYPT}) the environment names. */
    private List<String> environmentKeys(DeployedTemplate.Function function, String usage) {
        List<String> out = new ArrayList<>();
        for (String value : function.environment().values()) {
            for (String part : value.split(",")) {
                deployed.resource(part.trim()).filter(r -> r.type().equals("AWS::KMS::Key")).ifPresent(key -> {
                    Object keyUsage = key.properties().getOrDefault("KeyUsage", "ENCRYPT_DECRYPT");
                    if (usage.equals(String.valueOf(keyUsage))) {
                        out.add(DeployedTemplate.arn("AWS::KMS::Key", key.logicalId()));
                    }
                });
            }
        }
        return out;
    }
}
