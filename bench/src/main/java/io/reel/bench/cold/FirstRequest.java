package io.reel.bench.cold;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.UUID;

/**
 * The child JVM of {@link ColdStart}: what Lambda's Java runtime does between starting a JVM and sending the first
 * answer, and nothing more. It loads the handler class named on the command line, makes it with its public no-arg
 * constructor, and hands it the event file as the runtime would: as bytes to a {@code RequestStreamHandler}, or read
 * through the runtime's own serializer ({@code aws-lambda-java-serialization}: its event mix-ins for Lambda's event
 * classes, its Jackson for anything else) for a typed {@code RequestHandler}, whose answer is written back the same
 * way. Lines starting {@code COLD|} are for the parent; the function's own output passes through.
 *
 * <p>{@code FirstRequest HANDLER EVENT [--prime] [--warm=N]}: with {@code --prime}, after the constructor the
 * function's registered SnapStart hooks run ({@code beforeCheckpoint}, then {@code afterRestore}: what SnapStart runs
 * around its snapshot), and the first request is timed from there: a restored copy resumes from exactly that state.
 */
public final class FirstRequest {
    private FirstRequest() {
    }

    public static void main(String[] args) throws Throwable {
        long main = System.nanoTime();
        String handlerClass = args[0];
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        boolean prime = Arrays.asList(args).contains("--prime");

        Class<?> type = Class.forName(handlerClass);
        Object handler = type.getConstructor().newInstance();
        Invoker invoker = invoker(handler);
        long built = System.nanoTime();
        long primeNanos = 0;
        if (prime) {
            long start = System.nanoTime();
            // What SnapStart runs around its snapshot: the function's registered org.crac resources (outside a CRaC
            // JVM org.crac cannot be asked to run them, so through the registry core keeps of them).
            Object ran = Class.forName("io.reel.core.snapstart.Priming").getMethod("primeAndRestoreRegistered").invoke(null);
            if (!(ran instanceof Integer count) || count == 0) {
                throw new IllegalStateException("the handler registered no SnapStart priming");
            }
            primeNanos = System.nanoTime() - start;
        }
        long firstStart = System.nanoTime();
        byte[] first = invoker.invoke(event);
        long firstEnd = System.nanoTime();
        // The parent times launch → this line; everything after it is reported, not timed by the parent.
        System.out.println("COLD|first|" + (firstEnd - firstStart) + "|" + (built - main) + "|" + primeNanos);
        System.out.flush();
        long secondStart = System.nanoTime();
        byte[] second = invoker.invoke(event);
        long secondEnd = System.nanoTime();
        System.out.println("COLD|second|" + (secondEnd - secondStart));
        // --warm=N: N more requests, and the median of the last half (the per-request cost once the JIT has settled).
        int warm = Arrays.stream(args).filter(a -> a.startsWith("--warm=")).mapToInt(a -> Integer.parseInt(a.substring(7)))
                .findFirst().orElse(0);
        if (warm > 0) {
            long[] times = new long[warm];
            for (int i = 0; i < warm; i++) {
                long start = System.nanoTime();
                invoker.invoke(event);
                times[i] = System.nanoTime() - start;
            }
            long[] settled = Arrays.copyOfRange(times, warm / 2, warm);
            Arrays.sort(settled);
            System.out.println("COLD|warm|" + settled[settled.length / 2]);
        }
        if (Arrays.asList(args).contains("--hash")) {
            // Sign-in's own floor: Argon2id alone, in this JVM as it is now (the goal is the first sign-in within 10 % of it).
            Class<?> hasherType = Class.forName("io.reel.core.security.Argon2idPasswordHasher");
            Object hasher = hasherType.getMethod("create").invoke(null);
            Object hash = hasherType.getMethod("hash", char[].class).invoke(hasher, (Object) "bench password".toCharArray());
            Method verify = hasherType.getMethod("verify", char[].class, String.class);
            long[] times = new long[9];
            for (int i = 0; i < times.length; i++) {
                long start = System.nanoTime();
                verify.invoke(hasher, "bench password".toCharArray(), hash);
                times[i] = System.nanoTime() - start;
            }
            Arrays.sort(times);
            System.out.println("COLD|hash|" + times[times.length / 2]);
        }
        System.out.println("COLD|classes|" + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
        System.out.println("COLD|answer|" + new String(first, StandardCharsets.UTF_8).replace('\n', ' '));
        System.out.println("COLD|answer2|" + new String(second, StandardCharsets.UTF_8).replace('\n', ' '));
        System.out.flush();
        System.exit(0);
    }

    interface Invoker {
        byte[] invoke(byte[] event) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static Invoker invoker(Object handler) {
        Method method = Arrays.stream(handler.getClass().getMethods())
                .filter(m -> m.getName().equals("handleRequest") && !m.isBridge() && !m.isSynthetic()
                        && !Modifier.isStatic(m.getModifiers()))
                // Lambda's rule for overloads: the most parameters wins.
                .max(Comparator.comparingInt(Method::getParameterCount))
                .orElseThrow();
        Class<?>[] params = method.getParameterTypes();
        Context context = new BenchContext();
        if (params.length == 3 && params[0] == InputStream.class) {
            return event -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                method.invoke(handler, new ByteArrayInputStream(event), out, context);
                return out.toByteArray();
            };
        }
        ClassLoader loader = handler.getClass().getClassLoader();
        PojoSerializer<Object> in = serializer(params[0], loader);
        PojoSerializer<Object> out = serializer(method.getReturnType(), loader);
        return event -> {
            Object value = method.invoke(handler, in.fromJson(new ByteArrayInputStream(event)), context);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            out.toJson(value, bytes);
            return bytes.toByteArray();
        };
    }

    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Class<?> type, ClassLoader loader) {
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(type, loader);
        }
        return (PojoSerializer<Object>) JacksonFactory.getInstance().getSerializer(type);
    }

    private static final class BenchContext implements Context {
        private final String requestId = UUID.randomUUID().toString();

        @Override
        public String getAwsRequestId() {
            return requestId;
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/bench";
        }

        @Override
        public String getLogStreamName() {
            return "bench";
        }

        @Override
        public String getFunctionName() {
            return "bench";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:bench";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 30_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.out.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.out.write(message, 0, message.length);
                }
            };
        }
    }
}
