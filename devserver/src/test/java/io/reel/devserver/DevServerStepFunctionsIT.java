package io.reel.devserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import io.reel.devserver.fixtures.StepHandlers;
import io.reel.localaws.template.TemplateException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

/**
 * The template's state machines behind the Step Functions API, called with the real SDK client, against a devserver
 * started from {@code fixture-states/template.yaml} and fixture functions ({@link StepHandlers}).
 */
class DevServerStepFunctionsIT {
    private static final Path FIXTURE = Path.of("src/test/resources/fixture-states");
    private static final String MACHINES = "arn:aws:states:us-east-1:000000000000:stateMachine:";
    private static final String PIPELINE = MACHINES + "reel-local-pipeline";
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static DevServer server;
    private static SfnClient sfn;

    @BeforeAll
    static void start() {
        server = DevServer.builder()
                .template(FIXTURE.resolve("template.yaml"))
                .siteDirectory(FIXTURE.resolve("no-site"))
                .port(0)
                .stateMachineSleeper(StepFunctionsTesting.NO_WAITS)
                .start();
        sfn = StepFunctionsTesting.client(server);
    }

    @AfterAll
    static void stop() {
        if (sfn != null) {
            sfn.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aMapOverTwoTasks_thenAFinalTask_succeedsWithTheFinalTasksOutput() throws Exception {
        String arn = sfn.startExecution(r -> r.stateMachineArn(PIPELINE).name("sum-" + UUID.randomUUID())
                .input("{\"items\": [{\"n\": 1}, {\"n\": 4}]}")).executionArn();

        DescribeExecutionResponse done = awaitClosed(arn);

        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        // (1*2+1) + (4*2+1)
        assertThat(Json.mapper().readTree(done.output())).isEqualTo(Json.mapper().readTree("{\"total\": 12}"));
        assertThat(done.stateMachineArn()).isEqualTo(PIPELINE);
        assertThat(done.stopDate()).isAfterOrEqualTo(done.startDate());
        var history = sfn.getExecutionHistory(r -> r.executionArn(arn)).events();
        // two items through two Resource-ARN tasks; the final task is the lambda:invoke integration, a Task* event
        assertThat(history).filteredOn(e -> e.type() == HistoryEventType.LAMBDA_FUNCTION_SUCCEEDED).hasSize(4);
        assertThat(history).filteredOn(e -> e.type() == HistoryEventType.TASK_SUCCEEDED).hasSize(1);
        assertThat(history.getLast().type()).isEqualTo(HistoryEventType.EXECUTION_SUCCEEDED);
        assertThat(sfn.listExecutions(r -> r.stateMachineArn(PIPELINE)).executions())
                .anySatisfy(e -> assertThat(e.executionArn()).isEqualTo(arn));
    }

    @Test
    void withoutAName_anExecutionIsNamedByAUuid() {
        var started = sfn.startExecution(r -> r.stateMachineArn(PIPELINE).input("{\"items\": []}"));

        assertThat(started.executionArn()).matches(
                "arn:aws:states:us-east-1:000000000000:execution:reel-local-pipeline:[0-9a-f-]{36}");
        assertThat(started.startDate()).isNotNull();
    }

    @Test
    void anUploadStartsThePipeline_throughTheSdkInAFunction_withTheEndpointAndArnFromItsEnvironment() throws Exception {
        String key = "uploads/clip-" + UUID.randomUUID().toString().substring(0, 8) + ".mp4";
        server.localAws().s3().putObject(r -> r.bucket(server.names().bucket("UploadsBucket")).key(key),
                RequestBody.fromString("not really a video"));
        String arn = PIPELINE.replace(":stateMachine:", ":execution:") + ":"
                + key.substring("uploads/".length()).replace('.', '-');

        DescribeExecutionResponse done = poll(() -> {
            try {
                DescribeExecutionResponse d = sfn.describeExecution(r -> r.executionArn(arn));
                return d.status() == ExecutionStatus.RUNNING ? null : d;
            } catch (ExecutionDoesNotExistException notYet) {
                return null;
            }
        });

        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        // items 1, 2, 3: 3 + 5 + 7
        assertThat(Json.mapper().readTree(done.output()).get("total").asInt()).isEqualTo(15);
    }

    @Test
    void aFailingTask_isRetried_thenCaught_withTheFunctionsErrorTypeAndErrorObject() throws Exception {
        String runId = UUID.randomUUID().toString();
        String arn = sfn.startExecution(r -> r.stateMachineArn(MACHINES + "Fragile").input("{\"runId\": \"" + runId + "\"}"))
                .executionArn();

        DescribeExecutionResponse done = awaitClosed(arn);

        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(StepHandlers.AlwaysFails.calls(runId)).isEqualTo(3); // the first attempt and MaxAttempts 2
        JsonNode output = Json.mapper().readTree(done.output());
        assertThat(output.get("error").asText()).isEqualTo("io.reel.devserver.fixtures.StepHandlers$ChunkFailure");
        assertThat(output.get("detail").get("errorType").asText()).isEqualTo("io.reel.devserver.fixtures.StepHandlers$ChunkFailure");
        assertThat(output.get("detail").get("errorMessage").asText()).isEqualTo("chunk " + runId + " is corrupt (call 3)");
        assertThat(output.get("detail").get("stackTrace").get(0).asText()).contains("StepHandlers$AlwaysFails.handleRequest");
    }

    @Test
    void anUnknownStateMachine_isStateMachineDoesNotExist() {
        assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn(MACHINES + "Nope").input("{}")))
                .isInstanceOf(StateMachineDoesNotExistException.class)
                .hasMessageContaining(MACHINES + "Nope");
    }

    @Test
    void theSameNameWithAnotherInput_isExecutionAlreadyExists() {
        String name = "dup-" + UUID.randomUUID();
        sfn.startExecution(r -> r.stateMachineArn(PIPELINE).name(name).input("{\"items\": [{\"n\": 1}]}"));

        assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn(PIPELINE).name(name)
                .input("{\"items\": [{\"n\": 2}]}")))
                .isInstanceOf(ExecutionAlreadyExistsException.class)
                .hasMessageContaining(name);
    }

    @Test
    void stopExecution_abortsIt_andInterruptsTheRunningFunction() throws Exception {
        String runId = UUID.randomUUID().toString();
        String arn = sfn.startExecution(r -> r.stateMachineArn(MACHINES + "Stoppable").input("{\"runId\": \"" + runId + "\"}"))
                .executionArn();
        assertThat(StepHandlers.Blocking.started(runId).await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        var stopped = sfn.stopExecution(r -> r.executionArn(arn).error("Cancelled").cause("the user cancelled"));

        DescribeExecutionResponse done = sfn.describeExecution(r -> r.executionArn(arn));
        assertThat(done.status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(done.error()).isEqualTo("Cancelled");
        assertThat(done.cause()).isEqualTo("the user cancelled");
        assertThat(stopped.stopDate()).isEqualTo(done.stopDate());
        assertThat(poll(() -> StepHandlers.Blocking.interrupted(runId) ? true : null)).isTrue();
    }

    @Test
    void theEndpoint_listensOnLoopbackOnly_likeTheEmulators() throws Exception {
        int port = server.stepFunctionsEndpoint().getPort();
        assertThat(connects(java.net.InetAddress.getLoopbackAddress(), port)).isTrue();
        java.util.Optional<java.net.InetAddress> outward = java.net.NetworkInterface.networkInterfaces()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(java.net.NetworkInterface::inetAddresses).filter(a -> a instanceof java.net.Inet4Address).findFirst();
        org.junit.jupiter.api.Assumptions.assumeTrue(outward.isPresent(), "no non-loopback IPv4 address to test from");
        assertThat(connects(outward.get(), port)).as("the Step Functions endpoint from " + outward.get()).isFalse();
    }

    private static boolean connects(java.net.InetAddress address, int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(address, port), 1_000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void anUnknownExecution_isExecutionDoesNotExist() {
        assertThatThrownBy(() -> sfn.describeExecution(r -> r.executionArn(
                PIPELINE.replace(":stateMachine:", ":execution:") + ":never-started")))
                .isInstanceOf(ExecutionDoesNotExistException.class);
    }

    @Test
    void aDefinitionTheInterpreterRefuses_stopsTheDevserverAtStart_namingTheResource() {
        assertThatThrownBy(() -> DevServer.builder().template(FIXTURE.resolve("unsupported.yaml"))
                .siteDirectory(FIXTURE.resolve("no-site")).port(0).start().close())
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("Resource Scheduled (AWS::Serverless::StateMachine), property Definition")
                .hasMessageContaining("TimestampPath");
    }

    private static DescribeExecutionResponse awaitClosed(String executionArn) {
        return poll(() -> {
            DescribeExecutionResponse d = sfn.describeExecution(r -> r.executionArn(executionArn));
            return d.status() == ExecutionStatus.RUNNING ? null : d;
        });
    }

    /** Polls every 20 ms until {@code check} gives a value, failing after {@link #DEADLINE}. */
    private static <T> T poll(Supplier<T> check) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            T value = check.get();
            if (value != null) {
                return value;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while polling", e);
            }
        }
        throw new AssertionError("not done within " + DEADLINE);
    }
}
