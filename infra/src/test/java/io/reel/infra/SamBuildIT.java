package io.reel.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.reel.localaws.template.CloudFormationTemplate;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code sam build} as SAM's builder runs it, for every function of template.yaml, from this checkout with nothing
 * built before: the CodeUri folder copied to a scratch folder, then {@code make --makefile <CodeUri>/Makefile
 * build-<LogicalId>} run there with ARTIFACTS_DIR set (aws-lambda-builders' CustomMakeWorkflow; the template gives
 * every function {@code Metadata: BuildMethod: makefile}, because SAM's own Java Maven builder copies only the CodeUri
 * folder and cannot find the parent POM, aws-sam-cli #1105). The artifact must hold the handler class and its
 * libraries; its zipped size is reported (infra/target/artifact-sizes.md) and held to Lambda's limits, an API
 * function's to 15 MB. An API function's artifact leaves out libraries its code never loads, so its handler is also
 * built and sent requests in a JVM holding nothing but the artifact ({@link ArtifactSmoke}).
 */
class SamBuildIT {
    private static final long LAMBDA_UNZIPPED_LIMIT = 250L * 1024 * 1024;
    private static final long API_FUNCTION_ZIPPED_GOAL = 15L * 1024 * 1024;
    private static final Path REPORT = Repo.ROOT.resolve("infra/target/artifact-sizes.md");

    @org.junit.jupiter.api.BeforeAll
    static void freshReport() throws IOException {
        Files.deleteIfExists(REPORT);
    }

    static List<String> functions() {
        return CloudFormationTemplate.load(Repo.TEMPLATE).resourcesOfType("AWS::Serverless::Function").stream()
                .map(CloudFormationTemplate.Resource::logicalId).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void samBuildsTheFunctionFromACleanCopyOfItsCodeUri(String logicalId, @TempDir Path temp) throws IOException {
        Map<String, Object> raw = Repo.map(CloudFormationTemplate.load(Repo.TEMPLATE).section("Resources").get(logicalId));
        Map<String, Object> properties = Repo.map(raw.get("Properties"));
        Map<String, Object> metadata = Repo.map(raw.get("Metadata"));
        assertThat(metadata.get("BuildMethod")).as("%s Metadata.BuildMethod: SAM's Maven builder copies only the CodeUri"
                + " folder and finds no parent POM (aws-sam-cli #1105); build through the reactor with a Makefile", logicalId)
                .isEqualTo("makefile");
        Path code = Repo.ROOT.resolve(String.valueOf(properties.get("CodeUri")));
        Path makefile = code.resolve("Makefile");
        assertThat(makefile).as("%s's Makefile", logicalId).isRegularFile();
        assertThat(Files.readString(makefile)).as("%s's Makefile target", logicalId).contains("build-" + logicalId + ":");

        Path scratch = temp.resolve("scratch");
        Path artifacts = temp.resolve("artifacts");
        copy(code, scratch);
        Files.createDirectories(artifacts);
        Repo.Run run = Repo.run(scratch, Map.of("ARTIFACTS_DIR", artifacts.toString()), 1200,
                "make", "--makefile", makefile.toString(), "build-" + logicalId);
        assertThat(run.exit()).as("make build-%s:%n%s%n%s", logicalId, run.out(), run.err()).isZero();

        String handler = String.valueOf(properties.get("Handler")).replaceFirst("::.*", "");
        assertThat(artifacts.resolve(handler.replace('.', '/') + ".class")).as("the handler class in the artifact")
                .isRegularFile();
        List<Path> jars;
        try (Stream<Path> lib = Files.list(artifacts.resolve("lib"))) {
            jars = lib.sorted(Comparator.comparingLong(SamBuildIT::size).reversed()).toList();
        }
        assertThat(jars).as("runtime libraries under lib/").isNotEmpty()
                .anyMatch(j -> j.getFileName().toString().startsWith("io.reel.reel-core-"));
        long unzipped = treeSize(artifacts);
        long zipped = zippedSize(artifacts);
        assertThat(unzipped).as("%s unzipped (Lambda's limit is 250 MB)", logicalId).isLessThan(LAMBDA_UNZIPPED_LIMIT);

        if (SMOKED.contains(logicalId)) {
            runFromTheArtifactAlone(logicalId, artifacts, temp.resolve("keys"), Map.of(), null);
            if (logicalId.equals("AuthorizerFunction")) {
                runWithKmsKeys(logicalId, artifacts, temp.resolve("keys"));
            }
            // The goal for an API function (cold starts load less; docs/deploy.md lists what is left out).
            assertThat(zipped).as("%s zipped", logicalId).isLessThanOrEqualTo(API_FUNCTION_ZIPPED_GOAL);
        }

        List<String> top = new ArrayList<>();
        for (Path jar : jars.subList(0, Math.min(4, jars.size()))) {
            top.add(jar.getFileName() + " " + mb(size(jar)));
        }
        String line = "| " + logicalId + " | " + mb(zipped) + " | " + mb(unzipped) + " | " + String.join(", ", top) + " |";
        System.out.println("sam build " + line);
        synchronized (SamBuildIT.class) {
            Files.createDirectories(REPORT.getParent());
            if (!Files.exists(REPORT)) {
                Files.writeString(REPORT, "| function | zipped | unzipped | largest libraries |\n|---|---|---|---|\n");
            }
            Files.writeString(REPORT, line + "\n", java.nio.file.StandardOpenOption.APPEND);
        }
    }

    /** The API functions, whose artifacts leave libraries out (profile lambda's reel.lambda.exclude). */
    private static final java.util.Set<String> SMOKED = java.util.Set.of("AuthFunction", "AuthorizerFunction", "MediaFunction");

    /**
     * The handler built and sent requests in a JVM holding only its artifact ({@link ArtifactSmoke}): a library the
     * packaging left out that the code does load fails here, not in Lambda.
     */
    /**
     * The authorizer as in AWS: no key files, its keys read from KMS (SIGNING_KEY_ID and a retired key) without a KMS
     * client, from an endpoint speaking KMS's protocol; a token the KMS key signed must then be verified.
     */
    private static void runWithKmsKeys(String logicalId, Path artifacts, Path keys) throws IOException {
        var kms = new io.reel.localaws.kms.FakeKms();
        String current = kms.createSigningKey();
        String retired = kms.createSigningKey();
        try (var endpoint = io.reel.localaws.kms.KmsHttpEndpoint.start(kms)) {
            String token = io.reel.core.token.JwtTokenSigner.withKms("urn:reel:smoke", "reel-api",
                    new io.reel.core.token.KmsRs256Algorithm(kms, current)).sign(new io.reel.core.domain.TokenClaims("u-viewer",
                    "viewer", io.reel.core.domain.Role.VIEWER.scopes(), 0, "t1", java.time.Instant.now(),
                    java.time.Instant.now().plusSeconds(900)));
            String out = runFromTheArtifactAlone(logicalId, artifacts, keys, Map.of("SIGNING_KEY_ID", current,
                    "RETIRED_SIGNING_KEY_IDS", retired, "AWS_ENDPOINT_URL_KMS", endpoint.uri().toString()), token);
            assertThat(endpoint.requests()).as("GetPublicKey for the signing key and the retired one").hasSize(2)
                    .allSatisfy(r -> assertThat(r.header("X-Amz-Target")).isEqualTo("TrentService.GetPublicKey"));
            assertThat(out.split("authorizer.refused", -1)).as("only the junk token is refused: %s", out).hasSize(2);
            assertThat(out).as("the KMS-signed token is verified, then the standing read meets a refused connection")
                    .contains("SdkClientException: Unable to execute HTTP request");
        }
    }

    private static String runFromTheArtifactAlone(String logicalId, Path artifacts, Path keys, Map<String, String> extraEnv,
                                                  String token) throws IOException {
        Files.createDirectories(keys);
        String launcher;
        try {
            launcher = Path.of(ArtifactSmoke.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        String classPath = artifacts + java.io.File.pathSeparator + artifacts.resolve("lib") + "/*"
                + java.io.File.pathSeparator + launcher;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The function's environment as the devserver gives it (local key files; AWS endpoints that refuse connections):
        // Lambda's runtime builds the handler with its no-arg constructor, which reads the environment.
        Map<String, String> env = new java.util.HashMap<>(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "local",
                "AWS_SECRET_ACCESS_KEY", "local-secret", "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9",
                "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9", "REEL_LOCAL_KEYS_DIR", keys.toString(), "USERS_TABLE", "Users",
                "SESSIONS_TABLE", "Sessions", "VIDEOS_TABLE", "Videos", "PLAYBACK_POSITIONS_TABLE", "PlaybackPositions"));
        env.putAll(Map.of("MEDIA_BUCKET", "media", "UPLOADS_BUCKET", "uploads", "TOKEN_ISSUER", "urn:reel:smoke",
                "TOKEN_AUDIENCE", "reel-api", "REEL_AWS_CALL_TIMEOUT", "2s", "REEL_AWS_ATTEMPT_TIMEOUT", "1s"));
        // Lambda sets these; the SDK then adds the X-Ray trace id to its calls (utils-lite's thread local).
        env.putAll(Map.of("AWS_LAMBDA_FUNCTION_NAME", logicalId, "_X_AMZN_TRACE_ID", "Root=1-67891233-abcdef012345678912345678"));
        if (!extraEnv.isEmpty()) {
            env.remove("REEL_LOCAL_KEYS_DIR");
            env.putAll(extraEnv);
        }
        Path loaded = Files.createTempFile("reel-smoke-classes", ".txt");
        List<String> command = new ArrayList<>(List.of(java, "-Xlog:class+load=info:file=" + loaded, "-cp", classPath,
                ArtifactSmoke.class.getName(), logicalId, keys.toString()));
        if (token != null) {
            command.add(token);
        }
        Repo.Run run = Repo.run(artifacts, env, 300, command.toArray(String[]::new));
        System.out.println("smoke " + logicalId + ":\n" + run.out());
        assertThat(run.out()).as("%s run from its artifact alone:%n%s%n%s", logicalId, run.out(), run.err())
                .doesNotContain("MISSING").containsPattern("(answered|refused) ");
        assertThat(run.exit()).as("%s run from its artifact alone:%n%s%n%s", logicalId, run.out(), run.err()).isZero();
        assertThat(run.out()).as("SnapStart's priming ran from the artifact").contains("primed 1");
        everyLibraryIsLoaded(logicalId, artifacts, Files.readString(loaded));
        Files.deleteIfExists(loaded);
        return run.out();
    }

    /**
     * Libraries the smoke (local keys, no secrets, endpoints that refuse connections) cannot show loaded: each named
     * with what loads it in AWS. Anything else in lib/ that the smoke did not load from is a library the function ships
     * and never uses.
     */
    private static final Map<String, Map<String, String>> AWS_ONLY = Map.of(
            "AuthFunction", Map.of("software.amazon.awssdk.kms-", "signs access tokens and encrypts emails with KMS keys"),
            "MediaFunction", Map.of("software.amazon.awssdk.secretsmanager-", "reads the playback-token and CloudFront keys",
                    // Left in: S3's classes name them, and the smoke reaches only some of the S3 calls media makes.
                    "software.amazon.awssdk.arns-", "S3's client, for buckets named by ARN",
                    "software.amazon.awssdk.crt-core-", "S3's client, for CRT checksums and SigV4a where a bucket needs them"));

    private static void everyLibraryIsLoaded(String logicalId, Path artifacts, String classLog) throws IOException {
        List<String> unused = new ArrayList<>();
        try (Stream<Path> jars = Files.list(artifacts.resolve("lib"))) {
            for (Path jar : jars.sorted().toList()) {
                String name = jar.getFileName().toString();
                boolean awsOnly = AWS_ONLY.getOrDefault(logicalId, Map.of()).keySet().stream().anyMatch(name::startsWith);
                if (!awsOnly && !classLog.contains("source: file:" + jar.toAbsolutePath())) {
                    unused.add(name);
                }
            }
        }
        assertThat(unused).as("%s ships libraries that no request, priming or start-up loads", logicalId).isEmpty();
    }

    /** What SAM's CopySourceAction does (target/ left out: it is rebuilt and only makes the copy slower). */
    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.filter(p -> !from.relativize(p).startsWith("target")).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long treeSize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(SamBuildIT::size).sum();
        }
    }

    /** The artifact zipped as sam package zips it (deflate). */
    private static long zippedSize(Path dir) throws IOException {
        var counter = new OutputStream() {
            long count;

            @Override
            public void write(int b) {
                count++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count += len;
            }
        };
        try (ZipOutputStream zip = new ZipOutputStream(counter); Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(dir.relativize(file).toString()));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        return counter.count;
    }

    private static String mb(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1024.0 / 1024.0);
    }
}
