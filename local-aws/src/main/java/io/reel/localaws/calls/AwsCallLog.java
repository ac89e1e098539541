package io.reel.localaws.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every AWS operation a Lambda function's code makes while tests run, written down so the IAM check ({@code infra/},
 * {@code IamPolicyIT}) can hold each one against the function's policy from the template: the part of a deploy that
 * no emulator checks.
 *
 * <p>On only when the system property {@value #PROPERTY} names a folder (the build sets it to {@code target/aws-calls}
 * for every test run); then each distinct call is appended once, as a JSON line, to {@code calls-<pid>.jsonl} there.
 * SDK clients report through {@link AwsCallRecorder} (a global SDK interceptor, so every client in the JVM does,
 * whoever built it); fakes that are not SDK clients ({@code FakeKms}) call {@link #record} themselves.
 *
 * <p>A call is the function's when the calling thread's stack holds the function's handler (a class of main code
 * implementing {@code RequestHandler} or {@code RequestStreamHandler}: its constructor counts, so start-up reads are
 * included); or, on a thread with no handler on it, when main code of a function package ({@code io.reel.auth},
 * {@code io.reel.authorizer}, {@code io.reel.media}, {@code io.reel.transcode}) made it and no test code, devserver,
 * local-aws, tool or benchmark is on the stack (a worker thread the function started). Anything else is a test's own
 * set-up and is not recorded.
 *
 * <p>A test that needs to know what one request did (the fuzz tests: no write on a refusal) opens a {@link Watch}:
 * while it is open it sees every function call as it happens, repeated ones too, with whether it succeeded. Watches
 * work whether or not the folder is set.
 */
public final class AwsCallLog {
    /** The system property naming the folder calls are written to. */
    public static final String PROPERTY = "reel.aws.calls";
    private static final Set<String> FUNCTION_PACKAGES =
            Set.of("io.reel.auth", "io.reel.authorizer", "io.reel.media", "io.reel.transcode");
    private static final List<String> NOT_A_FUNCTION = List.of("io.reel.devserver.", "io.reel.localaws.",
            "io.reel.e2e.", "io.reel.bench.", "io.reel.cli.");
    private static final Set<String> HANDLER_INTERFACES = Set.of("com.amazonaws.services.lambda.runtime.RequestHandler",
            "com.amazonaws.services.lambda.runtime.RequestStreamHandler");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WRITTEN = ConcurrentHashMap.newKeySet();
    private static final Map<Class<?>, Boolean> TEST_CODE = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Boolean> HANDLERS = new ConcurrentHashMap<>();
    private static final StackWalker STACK = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final Set<Watch> WATCHES = ConcurrentHashMap.newKeySet();

    private AwsCallLog() {
    }

    /**
     * One call a function made, as a {@link Watch} sees it.
     *
     * @param caller    the handler class, or {@code package:<function package>} for a function's worker thread
     * @param resources what the call names (see {@link #record})
     * @param presigned a URL signed for someone else to use: nothing was sent
     * @param succeeded the service answered without an error (a presigned call counts as succeeded: it was signed)
     */
    public record Call(String caller, String service, String operation, Map<String, List<String>> resources,
                       boolean presigned, boolean succeeded) {
        public Call {
            resources = Map.copyOf(resources);
        }

        Call finished(boolean ok) {
            return new Call(caller, service, operation, resources, presigned, ok);
        }
    }

    /** Sees every call functions make in this JVM from {@link #watch()} until {@link #close()}. Thread-safe. */
    public static final class Watch implements AutoCloseable {
        private final List<Call> calls = new CopyOnWriteArrayList<>();

        private Watch() {
        }

        /** The calls finished so far (and presigned ones), in the order they finished. */
        public List<Call> calls() {
            return List.copyOf(calls);
        }

        @Override
        public void close() {
            WATCHES.remove(this);
        }
    }

    /** Starts watching calls; close the watch when done (try-with-resources). */
    public static Watch watch() {
        Watch watch = new Watch();
        WATCHES.add(watch);
        return watch;
    }

    /** Whether anything is listening: the folder is set or a watch is open. */
    static boolean active() {
        return folder().isPresent() || !WATCHES.isEmpty();
    }

    /** Hands a finished call to every open watch. */
    static void finished(Call call) {
        for (Watch watch : WATCHES) {
            watch.calls.add(call);
        }
    }

    /** The folder calls are written to, when recording is on. */
    public static Optional<Path> folder() {
        String dir = System.getProperty(PROPERTY);
        return dir == null || dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
    }

    /**
     * Records one call if recording is on and the calling thread is a function's (see the class comment).
     *
     * @param service   the SDK's service name, e.g. {@code DynamoDb}, {@code S3}, {@code Kms}
     * @param operation the API operation, e.g. {@code GetItem}
     * @param resources what the call names: field name (TableName, IndexName, Bucket, Key, KeyId, KeyUsage,
     *                  SecretId, QueueUrl, stateMachineArn) to values
     * @param presigned true when the call was presigned for someone else to make (a URL), not made
     */
    public static void record(String service, String operation, Map<String, ? extends Iterable<String>> resources,
                              boolean presigned) {
        begin(service, operation, resources, presigned).ifPresent(call -> finished(call.finished(true)));
    }

    /**
     * Writes the call to the folder (once per distinct call) if the calling thread is a function's, and answers it, not
     * yet finished, for the caller to hand to {@link #finished} when the outcome is known; empty for a test's own call or
     * when nothing listens.
     */
    static Optional<Call> begin(String service, String operation, Map<String, ? extends Iterable<String>> resources,
                                boolean presigned) {
        if (!active()) {
            return Optional.empty();
        }
        Optional<String> caller = caller();
        if (caller.isEmpty()) {
            return Optional.empty();
        }
        Map<String, List<String>> named = new TreeMap<>();
        resources.forEach((field, values) -> {
            var list = new java.util.TreeSet<String>();
            values.forEach(list::add);
            if (!list.isEmpty()) {
                named.put(field, List.copyOf(list));
            }
        });
        Call call = new Call(caller.get(), service, operation, named, presigned, false);
        folder().ifPresent(folder -> write(folder, call));
        return Optional.of(call);
    }

    private static void write(Path folder, Call call) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("caller", call.caller());
        line.put("service", call.service());
        line.put("operation", call.operation());
        line.put("resources", new TreeMap<>(call.resources()));
        if (call.presigned()) {
            line.put("presigned", true);
        }
        String text;
        try {
            text = JSON.writeValueAsString(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!WRITTEN.add(text)) {
            return;
        }
        Path file = folder.resolve("calls-" + ProcessHandle.current().pid() + ".jsonl");
        synchronized (AwsCallLog.class) {
            try {
                Files.createDirectories(file.getParent());
                try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND)) {
                    out.write(text);
                    out.write('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write AWS call log " + file, e);
            }
        }
    }

    /** The handler class on this thread's stack, else {@code package:<function package>}, else empty (a test's own call). */
    static Optional<String> caller() {
        return STACK.walk(frames -> {
            String handler = null;
            String functionPackage = null;
            boolean foreign = false;
            for (var it = frames.iterator(); it.hasNext(); ) {
                Class<?> type = it.next().getDeclaringClass();
                String name = type.getName();
                if (!name.startsWith("io.reel.") || name.startsWith(AwsCallLog.class.getPackageName() + ".")) {
                    continue;
                }
                if (isTestCode(type)) {
                    foreign = true;
                    continue;
                }
                if (handler == null && isHandler(type)) {
                    handler = name;
                }
                if (NOT_A_FUNCTION.stream().anyMatch(name::startsWith)) {
                    foreign = true;
                    continue;
                }
                String pkg = functionPackage(name);
                if (pkg != null && functionPackage == null) {
                    functionPackage = pkg;
                }
            }
            if (handler != null) {
                return Optional.of(handler);
            }
            return foreign || functionPackage == null ? Optional.empty() : Optional.of("package:" + functionPackage);
        });
    }

    private static String functionPackage(String className) {
        for (String pkg : FUNCTION_PACKAGES) {
            if (className.startsWith(pkg + ".")) {
                return pkg;
            }
        }
        return null;
    }

    private static boolean isTestCode(Class<?> type) {
        return TEST_CODE.computeIfAbsent(type, t -> {
            CodeSource source = t.getProtectionDomain() == null ? null : t.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            String path = location == null ? "" : location.getPath();
            return path.contains("/test-classes/") || path.endsWith("-tests.jar");
        });
    }

    private static boolean isHandler(Class<?> type) {
        return HANDLERS.computeIfAbsent(type, AwsCallLog::implementsHandler);
    }

    private static boolean implementsHandler(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (HANDLER_INTERFACES.contains(i.getName())) {
                    return true;
                }
            }
        }
        return false;
    }
}
