package io.reel.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The part of a deploy no emulator checks: every AWS operation each function made while the other modules' tests ran
 * (recorded by local-aws's AwsCallLog into each module's target/aws-calls/) is held against that function's role as
 * SAM's transform writes it, plus the bucket policies naming the role. A call the role may not make fails here, with
 * the function, the IAM action, the resource and where the call was recorded; so does a role statement allowing a
 * wildcard action on every resource, and a function no test made a single call for (its calls would go unchecked).
 * Checked for the parameters' defaults and with every optional feature configured.
 */
class IamPolicyIT {
    /** Every optional parameter given a value, so the policies behind conditions are checked too. */
    static final Map<String, String> ALL_FEATURES = Map.ofEntries(
            Map.entry("CorsAllowOrigin", "https://reel.example.com"),
            Map.entry("SiteDomain", "reel.example.com"),
            Map.entry("SiteCertificateArn", "arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"),
            Map.entry("ApiDomain", "api.reel.example.com"),
            Map.entry("ApiCertificateArn", "arn:aws:acm:eu-west-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020101"),
            Map.entry("CloudFrontPublicKeyPem", "-----BEGIN PUBLIC KEY-----\nMIIBIjAN...\n-----END PUBLIC KEY-----"),
            Map.entry("CloudFrontPrivateKeySecretArn",
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:operator-cloudfront-key-AbCdEf"),
            Map.entry("CloudFrontWebAclArn", "arn:aws:wafv2:us-east-1:123456789012:global/webacl/reel/0f0e0d0c"),
            Map.entry("PiiKeyOperatorArn", "arn:aws:iam::123456789012:role/reel-operators"),
            Map.entry("TranscodeReservedConcurrency", "20"),
            Map.entry("AlarmEmail", "ops@example.com"),
            Map.entry("UploadAcceleration", "true"),
            Map.entry("UseVpc", "true"));

    /** Signed media on the distribution's own name: the media function reads that name from SSM. */
    static final Map<String, String> SIGNED_MEDIA_WITHOUT_DOMAIN = Map.of(
            "CloudFrontPublicKeyPem", "-----BEGIN PUBLIC KEY-----\nMIIBIjAN...\n-----END PUBLIC KEY-----",
            "CloudFrontPrivateKeySecretArn",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:operator-cloudfront-key-AbCdEf");

    record Call(String caller, String service, String operation, Map<String, List<String>> resources,
                boolean presigned, String module) {
        String describe() {
            return (presigned ? "presigned " : "") + service + "." + operation + " " + resources + " in " + module + "'s tests";
        }
    }

    static List<Call> recorded() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Call> calls = new ArrayList<>();
        try (Stream<Path> modules = Files.list(Repo.ROOT)) {
            for (Path folder : modules.map(m -> m.resolve("target/aws-calls")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.list(folder)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                        for (String line : Files.readAllLines(file)) {
                            JsonNode node = json.readTree(line);
                            Map<String, List<String>> resources = new TreeMap<>();
                            node.path("resources").properties().forEach(e -> {
                                List<String> values = new ArrayList<>();
                                e.getValue().forEach(v -> values.add(v.asText()));
                                resources.put(e.getKey(), values);
                            });
                            calls.add(new Call(node.path("caller").asText(), node.path("service").asText(),
                                    node.path("operation").asText(), resources, node.path("presigned").asBoolean(),
                                    folder.getParent().getParent().getFileName().toString()));
                        }
                    }
                }
            }
        }
        return calls;
    }

    /** The parameter sets each call is checked under: defaults, everything on, signed media without a domain. */
    static final Map<String, Map<String, String>> PARAMETER_SETS = new java.util.LinkedHashMap<>(Map.of());

    static {
        PARAMETER_SETS.put("the parameters' defaults", Map.of());
        PARAMETER_SETS.put("every optional feature configured", ALL_FEATURES);
        PARAMETER_SETS.put("signed media on the distribution's own name", SIGNED_MEDIA_WITHOUT_DOMAIN);
    }

    /**
     * Each call under every parameter set that configures what it needs (a call reading an SSM parameter needs a set
     * whose environment names one); a call no set configures fails too.
     */
    @Test
    void everyCallAFunctionMadeInTests_isAllowedByItsRoleAsSamDeploysIt() throws IOException {
        List<Call> calls = recorded();
        assertThat(calls).as("no AWS calls recorded under */target/aws-calls: run the functions' tests first"
                + " (./test.sh does)").isNotEmpty();
        TreeSet<String> failures = new TreeSet<>();
        TreeSet<String> unchecked = new TreeSet<>();
        Map<Call, Integer> configuredIn = new java.util.HashMap<>();
        Map<String, Integer> checked = new TreeMap<>();
        List<String> functionIds = null;
        for (var set : PARAMETER_SETS.entrySet()) {
            DeployedTemplate deployed = DeployedTemplate.with(set.getValue());
            var checker = new IamRequirements(deployed);
            functionIds = deployed.functions().stream().map(DeployedTemplate.Function::logicalId).toList();
            for (Call call : calls) {
                Optional<DeployedTemplate.Function> function = checker.function(call.caller());
                if (function.isEmpty()) {
                    unchecked.add(call.caller());
                    continue;
                }
                checked.merge(function.get().logicalId(), 1, Integer::sum);
                try {
                    checker.check(function.get(), call).forEach(f -> failures.add(f + ", with " + set.getKey()));
                    configuredIn.merge(call, 1, Integer::sum);
                } catch (IamRequirements.NotConfigured e) {
                    configuredIn.merge(call, 0, Integer::sum);
                }
            }
            for (var function : deployed.functions()) {
                checker.checkImplied(function).forEach(f -> failures.add(f + ", with " + set.getKey()));
            }
        }
        configuredIn.forEach((call, sets) -> {
            if (sets == 0) {
                failures.add(call.caller() + ": no parameter set configures what " + call.describe() + " needs");
            }
        });
        assertThat(unchecked).as("calls by handlers no function of the template has").isEmpty();
        assertThat(checked.keySet()).as("functions with recorded calls (one without any would go unchecked)")
                .containsExactlyInAnyOrderElementsOf(functionIds);
        assertThat(failures).as("calls the deployed roles would refuse").isEmpty();
    }

    @Test
    void noRoleStatementAllowsAWildcardActionOnEveryResource() {
        DeployedTemplate deployed = DeployedTemplate.with(ALL_FEATURES);
        List<String> offenders = new ArrayList<>();
        for (var role : deployed.template().resourcesOfType("AWS::IAM::Role")) {
            for (var statement : deployed.roleStatements(role.logicalId())) {
                if (Iam.isWildcardOnWildcard(statement)) {
                    offenders.add(statement.source() + ": " + statement.actions() + " on " + statement.resources());
                }
            }
        }
        assertThat(offenders).isEmpty();
    }
}
