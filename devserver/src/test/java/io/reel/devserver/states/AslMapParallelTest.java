package io.reel.devserver.states;

import static io.reel.devserver.states.Asl.fn;
import static io.reel.devserver.states.Asl.node;
import static io.reel.devserver.states.Asl.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AslMapParallelTest {

    @Test
    void mapWithMaxConcurrencyTwoNeverRunsMoreThanTwo() {
        FakeInvoker invoker = new FakeInvoker().on("chunk", (payload, call) -> {
            Thread.sleep(5); // long enough for the other iterations to pile up if the limit leaked
            return node("{'done': " + payload.get("n") + "}");
        });
        StringBuilder items = new StringBuilder("[");
        for (int i = 0; i < 12; i++) {
            items.append(i == 0 ? "" : ",").append("{'n': ").append(i).append('}');
        }
        Execution e = run("{'StartAt': 'M', 'States': {'M': {'Type': 'Map', 'ItemsPath': '$.chunks', "
                + "'MaxConcurrency': 2, 'ItemProcessor': {'StartAt': 'T', 'States': {'T': {'Type': 'Task', "
                + "'Resource': '" + fn("chunk") + "', 'End': true}}}, 'End': true}}}",
                "{'chunks': " + items + "]}", invoker);

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(invoker.maxRunning.get()).isEqualTo(2);
        assertThat(e.output().orElseThrow()).hasSize(12);
        for (int i = 0; i < 12; i++) {
            assertThat(e.output().orElseThrow().get(i).get("done").asInt()).isEqualTo(i);
        }
    }

    @Test
    void mapWithoutALimitRunsItemsConcurrently() {
        CountDownLatch allStarted = new CountDownLatch(4);
        FakeInvoker invoker = new FakeInvoker().on("chunk", (payload, call) -> {
            allStarted.countDown();
            if (!allStarted.await(5, TimeUnit.SECONDS)) {
                throw new TaskFailure("NotConcurrent", "the iterations ran one at a time");
            }
            return payload;
        });
        Execution e = run("{'StartAt': 'M', 'States': {'M': {'Type': 'Map', 'ItemProcessor': {'StartAt': 'T', "
                + "'States': {'T': {'Type': 'Task', 'Resource': '" + fn("chunk") + "', 'End': true}}}, "
                + "'End': true}}}", "[1, 2, 3, 4]", invoker);

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.output()).contains(node("[1, 2, 3, 4]"));
    }

    @Test
    void contextObjectInsideAMap() {
        FakeInvoker invoker = new FakeInvoker().on("chunk", (payload, call) -> payload);
        Execution e = run("{'StartAt': 'M', 'States': {'M': {'Type': 'Map', 'ItemsPath': '$.keys', "
                + "'ItemSelector': {'index.$': '$$.Map.Item.Index', 'key.$': '$$.Map.Item.Value', "
                + "'bucket.$': '$.bucket'}, "
                + "'ItemProcessor': {'StartAt': 'T', 'States': {'T': {'Type': 'Task', 'Resource': '" + fn("chunk")
                + "', 'Parameters': {'item.$': '$', 'execution.$': '$$.Execution.Name', 'state.$': '$$.State.Name'}, "
                + "'End': true}}}, 'ResultPath': '$.encoded', 'End': true}}}",
                "{'bucket': 'b', 'keys': ['k0', 'k1']}", invoker);

        assertThat(e.status()).as("%s", e.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.output()).contains(node("{'bucket': 'b', 'keys': ['k0', 'k1'], 'encoded': ["
                + "{'item': {'index': 0, 'key': 'k0', 'bucket': 'b'}, 'execution': 'test', 'state': 'T'},"
                + "{'item': {'index': 1, 'key': 'k1', 'bucket': 'b'}, 'execution': 'test', 'state': 'T'}]}"));
        assertThat(e.history()).extracting(HistoryEvent::type).contains("MapStateEntered", "MapStateStarted",
                "MapIterationStarted", "MapIterationSucceeded", "MapStateSucceeded", "MapStateExited");
    }

    @Test
    void aFailedIterationFailsTheMapWithItsErrorAndCancelsTheRest() {
        CountDownLatch never = new CountDownLatch(1);
        FakeInvoker invoker = new FakeInvoker().on("chunk", (payload, call) -> {
            if (payload.asInt() == 1) {
                throw new TaskFailure("ChunkError", "chunk 1 is corrupt");
            }
            never.await(); // the others would run forever unless cancelled
            return payload;
        });
        Execution e = run("{'StartAt': 'M', 'States': {'M': {'Type': 'Map', 'ItemProcessor': {'StartAt': 'T', "
                + "'States': {'T': {'Type': 'Task', 'Resource': '" + fn("chunk") + "', 'End': true}}}, "
                + "'End': true}}}", "[0, 1, 2]", invoker);

        assertThat(e.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(e.error()).contains("ChunkError");
        assertThat(e.cause()).contains("chunk 1 is corrupt");
        assertThat(e.history()).extracting(HistoryEvent::type).contains("MapIterationFailed", "MapStateFailed");
    }

    @Test
    void mapItemsPathMustSelectAnArray() {
        Execution e = run("{'StartAt': 'M', 'States': {'M': {'Type': 'Map', 'ItemsPath': '$.x', 'ItemProcessor': "
                + "{'StartAt': 'P', 'States': {'P': {'Type': 'Pass', 'End': true}}}, 'End': true}}}", "{'x': 5}");

        assertThat(e.error()).contains("States.Runtime");
    }

    @Test
    void parallelOutputIsAnArrayInBranchOrder() {
        FakeInvoker invoker = new FakeInvoker()
                .on("slow", (payload, call) -> {
                    Thread.sleep(20);
                    return node("'slow'");
                })
                .on("fast", (payload, call) -> node("'fast'"));
        Execution e = run("{'StartAt': 'P', 'States': {'P': {'Type': 'Parallel', 'Branches': ["
                + "{'StartAt': 'A', 'States': {'A': {'Type': 'Task', 'Resource': '" + fn("slow") + "', 'End': true}}},"
                + "{'StartAt': 'B', 'States': {'B': {'Type': 'Task', 'Resource': '" + fn("fast") + "', 'End': true}}},"
                + "{'StartAt': 'C', 'States': {'C': {'Type': 'Pass', 'InputPath': '$.v', 'End': true}}}], "
                + "'ResultSelector': {'first.$': '$[0]', 'all.$': '$'}, 'End': true}}}", "{'v': 3}", invoker);

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.output()).contains(node("{'first': 'slow', 'all': ['slow', 'fast', 3]}"));
    }

    @Test
    void aFailingBranchFailsTheParallel() {
        CountDownLatch never = new CountDownLatch(1);
        FakeInvoker invoker = new FakeInvoker()
                .on("hang", (payload, call) -> {
                    never.await();
                    return payload;
                })
                .on("bad", (payload, call) -> {
                    throw new TaskFailure("AudioError", "no audio stream");
                });
        Execution e = run("{'StartAt': 'P', 'States': {'P': {'Type': 'Parallel', 'Branches': ["
                + "{'StartAt': 'A', 'States': {'A': {'Type': 'Task', 'Resource': '" + fn("hang") + "', 'End': true}}},"
                + "{'StartAt': 'B', 'States': {'B': {'Type': 'Task', 'Resource': '" + fn("bad") + "', 'End': true}}}], "
                + "'Catch': [{'ErrorEquals': ['AudioError'], 'ResultPath': '$.error', 'Next': 'Caught'}], 'End': true}, "
                + "'Caught': {'Type': 'Pass', 'End': true}}}", "{}", invoker);

        assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(e.output()).contains(node("{'error': {'Error': 'AudioError', 'Cause': 'no audio stream'}}"));
        assertThat(e.history()).extracting(HistoryEvent::type).contains("ParallelStateFailed");
    }
}
