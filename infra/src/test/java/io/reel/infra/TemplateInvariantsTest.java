package io.reel.infra;

import static io.reel.infra.Repo.at;
import static io.reel.infra.Repo.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.reel.localaws.template.CloudFormationTemplate;
import io.reel.localaws.template.IntrinsicResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What template.yaml must keep for a deploy to be safe, each failure naming the resource and property: data kept and
 * recoverable, buckets private and TLS-only, keys used only by whom their policies name, every function's logs kept
 * for a bounded time, a transcode size a new account can deploy, and Rules refusing parameter combinations that
 * cannot work.
 */
class TemplateInvariantsTest {
    private static final CloudFormationTemplate TEMPLATE = CloudFormationTemplate.load(Repo.TEMPLATE);
    private static final Map<String, Object> RESOURCES = TEMPLATE.section("Resources");
    private static final Object RETAIN = Map.of("Fn::If", List.of("RetainsData", "Retain", "Delete"));

    @Test
    void everyTableIsEncryptedWithAKey_recoverableToTheSecond_andKeptWhenDataIsRetained() {
        List<String> problems = new ArrayList<>();
        for (var table : TEMPLATE.resourcesOfType("AWS::DynamoDB::Table")) {
            String id = table.logicalId();
            Object raw = RESOURCES.get(id);
            if (!Boolean.TRUE.equals(at(table.properties(), "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"))) {
                problems.add(id + ".PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled is not true");
            }
            if (!"KMS".equals(at(table.properties(), "SSESpecification", "SSEType"))
                    || at(table.properties(), "SSESpecification", "KMSMasterKeyId") == null) {
                problems.add(id + ".SSESpecification does not name a KMS key (SSEType KMS, KMSMasterKeyId)");
            }
            for (String policy : List.of("DeletionPolicy", "UpdateReplacePolicy")) {
                if (!RETAIN.equals(map(raw).get(policy))) {
                    problems.add(id + "." + policy + " is not !If [RetainsData, Retain, Delete]");
                }
            }
            if (!Map.of("Fn::If", List.of("RetainsData", true, false)).equals(table.properties().get("DeletionProtectionEnabled"))) {
                problems.add(id + ".DeletionProtectionEnabled is not !If [RetainsData, true, false]");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyBucketIsPrivate_encrypted_tlsOnly_andLogged() {
        List<String> problems = new ArrayList<>();
        var policies = TEMPLATE.resourcesOfType("AWS::S3::BucketPolicy");
        for (var bucket : TEMPLATE.resourcesOfType("AWS::S3::Bucket")) {
            String id = bucket.logicalId();
            Map<String, Object> block = map(bucket.properties().get("PublicAccessBlockConfiguration"));
            for (String flag : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
                if (!Boolean.TRUE.equals(block.get(flag))) {
                    problems.add(id + ".PublicAccessBlockConfiguration." + flag + " is not true");
                }
            }
            if (bucket.properties().get("BucketEncryption") == null) {
                problems.add(id + ".BucketEncryption is missing");
            }
            if (!id.equals("LogsBucket") && at(bucket.properties(), "LoggingConfiguration", "DestinationBucketName") == null) {
                problems.add(id + ".LoggingConfiguration.DestinationBucketName is missing (access logs go to LogsBucket)");
            }
            boolean tlsOnly = policies.stream()
                    .filter(p -> Map.of("Ref", id).equals(p.properties().get("Bucket")))
                    .flatMap(p -> ((List<?>) at(p.properties(), "PolicyDocument", "Statement")).stream())
                    .anyMatch(s -> "Deny".equals(at(s, "Effect")) && "false".equals(at(s, "Condition", "Bool", "aws:SecureTransport"))
                            && String.valueOf(at(s, "Resource")).contains(id + ".Arn}/*"));
            if (!tlsOnly) {
                problems.add(id + ": no bucket policy denies requests without TLS (aws:SecureTransport false) on the bucket and its objects");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void keysAreAdministeredByTheAccount_butUsedOnlyByWhomTheirPoliciesName() {
        List<String> problems = new ArrayList<>();
        List<String> usage = List.of("kms:*", "kms:Sign", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey",
                "kms:GenerateDataKey*", "kms:ReEncrypt*");
        for (var key : TEMPLATE.resourcesOfType("AWS::KMS::Key")) {
            String id = key.logicalId();
            for (Object statement : (List<?>) at(key.properties(), "KeyPolicy", "Statement")) {
                List<String> actions = Repo.list(at(statement, "Action"));
                boolean uses = actions.stream().anyMatch(usage::contains);
                if ("Allow".equals(at(statement, "Effect")) && uses && at(statement, "Condition") == null) {
                    problems.add(id + ".KeyPolicy statement " + at(statement, "Sid") + " allows " + actions
                            + " with no condition naming who (aws:PrincipalArn) or through what (kms:ViaService)");
                }
            }
            if (!"SIGN_VERIFY".equals(key.properties().get("KeyUsage")) && !Boolean.TRUE.equals(key.properties().get("EnableKeyRotation"))) {
                problems.add(id + ".EnableKeyRotation is not true");
            }
            if (!RETAIN.equals(map(RESOURCES.get(id)).get("DeletionPolicy"))) {
                problems.add(id + ".DeletionPolicy is not !If [RetainsData, Retain, Delete]");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyFunctionLogsToAGroupWithRetention_andIsBuiltThroughTheReactor() {
        List<String> problems = new ArrayList<>();
        for (var function : TEMPLATE.resourcesOfType("AWS::Serverless::Function")) {
            String id = function.logicalId();
            Object group = at(function.properties(), "LoggingConfig", "LogGroup");
            String groupId = group instanceof Map<?, ?> ref ? String.valueOf(ref.get("Ref")) : null;
            Object retention = groupId == null ? null : at(RESOURCES.get(groupId), "Properties", "RetentionInDays");
            if (retention == null) {
                problems.add(id + ".LoggingConfig.LogGroup is not a !Ref to an AWS::Logs::LogGroup with RetentionInDays");
            }
            if (!"makefile".equals(at(RESOURCES.get(id), "Metadata", "BuildMethod"))) {
                problems.add(id + ".Metadata.BuildMethod is not makefile");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void transcodeDeploysOnANewAccount_andCanBeKeptFromStarvingTheApi() {
        Map<String, Object> transcode = map(at(RESOURCES.get("TranscodeFunction"), "Properties"));
        assertThat(transcode.get("MemorySize")).as("TranscodeFunction.MemorySize").isEqualTo(Map.of("Ref", "TranscodeMemoryMB"));
        Object memory = at(TEMPLATE.section("Parameters"), "TranscodeMemoryMB", "Default");
        assertThat(Integer.parseInt(String.valueOf(memory))).as("TranscodeMemoryMB's Default (many new accounts may use"
                + " at most 3,008 MB)").isLessThanOrEqualTo(3008);
        assertThat(transcode).as("TranscodeFunction.ReservedConcurrentExecutions").containsKey("ReservedConcurrentExecutions");
    }

    @Test
    void theVpcOption_hasNoWayOutButItsEndpoints_andCoversEveryServiceTheFunctionsCall() {
        for (String type : List.of("AWS::EC2::InternetGateway", "AWS::EC2::NatGateway", "AWS::EC2::EgressOnlyInternetGateway",
                "AWS::EC2::VPCPeeringConnection", "AWS::EC2::TransitGatewayAttachment")) {
            assertThat(TEMPLATE.resourcesOfType(type)).as(type + " (the VPC must have no route out)").isEmpty();
        }
        List<String> services = TEMPLATE.resourcesOfType("AWS::EC2::VPCEndpoint").stream()
                .map(r -> String.valueOf(at(r.properties(), "ServiceName", "Fn::Sub")).replaceFirst(".*\\.", "")).toList();
        assertThat(services).as("VPC endpoints").containsExactlyInAnyOrder("s3", "dynamodb", "kms", "secretsmanager", "ssm", "xray");
        Object vpcConfig = at(TEMPLATE.section("Globals"), "Function", "VpcConfig");
        assertThat(vpcConfig).as("Globals.Function.VpcConfig").isInstanceOf(Map.class);
        assertThat(Repo.list(at(vpcConfig, "Fn::If"))).as("Globals.Function.VpcConfig is !If [UsesVpc, ...]").first()
                .isEqualTo("UsesVpc");
    }

    /** The site's CSP as CloudFront would send it for these parameters. */
    static String contentSecurityPolicy(Map<String, String> parameters) {
        Map<String, Map<String, String>> attributes = new java.util.HashMap<>();
        for (String bucket : List.of("MediaBucket", "UploadsBucket")) {
            String name = bucket.toLowerCase(java.util.Locale.ROOT) + "-1x2y3z";
            attributes.put(bucket, Map.of("RegionalDomainName", name + ".s3.us-east-1.amazonaws.com",
                    "DomainName", name + ".s3.amazonaws.com"));
        }
        var resolver = new IntrinsicResolver(TEMPLATE, new IntrinsicResolver.Context(parameters,
                Map.of("AWS::Region", "us-east-1", "AWS::AccountId", "123456789012", "AWS::Partition", "aws",
                        "AWS::StackName", "reel", "AWS::URLSuffix", "amazonaws.com"),
                Map.of("MediaBucket", "mediabucket-1x2y3z", "UploadsBucket", "uploadsbucket-1x2y3z"), attributes));
        Object csp = at(RESOURCES.get("SiteHeadersPolicy"), "Properties", "ResponseHeadersPolicyConfig",
                "SecurityHeadersConfig", "ContentSecurityPolicy", "ContentSecurityPolicy");
        return String.valueOf(resolver.resolve(csp, "SiteHeadersPolicy")).replaceAll("\\s+", " ");
    }

    @Test
    void theSitesCsp_letsThePageUploadAndPlay_withEveryMediaAndUploadSetting() {
        Map<String, String> signed = Map.of("CloudFrontPublicKeyPem", "pem", "CloudFrontPrivateKeySecretArn", "arn");
        for (Map<String, String> parameters : List.of(Map.<String, String>of(), signed, Map.of("UploadAcceleration", "true"))) {
            String csp = contentSecurityPolicy(parameters);
            String connect = csp.replaceFirst(".*connect-src ([^;]*);.*", "$1");
            assertThat(connect).as("connect-src with %s", parameters)
                    .contains("'self'", "https://uploadsbucket-1x2y3z.s3.us-east-1.amazonaws.com", "https://uploadsbucket-1x2y3z.s3.amazonaws.com");
            assertThat(csp).contains("script-src 'self';", "object-src 'none'", "frame-ancestors 'none'");
            boolean media = csp.contains("mediabucket-1x2y3z");
            assertThat(media).as("media from the bucket only when not signed for CloudFront, with %s", parameters)
                    .isEqualTo(!parameters.containsKey("CloudFrontPublicKeyPem"));
        }
        assertThat(contentSecurityPolicy(Map.of("UploadAcceleration", "true")))
                .contains("https://uploadsbucket-1x2y3z.s3-accelerate.amazonaws.com");
    }

    @Test
    void theApisOwnName_acceptsTls12AndAbove_only() {
        assertThat(at(RESOURCES.get("ApiDomainName"), "Properties", "SecurityPolicy")).as("ApiDomainName.SecurityPolicy")
                .isEqualTo("TLS_1_2");
        assertThat(at(RESOURCES.get("Distribution"), "Properties", "DistributionConfig", "ViewerCertificate", "Fn::If"))
                .as("Distribution.ViewerCertificate with a domain").asString().contains("TLSv1.2_2021");
    }

    @Test
    void rulesRefuseParameterCombinationsThatCannotWork() {
        assertThat(rulesHold(Map.of())).as("the defaults").isTrue();
        assertThat(rulesHold(IamPolicyIT.ALL_FEATURES)).as("everything configured").isTrue();
        assertThat(rulesHold(IamPolicyIT.SIGNED_MEDIA_WITHOUT_DOMAIN)).as("signed media, no domain").isTrue();
        assertThat(rulesHold(Map.of("SiteDomain", "reel.example.com"))).as("a domain without a certificate").isFalse();
        assertThat(rulesHold(Map.of("SiteCertificateArn", IamPolicyIT.ALL_FEATURES.get("SiteCertificateArn"))))
                .as("a certificate without a domain").isFalse();
        assertThat(rulesHold(Map.of("ApiDomain", "api.reel.example.com"))).as("an API domain without a certificate").isFalse();
        assertThat(rulesHold(Map.of("ApiCertificateArn", IamPolicyIT.ALL_FEATURES.get("ApiCertificateArn"))))
                .as("an API certificate without a domain").isFalse();
        assertThat(rulesHold(Map.of("CloudFrontPublicKeyPem", IamPolicyIT.ALL_FEATURES.get("CloudFrontPublicKeyPem"))))
                .as("a public key without its private half").isFalse();
        assertThat(rulesHold(Map.of("CloudFrontPrivateKeySecretArn", IamPolicyIT.ALL_FEATURES.get("CloudFrontPrivateKeySecretArn"))))
                .as("a private key without its public half").isFalse();
    }

    /** Every Rules assertion of the template, evaluated for these parameter values. */
    static boolean rulesHold(Map<String, String> parameters) {
        var resolver = new IntrinsicResolver(TEMPLATE, new IntrinsicResolver.Context(parameters,
                Map.of("AWS::Region", "us-east-1", "AWS::AccountId", "123456789012", "AWS::Partition", "aws",
                        "AWS::StackName", "reel", "AWS::URLSuffix", "amazonaws.com"), Map.of(), Map.of()));
        for (var rule : TEMPLATE.section("Rules").entrySet()) {
            Object condition = at(rule.getValue(), "RuleCondition");
            if (condition != null && !Boolean.TRUE.equals(resolver.resolve(condition, rule.getKey()))) {
                continue;
            }
            for (Object assertion : (List<?>) at(rule.getValue(), "Assertions")) {
                if (!Boolean.TRUE.equals(resolver.resolve(at(assertion, "Assert"), rule.getKey()))) {
                    return false;
                }
            }
        }
        return true;
    }
}
