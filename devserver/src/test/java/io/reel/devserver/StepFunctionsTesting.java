package io.reel.devserver;

import io.reel.devserver.states.Sleeper;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/** What tests of the devserver's Step Functions share. */
final class StepFunctionsTesting {
    /** Retry intervals pass at once; bounded waits (TimeoutSeconds, a task's own limit) stay real. */
    static final Sleeper NO_WAITS = new Sleeper() {
        @Override
        public void sleep(Duration duration) {
        }

        @Override
        public <T> T await(Future<T> work, Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
            return work.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    };

    private StepFunctionsTesting() {
    }

    /** The real SDK's client of the devserver's Step Functions API (requests are not authenticated locally). */
    static SfnClient client(DevServer server) {
        return SfnClient.builder().endpointOverride(server.stepFunctionsEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
    }
}
