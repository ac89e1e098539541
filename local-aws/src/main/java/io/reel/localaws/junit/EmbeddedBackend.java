package io.reel.localaws.junit;

import io.reel.core.AwsClients;
import io.reel.core.Env;
import io.reel.localaws.LocalAws;
import io.reel.localaws.S3EventBridge;
import java.util.Optional;

/** DynamoDB Local and S3Proxy in this JVM, in memory. */
final class EmbeddedBackend implements AwsBackend {
    private final LocalAws localAws;

    EmbeddedBackend(LocalAws localAws) {
        this.localAws = localAws;
    }

    @Override
    public String name() {
        return "embedded (DynamoDB Local + S3Proxy)";
    }

    @Override
    public Env env() {
        return localAws.env();
    }

    @Override
    public AwsClients clients() {
        return localAws.clients();
    }

    @Override
    public Optional<S3EventBridge> s3Events() {
        return Optional.of(localAws.s3Events());
    }

    @Override
    public void close() {
        localAws.close();
    }
}
