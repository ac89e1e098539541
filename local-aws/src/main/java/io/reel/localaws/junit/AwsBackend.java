package io.reel.localaws.junit;

import io.reel.core.AwsClients;
import io.reel.core.Env;
import io.reel.localaws.S3EventBridge;
import java.util.Optional;

/** Where integration tests find AWS: the in-process emulators, or LocalStack in Docker. */
interface AwsBackend extends AutoCloseable {
    String name();

    /** Region, endpoints and credentials, as {@link AwsClients} reads them. */
    Env env();

    AwsClients clients();

    /** S3 notifications, where this backend can deliver them in-process. */
    Optional<S3EventBridge> s3Events();

    @Override
    void close();
}
