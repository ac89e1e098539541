package io.reel.devserver;

import io.reel.core.Env;
import io.reel.core.local.LocalPlatformFile;
import io.reel.devserver.app.ApiDef;
import io.reel.devserver.app.ApiRoute;
import io.reel.devserver.app.Application;
import io.reel.devserver.app.ApplicationLoader;
import io.reel.devserver.app.AuthorizerDef;
import io.reel.devserver.app.FunctionDef;
import io.reel.devserver.gateway.ApiGateway;
import io.reel.devserver.gateway.RouteTable;
import io.reel.devserver.gateway.TokenAuthorizer;
import io.reel.devserver.lambda.LambdaFunction;
import io.reel.devserver.states.Sleeper;
import io.reel.devserver.stepfunctions.LambdaTaskInvoker;
import io.reel.devserver.stepfunctions.StepFunctionsEndpoint;
import io.reel.devserver.stepfunctions.StepFunctionsService;
import io.reel.localaws.LocalAws;
import io.reel.localaws.ProvisionedResources;
import io.reel.localaws.ResourceNamer;
import io.reel.localaws.template.CloudFormationTemplate;
import io.reel.localaws.template.IntrinsicResolver;
import io.reel.localaws.template.TemplateResources;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local platform: reads {@code template.yaml}, starts local AWS with the template's tables and buckets, makes
 * one warm instance of every function, and serves the web page and the API on one origin, playing API Gateway,
 * the authorizer and S3 notifications as AWS does; the template's state machines run behind a local Step Functions
 * API that functions reach through {@code AWS_ENDPOINT_URL_SFN}.
 */
public final class DevServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DevServer.class);
    static final String ACCOUNT_ID = "000000000000";
    /** The region in every local ARN (functions, state machines). */
    static final String REGION = "us-east-1";
    static final String STACK_NAME = "reel-local";

    private final LocalAws localAws;
    private final Application application;
    private final Map<String, LambdaFunction> functions;
    private final Map<String, TokenAuthorizer> authorizers;
    private final S3Triggers s3Triggers;
    private final StepFunctionsEndpoint stepFunctions;
    private final Server server;
    private final URI baseUri;
    private final Duration startTime;
    private final Path dataDirectory;
    /** In memory: the keys and demo credentials live in a temporary folder, removed on close. */
    private Path temporaryKeysDirectory;
    private final ProvisionedResources names;
    private final Optional<DemoAccounts.Credentials> demoAccounts;
    private final Optional<DemoVideoUpload> demoVideo;

    private DevServer(Builder builder) {
        long started = System.nanoTime();
        requirePortFree(builder.host, builder.port); // before the emulators spend seconds starting
        CloudFormationTemplate template = CloudFormationTemplate.load(builder.template);
        LocalAws.Builder aws = LocalAws.builder().dynamoDbPort(builder.dynamoDbPort).s3Port(builder.s3Port)
                .bindAddress(builder.emulatorsBindAddress);
        if (builder.dataDirectory != null) {
            aws.dataDirectory(builder.dataDirectory);
        }
        this.localAws = aws.start();
        Map<String, LambdaFunction> loaded = new LinkedHashMap<>();
        ProvisionedResources provisioned = null;
        Optional<DemoAccounts.Credentials> demo = Optional.empty();
        Path demoFolder = null;
        S3Triggers triggers = new S3Triggers(builder.s3RetryDelays);
        Server jetty = null;
        StepFunctionsEndpoint sfn = null;
        try {
            ProvisionedResources names = localAws.provision(TemplateResources.from(template), ResourceNamer.plain());
            provisioned = names;
            IntrinsicResolver resolver = new IntrinsicResolver(template, resolverContext(template, names, builder.parameters));
            this.application = new ApplicationLoader(template, resolver).load();
            Path keys = builder.dataDirectory != null ? keysDirectory(builder.dataDirectory) : temporaryKeys();
            if (builder.dataDirectory == null) {
                temporaryKeysDirectory = keys;
            }
            // Listening before the functions are made: their environment names it (served once they exist).
            sfn = StepFunctionsEndpoint.start(builder.emulatorsBindAddress, builder.stepFunctionsPort);
            Env localEnv = localAws.env().with(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString(),
                    "AWS_ENDPOINT_URL_SFN", sfn.uri().toString()));
            if (names.tables().containsKey("UsersTable") && names.tables().containsKey("SessionsTable")) {
                demoFolder = builder.dataDirectory != null ? builder.dataDirectory : keys;
                demo = Optional.of(DemoAccounts.ensure(demoFolder, keys, localAws.dynamoDb(), names.table("UsersTable"),
                        names.table("SessionsTable")));
            }
            for (FunctionDef function : application.functions().values()) {
                Env env = Env.of(function.environment()).with(localEnv.asMap()).with(Map.of(
                        "AWS_LAMBDA_FUNCTION_NAME", function.logicalId(),
                        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()),
                        "AWS_LAMBDA_FUNCTION_VERSION", "$LATEST",
                        "AWS_DEFAULT_REGION", localAws.region())).with(builder.functionEnvironment);
                loaded.put(function.logicalId(), LambdaFunction.load(function, env, functionArn(function.logicalId()),
                        Thread.currentThread().getContextClassLoader()));
            }
            sfn.serve(new StepFunctionsService(application.stateMachines().values(),
                    builder.taskInvokers.apply(new LambdaTaskInvoker(loaded, REGION, ACCOUNT_ID, builder.taskWorkers)),
                    builder.stateMachineSleeper,
                    builder.dataDirectory));
            application.stateMachines().values().forEach(machine -> LOG.info("state machine {} arn={}{}", machine.logicalId(),
                    machine.arn(), machine.ignored().isEmpty() ? ""
                            : " (not applied locally: " + String.join(", ", machine.ignored()) + ")"));
            Map<String, TokenAuthorizer> tokenAuthorizers = new LinkedHashMap<>();
            application.api().ifPresent(api -> api.authorizers().values().forEach(def ->
                    tokenAuthorizers.putIfAbsent(def.name(), new TokenAuthorizer(def, loaded.get(def.functionId()), System::nanoTime))));
            triggers.wire(application.s3Triggers(), names.buckets(), loaded, localAws.s3Events());
            Optional<ApiGateway> gateway = application.api().map(api -> new ApiGateway(api,
                    new RouteTable(application.routes()), loaded, tokenAuthorizers, localAws.region(), ACCOUNT_ID));
            if (application.api().isEmpty() && !application.routes().isEmpty()) {
                throw new DevServerException("Functions declare Api events but the template has no AWS::Serverless::Api; "
                        + "declare one and point the events at it with RestApiId.");
            }
            StaticSite site = new StaticSite(builder.siteDirectory);
            if (!site.isBuilt()) {
                LOG.warn("no web page in {}: build it with ./run.sh (or npm --prefix frontend ci && npm --prefix frontend run build)",
                        site.root());
            }
            // Signed media URLs and upload URLs point at the local S3; in AWS at S3 or CloudFront (template #14).
            Map<String, String> headers = SiteHeaders.forMediaOrigins(List.of(URI.create(localAws.env().string("AWS_ENDPOINT_URL_S3"))));
            jetty = startHttp(builder.host, builder.port, new HttpFront(gateway, site, headers));
            this.functions = Map.copyOf(loaded);
            this.authorizers = Map.copyOf(tokenAuthorizers);
            this.s3Triggers = triggers;
            this.stepFunctions = sfn;
            this.server = jetty;
            int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
            this.baseUri = URI.create("http://" + ("127.0.0.1".equals(builder.host) ? "localhost" : builder.host) + ":" + port);
        } catch (RuntimeException e) {
            triggers.close();
            if (sfn != null) {
                sfn.close();
            }
            loaded.values().forEach(LambdaFunction::close);
            stopQuietly(jetty);
            localAws.close();
            throw e;
        }
        this.dataDirectory = builder.dataDirectory;
        this.names = provisioned;
        this.demoAccounts = demo;
        if (dataDirectory != null) {
            Env local = localAws.env();
            new LocalPlatformFile(baseUri.toString(), local.string("AWS_REGION"), local.string("AWS_ENDPOINT_URL_DYNAMODB"),
                    local.string("AWS_ENDPOINT_URL_S3"), local.string("AWS_ACCESS_KEY_ID"), local.string("AWS_SECRET_ACCESS_KEY"),
                    provisioned.tables(), provisioned.buckets(), keysDirectory(dataDirectory).toString()).write(dataDirectory);
        }
        this.startTime = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("devserver ready url={} functions={} stateMachines={} sfn={} startMs={}", baseUri, functions.size(),
                application.stateMachines().size(), stepFunctions.uri(), startTime.toMillis());
        this.demoVideo = builder.demoVideo ? startDemoVideo(demoFolder) : Optional.empty();
    }

    /** After the server is up, in the background: never a delay to readiness, never a reason not to start. */
    private Optional<DemoVideoUpload> startDemoVideo(Path folder) {
        try {
            return DemoVideoUpload.target(application, names, demoAccounts)
                    .flatMap(target -> DemoVideoUpload.startUnlessDone(folder, target, localAws, baseUri));
        } catch (RuntimeException e) {
            LOG.warn("demo video not made ({}: {}); the devserver carries on without it", e.getClass().getSimpleName(), e.getMessage());
            return Optional.empty();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public URI baseUri() {
        return baseUri;
    }

    public Duration startTime() {
        return startTime;
    }

    public Application application() {
        return application;
    }

    public LocalAws localAws() {
        return localAws;
    }

    /** For tests and the performance log: how often an authorizer's function actually ran. */
    public Optional<TokenAuthorizer> authorizer(String name) {
        return Optional.ofNullable(authorizers.get(name));
    }

    /** The local Step Functions API, as functions get it in {@code AWS_ENDPOINT_URL_SFN}. */
    public URI stepFunctionsEndpoint() {
        return stepFunctions.uri();
    }

    /** S3 deliveries that failed on every attempt. */
    public long exhaustedS3Deliveries() {
        return s3Triggers.exhaustedDeliveries();
    }

    /** The route table for the start-up banner: method, path, function, authorizer. */
    public List<ApiRoute> routes() {
        return new RouteTable(application.routes()).routes();
    }

    /** What the template's intrinsics mean locally; package-private for {@code EnvVarsFileTest} (events/env.json). */
    static IntrinsicResolver.Context resolverContext(CloudFormationTemplate template, ProvisionedResources names,
                                                     Map<String, String> parameters) {
        Map<String, String> refs = new LinkedHashMap<>();
        Map<String, Map<String, String>> attributes = new LinkedHashMap<>();
        String region = REGION;
        for (CloudFormationTemplate.Resource resource : template.resources()) {
            String id = resource.logicalId();
            switch (resource.type()) {
                case TemplateResources.TABLE -> {
                    refs.put(id, names.table(id));
                    attributes.put(id, Map.of("Arn", "arn:aws:dynamodb:" + region + ":" + ACCOUNT_ID + ":table/" + names.table(id)));
                }
                case TemplateResources.BUCKET -> {
                    refs.put(id, names.bucket(id));
                    attributes.put(id, Map.of("Arn", "arn:aws:s3:::" + names.bucket(id),
                            "DomainName", names.bucket(id) + ".s3.localhost", "RegionalDomainName", names.bucket(id) + ".s3.localhost"));
                }
                case ApplicationLoader.FUNCTION -> {
                    refs.put(id, id);
                    // SAM's AutoPublishAlias: !Ref Fn.Alias is the alias ARN (locally there is one version of everything).
                    refs.put(id + ".Alias", functionArn(id) + ":live");
                    attributes.put(id, Map.of("Arn", functionArn(id)));
                }
                case ApplicationLoader.STATE_MACHINE -> {
                    // !Ref is the ARN, as in AWS; a Name that is not plain text is settled below, once refs exist.
                    Object name = resource.properties().getOrDefault("Name", id);
                    String arn = ApplicationLoader.stateMachineArn(region, ACCOUNT_ID, name instanceof String s ? s : id);
                    refs.put(id, arn);
                    attributes.put(id, Map.of("Arn", arn, "Name", arn.substring(arn.lastIndexOf(':') + 1)));
                }
                default -> {
                    // Other resources (keys, the API itself) are named by their logical id locally.
                    refs.put(id, id);
                    attributes.put(id, Map.of("Arn", "arn:aws:local:" + region + ":" + ACCOUNT_ID + ":" + id));
                }
            }
        }
        Map<String, String> pseudo = Map.of("AWS::Region", region, "AWS::AccountId", ACCOUNT_ID, "AWS::StackName", STACK_NAME,
                "AWS::Partition", "aws", "AWS::URLSuffix", "amazonaws.com",
                "AWS::StackId", "arn:aws:cloudformation:" + region + ":" + ACCOUNT_ID + ":stack/" + STACK_NAME + "/local");
        // A state machine Name written with intrinsics (!Sub '${AWS::StackName}-pipeline'), resolved against the rest.
        IntrinsicResolver sofar = new IntrinsicResolver(template, new IntrinsicResolver.Context(parameters, pseudo, refs, attributes));
        for (CloudFormationTemplate.Resource resource : template.resourcesOfType(ApplicationLoader.STATE_MACHINE)) {
            Object name = resource.properties().get("Name");
            if (name != null && !(name instanceof String)) {
                String resolved = String.valueOf(sofar.resolve(name, "Resource " + resource.describe() + ", property Name"));
                String arn = ApplicationLoader.stateMachineArn(region, ACCOUNT_ID, resolved);
                refs.put(resource.logicalId(), arn);
                attributes.put(resource.logicalId(), Map.of("Arn", arn, "Name", resolved));
            }
        }
        return new IntrinsicResolver.Context(parameters, pseudo, refs, attributes);
    }

    private static String functionArn(String logicalId) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT_ID + ":function:" + logicalId;
    }

    private static Server startHttp(String host, int port, HttpFront front) {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("devserver-http");
        Server server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(true);
        config.setRequestHeaderSize(10 * 1024); // API Gateway's header limit
        // Jetty reuses parsed header fields per connection, by default ignoring case: "bearer X" seen once would
        // then be handed back for a later "Bearer X". Tokens are case-sensitive.
        config.setHeaderCacheCaseSensitive(true);
        // API Gateway passes %2F and %2E inside a path segment through to path parameters; Jetty would refuse them.
        config.setUriCompliance(UriCompliance.DEFAULT.with("api-gateway",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
                UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(front);
        try {
            server.start();
            return server;
        } catch (Exception e) {
            stopQuietly(server);
            if (e instanceof IOException && (e.getCause() instanceof BindException || e instanceof BindException
                    || String.valueOf(e.getMessage()).contains("Failed to bind"))) {
                throw portInUse(host, port, e);
            }
            throw new DevServerException("The HTTP server could not start on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private static void requirePortFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(host, port));
        } catch (IOException e) {
            throw portInUse(host, port, e);
        }
    }

    private static DevServerException portInUse(String host, int port, Exception cause) {
        return new DevServerException("Port " + port + " is already in use on " + host
                + ": stop whatever holds it or start with --port <another>.", cause);
    }

    private static void stopQuietly(Server server) {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                LOG.warn("HTTP server did not stop cleanly", e);
            }
        }
    }

    /** Where the local stand-ins for KMS keys live: the signing key and the PII key. */
    static Path keysDirectory(Path dataDirectory) {
        return dataDirectory.toAbsolutePath().resolve("keys");
    }

    /** The demo accounts' passwords by username (viewer, uploader, admin); empty when the template has no Users table. */
    public Map<String, String> demoPasswords() {
        return demoAccounts.map(demo -> demo.accounts().stream()
                        .collect(java.util.stream.Collectors.toUnmodifiableMap(DemoAccounts.Credential::username,
                                DemoAccounts.Credential::password)))
                .orElse(Map.of());
    }

    /** The demo sign-ins made on first start, when the template has the Users and Sessions tables. */
    Optional<DemoAccounts.Credentials> demoAccounts() {
        return demoAccounts;
    }

    /** The demo video being made on this start (a first start with {@link Builder#demoVideo}); empty otherwise. */
    Optional<DemoVideoUpload> demoVideo() {
        return demoVideo;
    }

    private static Path temporaryKeys() {
        try {
            Path dir = java.nio.file.Files.createTempDirectory("reel-keys");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new DevServerException("Cannot create a folder for local keys: " + e.getMessage(), e);
        }
    }

    /** In memory, the temporary folder of the keys and demo credentials (removed on close); for tests. */
    Optional<Path> temporaryKeysDirectory() {
        return Optional.ofNullable(temporaryKeysDirectory);
    }

    /** Where data is kept across restarts; empty when everything is in memory. */
    public Optional<Path> dataDirectory() {
        return Optional.ofNullable(dataDirectory);
    }

    /** Physical names of the template's tables and buckets. */
    public ProvisionedResources names() {
        return names;
    }

    @Override
    public void close() {
        demoVideo.ifPresent(DemoVideoUpload::close); // before the emulators it uses go away
        if (dataDirectory != null) {
            try {
                java.nio.file.Files.deleteIfExists(dataDirectory.resolve(LocalPlatformFile.FILE_NAME));
            } catch (IOException e) {
                LOG.warn("could not remove {}", LocalPlatformFile.FILE_NAME, e);
            }
        }
        stopQuietly(server);
        s3Triggers.close();
        stepFunctions.close(); // running executions stop before the functions they call
        functions.values().forEach(LambdaFunction::close);
        localAws.close();
        if (temporaryKeysDirectory != null) {
            // deleteOnExit cannot remove a folder that is not empty: without this, every in-memory start left its
            // signing key, PII key and demo passwords in /tmp.
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(temporaryKeysDirectory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                LOG.warn("could not remove {}", temporaryKeysDirectory, e);
            }
        }
        LOG.info("devserver stopped");
    }

    /** How to start the devserver. */
    public static final class Builder {
        private Path template = Path.of("template.yaml");
        private Path siteDirectory = Path.of("frontend", "dist");
        private Map<String, String> functionEnvironment = Map.of();
        private Path dataDirectory;
        private String host = "127.0.0.1";
        private int port = 3000;
        private int dynamoDbPort;
        private int s3Port;
        private String emulatorsBindAddress = "127.0.0.1";
        private Map<String, String> parameters = Map.of();
        private List<Duration> s3RetryDelays = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2));
        private boolean demoVideo;
        private int stepFunctionsPort;
        private Sleeper stateMachineSleeper = Sleeper.SYSTEM;
        private int taskWorkers = LambdaTaskInvoker.defaultWorkers();
        private java.util.function.UnaryOperator<io.reel.devserver.states.TaskInvoker> taskInvokers = invoker -> invoker;

        private Builder() {
        }

        public Builder template(Path template) {
            this.template = Objects.requireNonNull(template);
            return this;
        }

        public Builder siteDirectory(Path siteDirectory) {
            this.siteDirectory = Objects.requireNonNull(siteDirectory);
            return this;
        }

        /** Keep data under this folder across restarts; without it everything is in memory. */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        /** 0 picks any free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * The ports of DynamoDB Local and S3Proxy; 0 (the default) picks free ones, printed at start ("local AWS ready")
         * and written to {@code devserver.json}. Fixed ports let {@code sam local invoke} reach them (events/README.md).
         */
        public Builder localAwsPorts(int dynamoDbPort, int s3Port) {
            this.dynamoDbPort = dynamoDbPort;
            this.s3Port = s3Port;
            return this;
        }

        /** The port of the local Step Functions API; 0 (the default) picks a free one. It listens where the emulators do. */
        public Builder stepFunctionsPort(int port) {
            this.stepFunctionsPort = port;
            return this;
        }

        /** How state machines wait (Retry intervals, Wait states); tests shorten the waits. */
        /** For tests: wraps the Step Functions task invoker (to inject a task's failure). */
        Builder taskInvokers(java.util.function.UnaryOperator<io.reel.devserver.states.TaskInvoker> wrap) {
            this.taskInvokers = wrap;
            return this;
        }

        /** Step Functions tasks run at once (default {@link LambdaTaskInvoker#defaultWorkers()}). */
        public Builder stepFunctionsWorkers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("At least one worker: " + workers);
            }
            this.taskWorkers = workers;
            return this;
        }

        Builder stateMachineSleeper(Sleeper sleeper) {
            this.stateMachineSleeper = Objects.requireNonNull(sleeper);
            return this;
        }

        /** Where DynamoDB Local and S3Proxy listen (127.0.0.1 by default; a bridge address for {@code sam local invoke}). */
        public Builder emulatorsBindAddress(String address) {
            this.emulatorsBindAddress = Objects.requireNonNull(address);
            return this;
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /**
         * Variables set in every function's environment over the template's, as {@code sam local invoke --env-vars}
         * does: for trying other settings (short URL lifetimes in a test) without editing the template.
         */
        public Builder functionEnvironment(Map<String, String> variables) {
            this.functionEnvironment = Map.copyOf(variables);
            return this;
        }

        /** Template parameter values, beating the Defaults. */
        public Builder parameters(Map<String, String> parameters) {
            this.parameters = Map.copyOf(parameters);
            return this;
        }

        /** Waits before the second and third delivery attempts of a failed S3 event (Lambda: about 1 and 2 minutes). */
        public Builder s3RetryDelays(List<Duration> delays) {
            if (delays.size() != 2) {
                throw new IllegalArgumentException("Lambda retries an asynchronous event twice; give two delays");
            }
            this.s3RetryDelays = List.copyOf(delays);
            return this;
        }

        /**
         * On a first start (no {@code demo-video.json} beside the data yet; every start without a data folder), make a
         * demo video in the background and take it through the real upload and transcode path, when the template has
         * Reel's Videos table, uploads trigger and demo uploader. Off by default; {@code ./run.sh} turns it on.
         */
        public Builder demoVideo(boolean demoVideo) {
            this.demoVideo = demoVideo;
            return this;
        }

        public DevServer start() {
            return new DevServer(this);
        }
    }
}
