package io.reel.devserver.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import io.reel.core.Env;
import io.reel.devserver.DevServerException;
import io.reel.devserver.app.FunctionDef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One function as Lambda's Java runtime runs it: the handler class made once through its public {@code Env}
 * constructor (a warm container), events passed as JSON through the runtime's own serializer, each invocation
 * bounded by the function's Timeout.
 */
public final class LambdaFunction implements AutoCloseable {
    private final FunctionDef definition;
    private final String arn;
    private final Object instance;
    private final Method method;
    private final boolean streaming;
    private final PojoSerializer<Object> input;
    private final PojoSerializer<Object> output;
    private final ExecutorService invocations = Executors.newVirtualThreadPerTaskExecutor();

    private LambdaFunction(FunctionDef definition, String arn, Object instance, Method method) {
        this.definition = definition;
        this.arn = arn;
        this.instance = instance;
        this.method = method;
        Class<?>[] params = method.getParameterTypes();
        this.streaming = params.length == 3 && params[0] == InputStream.class && params[1] == OutputStream.class;
        this.input = streaming || params.length == 0 ? null : serializer(params[0], instance.getClass().getClassLoader());
        this.output = streaming || method.getReturnType() == void.class ? null
                : serializer(method.getReturnType(), instance.getClass().getClassLoader());
    }

    /** Loads the handler class and makes its one instance; every failure names the function. */
    public static LambdaFunction load(FunctionDef definition, Env env, String arn, ClassLoader classLoader) {
        String handler = definition.handler();
        String className = handler.substring(0, handler.indexOf("::"));
        String methodName = handler.substring(handler.indexOf("::") + 2);
        Class<?> type;
        try {
            type = Class.forName(className, true, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new DevServerException("Function " + definition.logicalId() + ": handler class " + className
                    + " is not on the devserver's classpath (is its module a dependency of devserver, and built?).", e);
        }
        Method method = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(methodName) && !m.isBridge() && !m.isSynthetic()
                        && !Modifier.isStatic(m.getModifiers()) && m.getParameterCount() <= 3)
                .max(Comparator.comparingInt(Method::getParameterCount))
                .orElseThrow(() -> new DevServerException("Function " + definition.logicalId() + ": " + className
                        + " has no public method " + methodName + "(input, Context)."));
        return new LambdaFunction(definition, arn, instantiate(definition, type, env), method);
    }

    private static Object instantiate(FunctionDef definition, Class<?> type, Env env) {
        try {
            try {
                Constructor<?> withEnv = type.getConstructor(Env.class);
                return withEnv.newInstance(env);
            } catch (NoSuchMethodException noEnvConstructor) {
                return type.getConstructor().newInstance();
            }
        } catch (NoSuchMethodException e) {
            throw new DevServerException("Function " + definition.logicalId() + ": " + type.getName()
                    + " needs a public constructor taking io.reel.core.Env (or a public no-arg one).", e);
        } catch (InvocationTargetException e) {
            throw new DevServerException("Function " + definition.logicalId() + " failed to start: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new DevServerException("Function " + definition.logicalId() + ": cannot create " + type.getName()
                    + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Class<?> type, ClassLoader loader) {
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(type, loader);
        }
        return (PojoSerializer<Object>) JacksonFactory.getInstance().getSerializer(type);
    }

    public FunctionDef definition() {
        return definition;
    }

    /** Invokes with an event as JSON and returns the result as JSON ({@code null} for a void handler). */
    public byte[] invoke(byte[] event) throws FunctionException {
        String requestId = UUID.randomUUID().toString();
        long timeoutNanos = definition.timeout().toNanos();
        LocalContext context = new LocalContext(requestId, definition.logicalId(), arn, definition.memoryMb(),
                System.nanoTime() + timeoutNanos);
        Future<byte[]> result = invocations.submit(() -> call(event, context));
        try {
            return result.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new FunctionException("Task timed out after " + definition.timeout().toSeconds() + " seconds", e, true);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof InvocationTargetException ite ? ite.getCause() : e.getCause();
            throw new FunctionException("Function " + definition.logicalId() + " failed: " + cause, cause, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(true);
            throw new FunctionException("Interrupted while waiting for " + definition.logicalId(), e, false);
        }
    }

    private byte[] call(byte[] event, Context context) throws Exception {
        if (streaming) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            method.invoke(instance, new ByteArrayInputStream(event), out, context);
            return out.toByteArray();
        }
        Object[] args = switch (method.getParameterCount()) {
            case 0 -> new Object[0];
            case 1 -> new Object[] {input.fromJson(new ByteArrayInputStream(event))};
            default -> new Object[] {input.fromJson(new ByteArrayInputStream(event)), context};
        };
        Object value = method.invoke(instance, args);
        if (output == null || value == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        output.toJson(value, out);
        return out.toByteArray();
    }

    @Override
    public void close() {
        invocations.shutdownNow();
        if (instance instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // the devserver is stopping
            }
        }
    }
}
