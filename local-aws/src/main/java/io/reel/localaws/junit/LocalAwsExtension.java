package io.reel.localaws.junit;

import io.reel.localaws.LocalAws;
import io.reel.localaws.ProvisionedResources;
import io.reel.localaws.ResourceNamer;
import io.reel.localaws.ResourceProvisioner;
import io.reel.localaws.template.CloudFormationTemplate;
import io.reel.localaws.template.TemplateResources;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension for integration tests: one AWS backend per JVM (in-process DynamoDB Local + S3Proxy by default,
 * LocalStack with {@code -Dreel.aws=localstack}), and for each test class fresh tables and buckets made from
 * {@code template.yaml}, deleted after the class. Inject {@link AwsTestResources} into a test method, a lifecycle
 * method or the constructor.
 *
 * <pre>{@code
 * @ExtendWith(LocalAwsExtension.class)
 * class UserStoreIT {
 *     @Test
 *     void create_whenUsernameTaken_fails(AwsTestResources aws) { ... aws.table("UsersTable") ... }
 * }
 * }</pre>
 */
public final class LocalAwsExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalAwsExtension.class);
    public static final String BACKEND_PROPERTY = "reel.aws";

    @Override
    public void beforeAll(ExtensionContext context) {
        if (context.getStore(NAMESPACE).get(AwsTestResources.class) != null) {
            return; // a @Nested class shares its enclosing class's resources
        }
        Shared shared = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Shared.class, k -> new Shared(), Shared.class);
        AwsBackend backend = shared.backend();
        Assumptions.assumeTrue(backend != null, shared::unavailableReason);
        String suffix = suffixFor(context, shared.nextId());
        var resources = shared.templateResources();
        ProvisionedResources names;
        try (var dynamoDb = backend.clients().dynamoDb(); var s3 = backend.clients().s3()) {
            names = new ResourceProvisioner(dynamoDb, s3).provision(resources, ResourceNamer.withSuffix(suffix));
        }
        var env = backend.env().with(functionVariables(shared.template(), names));
        var clients = backend.clients();
        context.getStore(NAMESPACE).put(AwsTestResources.class, new AwsTestResources(backend.name(), names, env,
                clients.dynamoDb(), clients.s3(), clients.s3Presigner(), backend.s3Events()));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        AwsTestResources resources = context.getStore(NAMESPACE).remove(AwsTestResources.class, AwsTestResources.class);
        if (resources == null) {
            return;
        }
        try {
            new ResourceProvisioner(resources.dynamoDb(), resources.s3()).delete(resources.names());
        } finally {
            resources.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == AwsTestResources.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            AwsTestResources resources = c.getStore(NAMESPACE).get(AwsTestResources.class, AwsTestResources.class);
            if (resources != null) {
                return resources;
            }
        }
        throw new IllegalStateException("AwsTestResources are made in beforeAll; register LocalAwsExtension on the class");
    }

    /**
     * What {@link #beforeAll} gives a test class, for tests that JUnit Jupiter does not run (jqwik's properties: its
     * engine knows no Jupiter extension): a backend of their own ({@code -Dreel.aws} chooses it, as for every test) and
     * fresh tables and buckets from the template. Closing it deletes them and stops the backend.
     */
    public static Standalone standalone(Class<?> testClass) {
        AwsBackend backend = startBackend(System.getProperty(BACKEND_PROPERTY, "embedded"));
        try {
            CloudFormationTemplate template = CloudFormationTemplate.load(TemplateResources.locateTemplate(Path.of("")));
            String name = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
            ProvisionedResources names;
            try (var dynamoDb = backend.clients().dynamoDb(); var s3 = backend.clients().s3()) {
                names = new ResourceProvisioner(dynamoDb, s3).provision(TemplateResources.from(template),
                        ResourceNamer.withSuffix((name.length() > 24 ? name.substring(0, 24) : name) + "-1"));
            }
            var clients = backend.clients();
            return new Standalone(backend, new AwsTestResources(backend.name(), names,
                    backend.env().with(functionVariables(template, names)), clients.dynamoDb(), clients.s3(),
                    clients.s3Presigner(), backend.s3Events()));
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /** A backend and one set of resources on it, owned by the test that asked for them. */
    public static final class Standalone implements AutoCloseable {
        private final AwsBackend backend;
        private final AwsTestResources resources;

        private Standalone(AwsBackend backend, AwsTestResources resources) {
            this.backend = backend;
            this.resources = resources;
        }

        public AwsTestResources resources() {
            return resources;
        }

        @Override
        public void close() {
            try {
                new ResourceProvisioner(resources.dynamoDb(), resources.s3()).delete(resources.names());
            } finally {
                resources.close();
                backend.close();
            }
        }
    }

    /**
     * The template's environment variables that name a provisioned table or bucket, e.g. USERS_TABLE → Users-foo-1:
     * those of {@code Globals}, then those a function sets itself (UPLOADS_BUCKET lives on the media function only).
     */
    static Map<String, String> functionVariables(CloudFormationTemplate template, ProvisionedResources names) {
        Map<String, String> variables = new LinkedHashMap<>();
        addRefVariables(template.section("Globals").get("Function"), names, variables);
        for (CloudFormationTemplate.Resource function : template.resourcesOfType("AWS::Serverless::Function")) {
            addRefVariables(function.properties(), names, variables);
        }
        return variables;
    }

    private static void addRefVariables(Object function, ProvisionedResources names, Map<String, String> variables) {
        if (function instanceof Map<?, ?> f && f.get("Environment") instanceof Map<?, ?> e
                && e.get("Variables") instanceof Map<?, ?> vars) {
            vars.forEach((name, value) -> {
                if (value instanceof Map<?, ?> ref && ref.get("Ref") instanceof String logicalId) {
                    String physical = names.tables().getOrDefault(logicalId, names.buckets().get(logicalId));
                    if (physical != null) {
                        variables.putIfAbsent(name.toString(), physical);
                    }
                }
            });
        }
    }

    private static String suffixFor(ExtensionContext context, int id) {
        String name = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return (name.length() > 24 ? name.substring(0, 24) : name) + "-" + id;
    }

    /** The per-JVM state: the backend (started once) and the parsed template. Closed by JUnit at the end of the run. */
    private static final class Shared implements AutoCloseable {
        private final AtomicInteger ids = new AtomicInteger();
        private AwsBackend backend;
        private String unavailableReason;
        private CloudFormationTemplate template;
        private TemplateResources templateResources;

        synchronized AwsBackend backend() {
            if (backend == null && unavailableReason == null) {
                try {
                    backend = startBackend(System.getProperty(BACKEND_PROPERTY, "embedded"));
                } catch (BackendUnavailableException e) {
                    unavailableReason = e.getMessage();
                    System.err.println("[reel] " + unavailableReason);
                }
            }
            return backend;
        }

        String unavailableReason() {
            return unavailableReason;
        }

        synchronized CloudFormationTemplate template() {
            if (template == null) {
                template = CloudFormationTemplate.load(TemplateResources.locateTemplate(Path.of("")));
                templateResources = TemplateResources.from(template);
            }
            return template;
        }

        TemplateResources templateResources() {
            template();
            return templateResources;
        }

        int nextId() {
            return ids.incrementAndGet();
        }

        @Override
        public synchronized void close() {
            if (backend != null) {
                backend.close();
            }
        }
    }

    static AwsBackend startBackend(String choice) {
        return switch (choice.strip().toLowerCase(Locale.ROOT)) {
            case "", "embedded" -> new EmbeddedBackend(LocalAws.builder().start());
            case "localstack" -> LocalStackBackend.start(LocalStackBackend.DockerProbe.testcontainers());
            default -> throw new IllegalArgumentException("-D" + BACKEND_PROPERTY + "=" + choice
                    + " is not a backend; use embedded (the default) or localstack.");
        };
    }
}
