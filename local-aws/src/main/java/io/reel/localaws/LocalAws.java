package io.reel.localaws;

import io.reel.core.AwsClients;
import io.reel.core.Env;
import io.reel.localaws.template.CloudFormationTemplate;
import io.reel.localaws.template.TemplateResources;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobProviderMetadata;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobProviderMetadata;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.reference.FilesystemConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local and S3Proxy running in this JVM, either in memory (tests) or kept under a data folder (the local
 * platform). S3Proxy checks SigV4 signatures, so presigned URLs are really verified, expired and tampered ones
 * refused. Objects created in S3 are reported through {@link #s3Events()}.
 *
 * <pre>{@code
 * try (LocalAws aws = LocalAws.builder().start()) {
 *     ProvisionedResources names = aws.provision(Path.of("template.yaml"), ResourceNamer.plain());
 *     Env env = aws.env();   // AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_S3, credentials
 * }
 * }</pre>
 */
public final class LocalAws implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalAws.class);
    public static final String ACCESS_KEY_ID = "reellocal";
    public static final String SECRET_ACCESS_KEY = "reellocalsecret";

    private final String region;
    private final DynamoDBProxyServer dynamoDbServer;
    private final URI dynamoDbEndpoint;
    private final S3Proxy s3Proxy;
    private final BlobStoreContext blobStoreContext;
    private final URI s3Endpoint;
    private final S3EventBridge s3Events;
    private final Duration startTime;
    private final AwsClients clients;
    private final AwsClients dynamoDbClients;
    private final DynamoDbClient dynamoDb;
    private final AwsClients s3Clients;
    private final S3Client s3;

    private LocalAws(Builder builder) {
        long started = System.nanoTime();
        this.region = builder.region;
        this.s3Events = new S3EventBridge(region);
        // Absolute and normalised: S3Proxy's filesystem store compares the paths it lists against its base folder as
        // strings, and with a relative base (./run.sh's .reel-data) every listing came back empty, so prefix deletes
        // deleted nothing and ListParts found no parts (issue #15, defects 5 and 9).
        Path dataDirectory = builder.dataDirectory == null ? null : builder.dataDirectory.toAbsolutePath().normalize();
        if (dataDirectory != null) {
            // Tables hold password hashes and sessions: the data folder is its owner's alone (0700).
            createPrivateDirectory(dataDirectory);
            createDirectories(dataDirectory.resolve("dynamodb"));
            createDirectories(dataDirectory.resolve("s3"));
        }
        // The two emulators start independently; overlapping them halves the wait on a 2-core machine. Each is
        // warmed with a first request from its own client (the first call costs more than the start itself).
        var dynamo = CompletableFuture.supplyAsync(() -> warm(startDynamoDb(builder.dynamoDbPort, builder.bindAddress,
                dataDirectory), region));
        BlobStoreContext context = null;
        S3Proxy proxy = null;
        AwsClients s3Factory = null;
        try {
            context = blobStore(dataDirectory);
            proxy = startS3Proxy(builder.s3Port, builder.bindAddress, context,
                    dataDirectory == null ? TransientNio2BlobStore.class : FilesystemNio2BlobStore.class);
            s3Factory = AwsClients.create(serviceEnv(region, "AWS_ENDPOINT_URL_S3", URI.create("http://127.0.0.1:" + proxy.getPort())));
            this.s3 = s3Factory.s3();
            s3.listBuckets();
            RunningDynamoDb running = dynamo.join();
            this.dynamoDbServer = running.server();
            this.dynamoDbEndpoint = URI.create("http://127.0.0.1:" + running.port());
            this.dynamoDbClients = running.clients();
            this.dynamoDb = running.client();
        } catch (RuntimeException e) {
            if (s3Factory != null) {
                s3Factory.close();
            }
            stopQuietly(proxy, context, dynamo);
            throw unwrap(e);
        }
        this.s3Clients = s3Factory;
        this.blobStoreContext = context;
        this.s3Proxy = proxy;
        this.s3Endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        this.clients = AwsClients.create(env());
        this.startTime = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("local AWS ready dynamodb={} s3={} data={} startMs={}", dynamoDbEndpoint, s3Endpoint,
                dataDirectory == null ? "memory" : dataDirectory, startTime.toMillis());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What a function needs to talk to these emulators through {@link AwsClients}. */
    public Env env() {
        return Env.of(Map.of(
                "AWS_REGION", region,
                "AWS_ENDPOINT_URL_DYNAMODB", dynamoDbEndpoint.toString(),
                "AWS_ENDPOINT_URL_S3", s3Endpoint.toString(),
                "AWS_ACCESS_KEY_ID", ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY));
    }

    /** SDK client factory configured for these emulators (shared; do not close it). */
    public AwsClients clients() {
        return clients;
    }

    /** A DynamoDB client already warmed up against DynamoDB Local (shared; do not close it). */
    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    /** An S3 client already warmed up against S3Proxy (shared; do not close it). */
    public S3Client s3() {
        return s3;
    }

    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    public String region() {
        return region;
    }

    /** How long {@link Builder#start()} took, for the performance log. */
    public Duration startTime() {
        return startTime;
    }

    /** Notifications of objects created in S3. */
    public S3EventBridge s3Events() {
        return s3Events;
    }

    /** Creates (if missing) every table and bucket {@code template} declares, named by {@code namer}. */
    public ProvisionedResources provision(Path template, ResourceNamer namer) {
        return provision(TemplateResources.from(CloudFormationTemplate.load(template)), namer);
    }

    public ProvisionedResources provision(TemplateResources resources, ResourceNamer namer) {
        return new ResourceProvisioner(dynamoDb, s3).provision(resources, namer);
    }

    @Override
    public void close() {
        s3Events.close();
        dynamoDb.close();
        s3.close();
        dynamoDbClients.close();
        s3Clients.close();
        stopQuietly(s3Proxy, blobStoreContext, CompletableFuture.completedFuture(new RunningDynamoDb(dynamoDbServer, 0, null, null)));
        clients.close();
    }

    private record RunningDynamoDb(DynamoDBProxyServer server, int port, AwsClients clients, DynamoDbClient client) {
    }

    private static RunningDynamoDb warm(RunningDynamoDb running, String region) {
        AwsClients clients = AwsClients.create(serviceEnv(region, "AWS_ENDPOINT_URL_DYNAMODB",
                URI.create("http://127.0.0.1:" + running.port())));
        DynamoDbClient client = clients.dynamoDb();
        client.listTables();
        return new RunningDynamoDb(running.server(), running.port(), clients, client);
    }

    private static Env serviceEnv(String region, String endpointVariable, URI endpoint) {
        return Env.of(Map.of("AWS_REGION", region, endpointVariable, endpoint.toString(),
                "AWS_ACCESS_KEY_ID", ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY));
    }

    private static RunningDynamoDb startDynamoDb(int requestedPort, String bindAddress, Path dataDirectory) {
        Ports.requireFree(requestedPort, "DynamoDB Local");
        // DynamoDB Local cannot report an ephemeral port, so pick one; retry if another process wins the race.
        RuntimeException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = requestedPort != 0 ? requestedPort : Ports.freePort();
            List<String> args = new java.util.ArrayList<>(List.of("-port", Integer.toString(port), "-disableTelemetry", "-sharedDb"));
            if (dataDirectory == null) {
                args.add("-inMemory");
            } else {
                args.addAll(List.of("-dbPath", dataDirectory.resolve("dynamodb").toString()));
            }
            try {
                DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
                bind(server, bindAddress);
                server.start();
                return new RunningDynamoDb(server, port, null, null);
            } catch (Exception e) {
                last = new LocalAwsException("DynamoDB Local could not start on port " + port + ": " + e.getMessage(), e);
                if (requestedPort != 0) {
                    break;
                }
            }
        }
        throw last;
    }

    private static BlobStoreContext blobStore(Path dataDirectory) {
        Properties overrides = new Properties();
        ContextBuilder builder;
        if (dataDirectory == null) {
            builder = ContextBuilder.newBuilder(new TransientNio2BlobProviderMetadata());
        } else {
            overrides.setProperty(FilesystemConstants.PROPERTY_BASEDIR, dataDirectory.resolve("s3").toString());
            builder = ContextBuilder.newBuilder(new FilesystemNio2BlobProviderMetadata());
        }
        return builder.credentials("local", "local").overrides(overrides).buildView(BlobStoreContext.class);
    }

    private S3Proxy startS3Proxy(int requestedPort, String bindAddress, BlobStoreContext context, Class<?> storeType) {
        Ports.requireFree(requestedPort, "S3Proxy");
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new NotifyingBlobStore(context.getBlobStore(), s3Events, MultipartETags.of(context, storeType)))
                .endpoint(URI.create("http://" + bindAddress + ":" + requestedPort))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
                // Browsers PUT uploads straight to presigned URLs from the web page's origin.
                .corsRules(new CrossOriginResourceSharing(List.of("*"), List.of("GET", "HEAD", "PUT", "POST"),
                        List.of("*"), List.of("ETag", "Content-Length", "Content-Range", "Accept-Ranges"), "false"))
                .v4MaxNonChunkedRequestSize(5L * 1024 * 1024 * 1024)
                .jettyMaxThreads(64)
                .build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new LocalAwsException("S3Proxy did not start within 10 s (state " + proxy.getState() + ")");
                }
                Thread.sleep(5);
            }
            return proxy;
        } catch (LocalAwsException e) {
            throw e;
        } catch (Exception e) {
            throw new LocalAwsException("S3Proxy could not start on port " + requestedPort + ": " + e.getMessage(), e);
        }
    }

    private static void stopQuietly(S3Proxy proxy, BlobStoreContext context, CompletableFuture<RunningDynamoDb> dynamo) {
        try {
            if (proxy != null) {
                proxy.stop();
            }
        } catch (Exception e) {
            LOG.warn("S3Proxy did not stop cleanly", e);
        }
        if (context != null) {
            context.close();
        }
        try {
            RunningDynamoDb running = dynamo.join();
            if (running.server() != null) {
                running.server().stop();
            }
        } catch (CompletionException startFailed) {
            // nothing was started
        } catch (Exception e) {
            LOG.warn("DynamoDB Local did not stop cleanly", e);
        }
    }

    private static RuntimeException unwrap(RuntimeException e) {
        return e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
    }

    /**
     * Makes DynamoDB Local's Jetty listen on {@code address} only: DynamoDB Local has no option for it and would take
     * every interface, leaving the tables (password hashes included) to anyone on the network with made-up
     * credentials. Its server is a private field; if a new version renames it, this fails loudly rather than fall back
     * to every interface (DynamoDbBindIT).
     */
    private static void bind(DynamoDBProxyServer proxy, String address) {
        try {
            var field = DynamoDBProxyServer.class.getDeclaredField("server");
            field.setAccessible(true);
            var server = (org.eclipse.jetty.server.Server) field.get(proxy);
            var connectors = server.getConnectors();
            if (connectors.length == 0) {
                throw new LocalAwsException("DynamoDB Local's server has no connector to bind to " + address);
            }
            for (var connector : connectors) {
                if (!(connector instanceof org.eclipse.jetty.server.AbstractNetworkConnector network)) {
                    throw new LocalAwsException("DynamoDB Local's connector " + connector + " is not a network connector");
                }
                network.setHost(address);
            }
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new LocalAwsException("Cannot bind DynamoDB Local to " + address + " (its internals changed: "
                    + e.getMessage() + "); refusing to listen on every interface", e);
        }
    }

    private static void createPrivateDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            if (Files.getFileStore(dir).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            }
        } catch (java.io.IOException e) {
            throw new LocalAwsException("Cannot create data folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new LocalAwsException("Cannot create data folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** How to start local AWS: in memory by default, or persistent under a data folder. */
    public static final class Builder {
        private Path dataDirectory;
        private int dynamoDbPort;
        private int s3Port;
        private String bindAddress = "127.0.0.1";
        private String region = "us-east-1";

        private Builder() {
        }

        /** Keep data under {@code dir} ({@code dynamodb/} and {@code s3/}) across restarts. */
        public Builder dataDirectory(Path dir) {
            this.dataDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** 0 (the default) picks any free port. */
        public Builder dynamoDbPort(int port) {
            this.dynamoDbPort = checkPort(port);
            return this;
        }

        /** 0 (the default) picks any free port. */
        public Builder s3Port(int port) {
            this.s3Port = checkPort(port);
            return this;
        }

        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /**
         * The address DynamoDB Local and S3Proxy listen on: 127.0.0.1 (the default) keeps them on this machine; a Docker
         * bridge's address (or 0.0.0.0, every network) lets containers reach them ({@code sam local invoke},
         * events/README.md). Clients here still use 127.0.0.1.
         */
        public Builder bindAddress(String address) {
            Objects.requireNonNull(address, "address");
            if (!address.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
                throw new IllegalArgumentException("A bind address is an IPv4 address such as 0.0.0.0, not " + address);
            }
            this.bindAddress = address;
            return this;
        }

        public LocalAws start() {
            return new LocalAws(this);
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("A port is 0 (any free port) or 1-65535, not " + port);
            }
            return port;
        }
    }
}
