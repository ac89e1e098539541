package io.reel.localaws.junit;

import io.reel.core.AwsClients;
import io.reel.core.Env;
import io.reel.localaws.S3EventBridge;
import java.util.Map;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack in Docker through Testcontainers, chosen with {@code -Dreel.aws=localstack}. S3 notifications are not
 * bridged in-process here, so tests that need them are skipped on this backend.
 */
final class LocalStackBackend implements AwsBackend {
    static final String IMAGE = "localstack/localstack:4.4";

    private final LocalStackContainer container;
    private final Env env;
    private final AwsClients clients;

    private LocalStackBackend(LocalStackContainer container) {
        this.container = container;
        this.env = Env.of(Map.of(
                "AWS_REGION", container.getRegion(),
                "AWS_ENDPOINT_URL", container.getEndpoint().toString(),
                "AWS_ACCESS_KEY_ID", container.getAccessKey(),
                "AWS_SECRET_ACCESS_KEY", container.getSecretKey()));
        this.clients = AwsClients.create(env);
    }

    /** Starts LocalStack, or explains why it cannot run here. */
    static LocalStackBackend start(DockerProbe docker) {
        if (!docker.isAvailable()) {
            throw new BackendUnavailableException("-Dreel.aws=localstack was given, but no Docker engine is reachable "
                    + "from this machine, so LocalStack cannot run; the integration tests that need AWS are skipped. "
                    + "Start Docker, or run without -Dreel.aws to use the in-process emulators (DynamoDB Local + S3Proxy).");
        }
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(IMAGE)).withServices("dynamodb", "s3", "kms");
        container.start();
        return new LocalStackBackend(container);
    }

    @Override
    public String name() {
        return "LocalStack (" + IMAGE + ")";
    }

    @Override
    public Env env() {
        return env;
    }

    @Override
    public AwsClients clients() {
        return clients;
    }

    @Override
    public Optional<S3EventBridge> s3Events() {
        return Optional.empty();
    }

    @Override
    public void close() {
        clients.close();
        container.stop();
    }

    /** Whether a Docker engine answers; a seam so the "no Docker" path is testable anywhere. */
    @FunctionalInterface
    interface DockerProbe {
        boolean isAvailable();

        static DockerProbe testcontainers() {
            return () -> {
                try {
                    return DockerClientFactory.instance().isDockerAvailable();
                } catch (RuntimeException | LinkageError e) {
                    return false;
                }
            };
        }
    }
}
