package io.reel.infra;

import static org.assertj.core.api.Assertions.fail;

import io.reel.localaws.template.CloudFormationTemplate;
import io.reel.localaws.template.IntrinsicResolver;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * template.yaml as CloudFormation would create it: the AWS::Serverless transform done by aws-sam-translator
 * ({@code scripts/sam-translate.py}, so policy templates expand exactly as SAM expands them), then intrinsics resolved
 * for one set of parameter values, with stand-in names: account {@value #ACCOUNT}, region {@value #REGION}, and each
 * resource's physical name its logical id (a table {@code UsersTable} is {@code arn:aws:dynamodb:...:table/UsersTable},
 * a bucket {@code arn:aws:s3:::MediaBucket}, a key {@code arn:aws:kms:...:key/SigningKey}).
 */
final class DeployedTemplate {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";
    static final String STACK = "reel";

    private static String translated;

    private final CloudFormationTemplate template;
    private final IntrinsicResolver resolver;
    private final Map<String, List<Iam.Statement>> roleStatements = new HashMap<>();

    private DeployedTemplate(CloudFormationTemplate template, Map<String, String> parameters) {
        this.template = template;
        Map<String, String> refs = new HashMap<>();
        Map<String, Map<String, String>> attributes = new HashMap<>();
        for (var resource : template.resources()) {
            String id = resource.logicalId();
            refs.put(id, ref(resource.type(), id));
            attributes.put(id, Map.of("Arn", arn(resource.type(), id), "QueueName", id, "RoleId", id,
                    "KeyId", id, "Id", id, "Name", id));
        }
        this.resolver = new IntrinsicResolver(template, new IntrinsicResolver.Context(parameters,
                Map.of("AWS::Region", REGION, "AWS::AccountId", ACCOUNT, "AWS::Partition", "aws",
                        "AWS::StackName", STACK, "AWS::URLSuffix", "amazonaws.com"), refs, attributes));
    }

    /** The translated template with these parameter values (others take their Default). */
    static DeployedTemplate with(Map<String, String> parameters) {
        return new DeployedTemplate(CloudFormationTemplate.parse("template.yaml after SAM's transform", translated()), parameters);
    }

    /** The SAM transform's output; the translator runs once per test JVM. */
    static synchronized String translated() {
        if (translated == null) {
            Repo.requireTool(Repo.commandWorks("python3", "-c", "import samtranslator"), "aws-sam-translator");
            Repo.Run run = Repo.run(Repo.ROOT, Map.of(), 120, "python3", "scripts/sam-translate.py", "template.yaml");
            if (run.exit() != 0) {
                fail("SAM's transform refused template.yaml:%n%s", run.err());
            }
            translated = run.out();
        }
        return translated;
    }

    static String ref(String type, String id) {
        return switch (type) {
            case "AWS::SecretsManager::Secret" -> "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + id;
            case "AWS::SQS::Queue" -> "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT + "/" + id;
            case "AWS::SNS::Topic", "AWS::StepFunctions::StateMachine" -> arn(type, id);
            default -> id;
        };
    }

    static String arn(String type, String id) {
        return switch (type) {
            case "AWS::DynamoDB::Table" -> "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + id;
            case "AWS::S3::Bucket" -> "arn:aws:s3:::" + id;
            case "AWS::KMS::Key" -> "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + id;
            case "AWS::SecretsManager::Secret" -> ref(type, id);
            case "AWS::SQS::Queue" -> "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + id;
            case "AWS::SNS::Topic" -> "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":" + id;
            // As CloudFormation names a role it creates: stack name, logical id, random suffix.
            case "AWS::IAM::Role" -> "arn:aws:iam::" + ACCOUNT + ":role/" + STACK + "-" + id + "-Q1W2E3R4T5Y6";
            case "AWS::Lambda::Function" -> "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + id;
            // Named as the logical id here; CloudFormation adds a suffix, which the role's policy names the same way.
            case "AWS::StepFunctions::StateMachine" -> "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + id;
            default -> "arn:aws:" + type.toLowerCase().replace("::", "-") + ":" + REGION + ":" + ACCOUNT + ":" + id;
        };
    }

    CloudFormationTemplate template() {
        return template;
    }

    Object resolve(Object value, String where) {
        return resolver.resolve(value, where);
    }

    boolean condition(String name) {
        return resolver.condition(name);
    }

    Optional<CloudFormationTemplate.Resource> resource(String logicalId) {
        return template.resources().stream().filter(r -> r.logicalId().equals(logicalId)).findFirst();
    }

    /** A Lambda function as deployed: its handler, role and resolved environment. */
    record Function(String logicalId, String handlerClass, String roleId, Map<String, String> environment) {
        String handlerPackage() {
            return handlerClass.substring(0, handlerClass.lastIndexOf('.'));
        }
    }

    List<Function> functions() {
        return template.resourcesOfType("AWS::Lambda::Function").stream().map(r -> {
            String where = r.logicalId();
            String handler = String.valueOf(r.properties().get("Handler"));
            String role = String.valueOf(resolve(r.properties().get("Role"), where + ".Role"));
            String roleId = role.substring(role.lastIndexOf('/') + 1).replaceFirst("^" + STACK + "-(.*)-[A-Z0-9]+$", "$1");
            Map<String, String> env = new LinkedHashMap<>();
            if (r.properties().get("Environment") instanceof Map<?, ?> environment
                    && resolve(environment.get("Variables"), where + ".Environment") instanceof Map<?, ?> vars) {
                vars.forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
            }
            return new Function(r.logicalId(), handler.replaceFirst("::.*", ""), roleId, env);
        }).toList();
    }

    /** The statements of a role's inline policies, resolved, each with the policy it comes from. */
    List<Iam.Statement> roleStatements(String roleId) {
        return roleStatements.computeIfAbsent(roleId, id -> {
            var role = resource(id).orElseThrow(() -> new AssertionError("no role " + id));
            return Iam.statements(resolve(role.properties().get("Policies"), id + ".Policies"), id);
        });
    }

    List<String> managedPolicies(String roleId) {
        var role = resource(roleId).orElseThrow(() -> new AssertionError("no role " + roleId));
        return Repo.list(resolve(role.properties().get("ManagedPolicyArns"), roleId + ".ManagedPolicyArns"));
    }

    /** The statements of a KMS key's key policy. */
    List<Iam.Statement> keyPolicy(String keyId) {
        var key = resource(keyId).orElseThrow(() -> new AssertionError("no key " + keyId));
        Object document = resolve(key.properties().get("KeyPolicy"), keyId + ".KeyPolicy");
        return Iam.statements(List.of(Map.of("PolicyName", "KeyPolicy", "PolicyDocument", document)), keyId);
    }

    /** Every bucket policy's statements by the bucket's logical id. */
    Map<String, List<Iam.Statement>> bucketPolicies() {
        Map<String, List<Iam.Statement>> out = new HashMap<>();
        for (var policy : template.resourcesOfType("AWS::S3::BucketPolicy")) {
            if (isConditionedOut(policy.logicalId())) {
                continue;
            }
            String bucket = String.valueOf(resolve(policy.properties().get("Bucket"), policy.logicalId() + ".Bucket"));
            Object document = resolve(policy.properties().get("PolicyDocument"), policy.logicalId());
            out.computeIfAbsent(bucket, k -> new java.util.ArrayList<>())
                    .addAll(Iam.statements(List.of(Map.of("PolicyName", policy.logicalId(), "PolicyDocument", document)),
                            policy.logicalId()));
        }
        return out;
    }

    /** False when the resource's own {@code Condition} is false for these parameters. */
    boolean isConditionedOut(String logicalId) {
        return resource(logicalId).map(r -> rawCondition(logicalId)).map(c -> !condition(c)).orElse(false);
    }

    private String rawCondition(String logicalId) {
        Object raw = template.section("Resources").get(logicalId);
        return raw instanceof Map<?, ?> map && map.get("Condition") instanceof String c ? c : null;
    }
}
