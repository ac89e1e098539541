package io.reel.bench.cold;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reel.core.aws.DynamoDbUserStore;
import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.domain.Rendition;
import io.reel.core.domain.Role;
import io.reel.core.domain.TokenClaims;
import io.reel.core.domain.User;
import io.reel.core.domain.UserStatus;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import io.reel.core.security.Argon2idPasswordHasher;
import io.reel.core.token.JwtTokenSigner;
import io.reel.core.token.RsaKeys;
import io.reel.localaws.LocalAws;
import io.reel.localaws.ProvisionedResources;
import io.reel.localaws.ResourceNamer;
import io.reel.localaws.template.TemplateResources;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Cold starts of the API functions, each in a fresh JVM with Lambda's java21 flags, fed its event as the runtime feeds
 * it ({@link FirstRequest}), against DynamoDB Local and S3Proxy started once in this JVM. Runs are interleaved
 * (function after function, the order rotated each round) so drift on the machine hits all of them alike; each child's
 * answer is checked, so a fast failure is not a fast start.
 *
 * <p>{@code ColdStart RUNS ARTIFACTS [--prime]}: {@code ARTIFACTS} holds {@code auth/}, {@code authorizer/} and
 * {@code media/}, each a function's Lambda artifact as {@code sam build} lays it out (classes at the root, jars in
 * {@code lib/}); the child's class path is that artifact and nothing of Reel's besides. The plain sample
 * ({@link PlainSampleHandler}) runs on the SDK's DynamoDB client, Apache HTTP client, Jackson and Lambda's event
 * classes. With {@code --prime}, each function's SnapStart priming runs before its first request, and the figure is
 * that request's time in the same JVM. {@code --only=media,auth} picks functions by the start of their names;
 * {@code --jvm=FLAG} adds a flag to every child ({@code {function}} in it becomes the function's name), e.g.
 * {@code --jvm=-Xlog:class+load:file=/tmp/{function}.txt}; {@code --env=NAME=VALUE} sets a variable in every child;
 * {@code --warm=N} sends N more requests after the second and reports the per-request time once the JIT has settled.
 */
public final class ColdStart {
    /** What Lambda's java21 runtime starts the JVM with (plus its own -Xshare:auto, the JVM's default anyway). */
    static final List<String> LAMBDA_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final String PASSWORD = "correct horse battery staple";
    private static final String ISSUER = "urn:reel:bench";
    private static final String AUDIENCE = "reel-api";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Function(String name, String handler, Path artifact, String event) {
    }

    record Run(String function, long firstMs, double inJvmFirstMs, double constructMs, double primeMs, double secondMs,
               int classes, double warmMs, double hashMs) {
    }

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        Path artifacts = Path.of(args[1]);
        boolean prime = Arrays.asList(args).contains("--prime");
        int warm = Arrays.stream(args).filter(a -> a.startsWith("--warm=")).mapToInt(a -> Integer.parseInt(a.substring(7)))
                .findFirst().orElse(0);
        List<String> jvmFlags = Arrays.stream(args).filter(a -> a.startsWith("--jvm=")).map(a -> a.substring(6)).toList();
        List<String> only = Arrays.stream(args).filter(a -> a.startsWith("--only=")).map(a -> a.substring(7))
                .flatMap(a -> Arrays.stream(a.split(","))).toList();
        Path work = Files.createTempDirectory("reel-cold");
        try (LocalAws aws = LocalAws.builder().start()) {
            ProvisionedResources names = aws.provision(TemplateResources.locateTemplate(Path.of("")), ResourceNamer.plain());
            Path keys = Files.createDirectories(work.resolve("keys"));
            Path home = Files.createDirectories(work.resolve("home"));
            var userStore = new DynamoDbUserStore(aws.dynamoDb(), names.table("UsersTable"));
            userStore.create(new User("u-bench", "bench", Argon2idPasswordHasher.create().hash(PASSWORD.toCharArray()),
                    Set.of(Role.VIEWER, Role.UPLOADER), UserStatus.ACTIVE, 0, 0, null, null, Instant.now()));
            String videoId = VideoIds.newId();
            Instant now = Instant.now();
            new DynamoDbVideoStore(aws.dynamoDb(), names.table("VideosTable")).create(new Video(videoId, "u-bench", "Bench",
                    "A cold start", VideoStatus.READY, null, Duration.ofSeconds(60), 1280, 720,
                    List.of(new Rendition("720p", Rendition.Kind.MP4, 1280, 720, 3000, VideoIds.mediaPrefix(videoId) + "720p.mp4")),
                    VideoIds.mediaPrefix(videoId) + "poster.jpg", null, now, now));
            String token = JwtTokenSigner.withKeyPair(ISSUER, AUDIENCE, RsaKeys.loadOrCreate(keys.resolve("signing-key.pem")))
                    .sign(new TokenClaims("u-bench", "bench", Role.VIEWER.scopes(), 0, UUID.randomUUID().toString(), now,
                            now.plus(Duration.ofHours(2))));

            Map<String, String> env = new HashMap<>(aws.env().asMap());
            env.putAll(Map.of("USERS_TABLE", names.table("UsersTable"), "SESSIONS_TABLE", names.table("SessionsTable"),
                    "VIDEOS_TABLE", names.table("VideosTable"), "PLAYBACK_POSITIONS_TABLE",
                    names.table("PlaybackPositionsTable"), "MEDIA_BUCKET", names.bucket("MediaBucket"),
                    "UPLOADS_BUCKET", names.bucket("UploadsBucket"), "REEL_LOCAL_KEYS_DIR", keys.toString(),
                    "TOKEN_ISSUER", ISSUER, "TOKEN_AUDIENCE", AUDIENCE, "HOME", home.toString()));
            env.put("PATH", System.getenv("PATH"));
            Arrays.stream(args).filter(a -> a.startsWith("--env=")).map(a -> a.substring(6).split("=", 2))
                    .forEach(kv -> env.put(kv[0], kv[1]));

            Path events = Files.createDirectories(work.resolve("events"));
            Path eventsDir = TemplateResources.locateTemplate(Path.of("")).getParent().resolve("events");
            String getVideo = Files.readString(eventsDir.resolve("media-get-video.json"))
                    .replace("k7t3v4x2m5n6p2r7sqawbecdfg", videoId);
            ObjectNode login = (ObjectNode) JSON.readTree(eventsDir.resolve("auth-login.json").toFile());
            login.put("body", JSON.writeValueAsString(Map.of("username", "bench", "password", PASSWORD)));
            String authorizer = Files.readString(eventsDir.resolve("authorizer-allowed.json"))
                    .replace("REPLACE_WITH_VIEWER_ACCESS_TOKEN", token);
            Path runtime = harnessClasses(work);
            List<Function> functions = new ArrayList<>(List.of(
                    new Function("media GET /videos/{id}", "io.reel.media.MediaHandler", artifacts.resolve("media"),
                            write(events, "media.json", withCaller(getVideo))),
                    new Function("auth POST /auth/login", "io.reel.auth.AuthHandler", artifacts.resolve("auth"),
                            write(events, "auth.json", JSON.writeValueAsString(login))),
                    new Function("authorizer TOKEN", "io.reel.authorizer.AuthorizerHandler", artifacts.resolve("authorizer"),
                            write(events, "authorizer.json", authorizer))));
            if (!prime) {
                functions.add(new Function("plain SDK sample", PlainSampleHandler.class.getName(), null,
                        write(events, "sample.json", getVideo)));
            }
            if (!only.isEmpty()) {
                functions.removeIf(f -> only.stream().noneMatch(f.name()::startsWith));
            }
            System.out.printf("cold start: %d runs of %s, %s%n", runs, functions.stream().map(Function::name).toList(),
                    prime ? "SnapStart priming, then the first request in the same JVM" : "fresh JVM to first answer");
            Map<String, List<Run>> results = new LinkedHashMap<>();
            functions.forEach(f -> results.put(f.name(), new ArrayList<>()));
            for (int round = 0; round < runs; round++) {
                for (int i = 0; i < functions.size(); i++) {
                    Function f = functions.get((i + round) % functions.size());
                    results.get(f.name()).add(runOnce(f, runtime, env, prime, jvmFlags, warm));
                }
            }
            report(functions, results, prime);
        }
    }

    /** The sample event with the authorizer's context API Gateway adds for a signed-in viewer. */
    private static String withCaller(String event) throws IOException {
        ObjectNode tree = (ObjectNode) JSON.readTree(event);
        ((ObjectNode) tree.get("requestContext")).set("authorizer", JSON.valueToTree(
                Map.of("userId", "u-bench", "username", "bench", "scopes", "videos:read")));
        return JSON.writeValueAsString(tree);
    }

    private static Run runOnce(Function f, Path runtime, Map<String, String> env, boolean prime, List<String> jvmFlags, int warm)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAMBDA_FLAGS);
        for (String flag : jvmFlags) {
            command.add(flag.replace("{function}", f.name().replaceAll("[^A-Za-z]+", "-")));
        }
        command.add("-cp");
        command.add(classPath(f, runtime));
        command.add(FirstRequest.class.getName());
        command.add(f.handler());
        command.add(f.event());
        if (prime) {
            command.add("--prime");
        }
        if (warm > 0) {
            command.add("--warm=" + warm);
        }
        if (f.handler().endsWith("AuthHandler")) {
            command.add("--hash");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process process = builder.start();
        long firstMs = -1;
        Map<String, String> values = new HashMap<>();
        List<String> other = new ArrayList<>();
        try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("COLD|first|")) {
                    firstMs = (System.nanoTime() - start) / 1_000_000;
                }
                if (line.startsWith("COLD|")) {
                    String[] parts = line.split("\\|", 3);
                    values.put(parts[1], parts[2]);
                } else if (other.size() < 40) {
                    other.add(line);
                }
            }
        }
        int exit = process.waitFor();
        String answer = values.getOrDefault("answer", "");
        if (exit != 0 || firstMs < 0 || !succeeded(answer) || !succeeded(values.getOrDefault("answer2", ""))) {
            throw new IllegalStateException(f.name() + " did not answer as expected (exit " + exit + "): " + answer
                    + "\n" + String.join("\n", other));
        }
        String[] first = values.get("first").split("\\|");
        return new Run(f.name(), firstMs, Long.parseLong(first[0]) / 1e6, Long.parseLong(first[1]) / 1e6,
                Long.parseLong(first[2]) / 1e6, Long.parseLong(values.get("second")) / 1e6,
                Integer.parseInt(values.get("classes")),
                values.containsKey("warm") ? Long.parseLong(values.get("warm")) / 1e6 : Double.NaN,
                values.containsKey("hash") ? Long.parseLong(values.get("hash")) / 1e6 : Double.NaN);
    }

    /** A 200 from an API function, an Allow policy from the authorizer. */
    private static boolean succeeded(String answer) {
        return answer.contains("\"statusCode\":200") || answer.contains("\"Effect\":\"Allow\"");
    }

    private static String classPath(Function f, Path runtime) throws IOException {
        List<String> entries = new ArrayList<>();
        if (f.artifact() != null) {
            if (Files.exists(f.artifact().resolve("io"))) {
                entries.add(f.artifact().toString());
            }
            try (Stream<Path> jars = Files.list(f.artifact().resolve("lib"))) {
                jars.sorted().forEach(jar -> entries.add(jar.toString()));
            }
        } else {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (inPlainSample(entry)) {
                    entries.add(entry);
                }
            }
        }
        entries.add(runtime.toString());
        // The Java runtime's own library: its event serializer (for a typed RequestHandler, such as the sample).
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("aws-lambda-java-serialization")) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The sample's libraries: the SDK with only the Apache HTTP client, Jackson, Lambda's core and event classes. */
    private static boolean inPlainSample(String entry) {
        if (entry.contains("url-connection-client") || entry.contains("netty-nio-client") || entry.contains("aws-crt")) {
            return false;
        }
        return Stream.of("/software/amazon/awssdk/", "/org/apache/httpcomponents/", "/commons-logging/", "/commons-codec/",
                "/com/fasterxml/jackson/core/", "/aws-lambda-java-core/", "/aws-lambda-java-events/", "/org/reactivestreams/",
                "/org/slf4j/slf4j-api/", "/joda-time/").anyMatch(entry::contains);
    }

    /**
     * The child's own classes, in a jar of their own so the bench's class path stays out of the child's (and a jar, not a
     * folder, so a class-data-sharing archive may be dumped from the child: CDS refuses non-empty folders).
     */
    private static Path harnessClasses(Path work) throws IOException {
        Path source = Path.of(FirstRequest.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        // A fixed path, rewritten only when its classes change: a CDS archive dumped by one run is used by the next only
        // if the class path's jars are the same files, modification times included.
        Path jar = Path.of(System.getProperty("java.io.tmpdir"), "reel-cold-start-runtime.jar");
        var bytes = new java.io.ByteArrayOutputStream();
        try (Stream<Path> files = Files.list(source.resolve("io/reel/bench/cold"));
             var out = new java.util.jar.JarOutputStream(bytes)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("FirstRequest") || name.startsWith("PlainSampleHandler")) {
                    ZipEntry entry = new ZipEntry("io/reel/bench/cold/" + name);
                    entry.setTime(0);
                    out.putNextEntry(entry);
                    Files.copy(file, out);
                    out.closeEntry();
                }
            }
        }
        if (!Files.exists(jar) || !Arrays.equals(Files.readAllBytes(jar), bytes.toByteArray())) {
            Files.write(jar, bytes.toByteArray());
        }
        return jar;
    }

    private static String write(Path dir, String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content).toString();
    }

    private static void report(List<Function> functions, Map<String, List<Run>> results, boolean prime) throws IOException {
        double sampleMedian = results.containsKey("plain SDK sample")
                ? median(results.get("plain SDK sample").stream().mapToDouble(Run::firstMs).toArray()) : Double.NaN;
        for (Function f : functions) {
            List<Run> runs = results.get(f.name());
            double[] first = runs.stream().mapToDouble(prime ? Run::inJvmFirstMs : Run::firstMs).toArray();
            double m = median(first);
            String versus = Double.isNaN(sampleMedian) ? "" : String.format("; %.2fx the sample", m / sampleMedian);
            String artifact = f.artifact() == null ? "" : String.format("; artifact %s", sizes(f.artifact()));
            System.out.printf("%-24s %s median %.0f ms (min %.0f, max %.0f)%s; second response median %.1f ms; "
                            + "handler constructed %.0f ms after main; %s%s; classes loaded %d%n",
                    f.name(), prime ? "first request after priming" : "launch to first answer", m,
                    Arrays.stream(first).min().orElse(0), Arrays.stream(first).max().orElse(0), versus,
                    median(runs.stream().mapToDouble(Run::secondMs).toArray()),
                    median(runs.stream().mapToDouble(Run::constructMs).toArray()),
                    prime ? String.format("priming %.0f ms", median(runs.stream().mapToDouble(Run::primeMs).toArray()))
                            : String.format("first request in JVM %.0f ms",
                            median(runs.stream().mapToDouble(Run::inJvmFirstMs).toArray())),
                    artifact, (int) median(runs.stream().mapToDouble(Run::classes).toArray()));
            if (!Double.isNaN(runs.get(0).hashMs())) {
                double hash = median(runs.stream().mapToDouble(Run::hashMs).toArray());
                System.out.printf("%-24s Argon2id verify alone, same JVM after the requests: median %.1f ms%s%n", f.name(), hash,
                        prime ? String.format("; first request after priming / hash %.2f", m / hash) : "");
            }
            if (!Double.isNaN(runs.get(0).warmMs())) {
                System.out.printf("%-24s settled request (median of each run's last half, then of runs) %.2f ms%n", f.name(),
                        median(runs.stream().mapToDouble(Run::warmMs).toArray()));
            }
        }
    }

    /** The artifact's size unzipped and deflated into one zip, as Lambda counts a deployment package. */
    static String sizes(Path artifact) throws IOException {
        long unzipped;
        var counter = new CountingStream();
        try (Stream<Path> files = Files.walk(artifact); var zip = new ZipOutputStream(counter)) {
            unzipped = 0;
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(artifact.relativize(file).toString()));
                Files.copy(file, zip);
                zip.closeEntry();
                unzipped += Files.size(file);
            }
        }
        return String.format("%.1f MB zipped, %.1f MB unzipped", counter.count / 1e6, unzipped / 1e6);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    static {
        // Fail early and plainly if run from the wrong folder.
        if (!Files.exists(Path.of("template.yaml"))) {
            throw new UncheckedIOException(new IOException("run from the repository root (template.yaml not found)"));
        }
    }
}
