package io.reel.devserver.states;

import static io.reel.devserver.states.Asl.fn;
import static io.reel.devserver.states.Asl.node;
import static io.reel.devserver.states.Asl.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A definition shaped like issue #16's transcode pipeline: Parallel[Map(chunks) → encode, audio] → stitch, with
 * Retry per task and a Catch that records the failure.
 */
class PipelineStateMachineTest {
    private static final String PIPELINE = """
            {'Comment': 'Transcode a long upload in chunks', 'StartAt': 'Transcode', 'TimeoutSeconds': 3600,
             'States': {
              'Transcode': {'Type': 'Parallel', 'Branches': [
                 {'StartAt': 'EncodeChunks', 'States': {
                   'EncodeChunks': {'Type': 'Map', 'ItemsPath': '$.chunks', 'MaxConcurrency': 2,
                     'ItemSelector': {'videoId.$': '$.videoId', 'chunk.$': '$$.Map.Item.Value',
                                      'index.$': '$$.Map.Item.Index'},
                     'ItemProcessor': {'ProcessorConfig': {'Mode': 'INLINE'}, 'StartAt': 'Encode', 'States': {
                       'Encode': {'Type': 'Task', 'Resource': '%s',
                         'Retry': [{'ErrorEquals': ['States.TaskFailed'], 'IntervalSeconds': 2, 'MaxAttempts': 2,
                                    'BackoffRate': 2}],
                         'End': true}}},
                     'End': true}}},
                 {'StartAt': 'Audio', 'States': {
                   'Audio': {'Type': 'Task', 'Resource': 'arn:aws:states:::lambda:invoke',
                     'Parameters': {'FunctionName': '%s', 'Payload': {'videoId.$': '$.videoId'}},
                     'ResultSelector': {'audio.$': '$.Payload.key'},
                     'Retry': [{'ErrorEquals': ['States.ALL'], 'MaxAttempts': 2}],
                     'End': true}}}],
                'ResultSelector': {'chunks.$': '$[0]', 'audio.$': '$[1].audio'},
                'ResultPath': '$.encoded',
                'Catch': [{'ErrorEquals': ['States.ALL'], 'ResultPath': '$.error', 'Next': 'MarkFailed'}],
                'Next': 'Stitch'},
              'Stitch': {'Type': 'Task', 'Resource': '%s',
                'Parameters': {'videoId.$': '$.videoId', 'parts.$': '$.encoded.chunks', 'audio.$': '$.encoded.audio'},
                'Retry': [{'ErrorEquals': ['States.ALL'], 'MaxAttempts': 2}],
                'Catch': [{'ErrorEquals': ['States.ALL'], 'ResultPath': '$.error', 'Next': 'MarkFailed'}],
                'End': true},
              'MarkFailed': {'Type': 'Task', 'Resource': '%s',
                'Parameters': {'videoId.$': '$.videoId', 'error.$': '$.error.Error', 'cause.$': '$.error.Cause'},
                'Next': 'Failed'},
              'Failed': {'Type': 'Fail', 'Error': 'TranscodeFailed', 'Cause': 'See the video record'}
             }}""".formatted(fn("encode"), fn("audio"), fn("stitch"), fn("markFailed"));
    private static final String INPUT = "{'videoId': 'v1', 'chunks': ['c0', 'c1', 'c2', 'c3']}";

    private static FakeInvoker invoker(FakeInvoker.Function encode) {
        return new FakeInvoker().on("encode", encode)
                .on("audio", (payload, call) -> node("{'key': 'out/" + payload.get("videoId").asText() + ".aac'}"))
                .on("stitch", (payload, call) -> node("{'playlist': 'out/v1.m3u8', 'parts': "
                        + payload.get("parts").size() + ", 'audio': '" + payload.get("audio").asText() + "'}"))
                .on("markFailed", (payload, call) -> node("{'recorded': true}"));
    }

    @Test
    void aChunkThatFailsOnceIsRetriedAndThePipelineSucceeds() {
        FakeSleeper sleeper = new FakeSleeper();
        FakeInvoker invoker = invoker(new FlakyOnce()::apply);

        Execution e = run(PIPELINE, INPUT, invoker, sleeper);

        assertThat(e.status()).as("%s %s", e.error(), e.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.output()).contains(node("{'playlist': 'out/v1.m3u8', 'parts': 4, 'audio': 'out/v1.aac'}"));
        assertThat(invoker.callsTo("encode")).isEqualTo(5);
        assertThat(invoker.callsTo("markFailed")).isZero();
        assertThat(invoker.maxRunning.get()).isLessThanOrEqualTo(3); // 2 chunks + the audio branch
        assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(2));
        assertThat(invoker.calls).filteredOn(c -> FakeInvoker.nameOf(c.function()).equals("stitch")).singleElement()
                .satisfies(c -> assertThat(c.payload()).isEqualTo(node("{'videoId': 'v1', 'parts': ["
                        + "{'part': 'out/c0.ts'}, {'part': 'out/c1.ts'}, {'part': 'out/c2.ts'}, {'part': 'out/c3.ts'}],"
                        + " 'audio': 'out/v1.aac'}")));
    }

    @Test
    void aChunkThatAlwaysFailsIsCaughtAndRecordedByMarkFailed() {
        FakeSleeper sleeper = new FakeSleeper();
        FakeInvoker invoker = invoker((payload, call) -> {
            if (payload.get("index").asInt() == 1) {
                throw TaskFailure.lambdaError("io.reel.EncodeException", "ffmpeg exited 1 on c1");
            }
            return node("{'part': 'out/" + payload.get("chunk").asText() + ".ts'}");
        });

        Execution e = run(PIPELINE, INPUT, invoker, sleeper);

        assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(e.error()).contains("TranscodeFailed");
        assertThat(invoker.calls).filteredOn(c -> FakeInvoker.nameOf(c.function()).equals("markFailed"))
                .singleElement().satisfies(c -> assertThat(c.payload()).isEqualTo(node("{'videoId': 'v1', "
                        + "'error': 'io.reel.EncodeException', 'cause': '{\\\"errorMessage\\\":\\\"ffmpeg exited 1 on c1\\\","
                        + "\\\"errorType\\\":\\\"io.reel.EncodeException\\\",\\\"stackTrace\\\":[]}'}")));
        assertThat(invoker.callsTo("stitch")).isZero();
        // chunk 1: the first attempt and two retries, 2 s then 4 s apart
        assertThat(invoker.calls).filteredOn(c -> FakeInvoker.nameOf(c.function()).equals("encode")
                && c.payload().get("index").asInt() == 1).hasSize(3);
        assertThat(sleeper.sleeps).contains(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    /** Fails chunk 1's first attempt only, whatever order the chunks run in. */
    private static final class FlakyOnce {
        private final java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();

        com.fasterxml.jackson.databind.JsonNode apply(com.fasterxml.jackson.databind.JsonNode payload, int call)
                throws TaskFailure {
            if (payload.get("index").asInt() == 1 && failed.compareAndSet(false, true)) {
                throw TaskFailure.lambdaError("io.reel.EncodeException", "ffmpeg exited 1 on c1");
            }
            return node("{'part': 'out/" + payload.get("chunk").asText() + ".ts'}");
        }
    }
}
