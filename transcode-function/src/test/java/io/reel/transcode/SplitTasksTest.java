package io.reel.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import org.junit.jupiter.api.Test;

/** The sentence a failed long video's uploader reads, from the error that ended its execution (as Step Functions gives it). */
class SplitTasksTest {

    private static JsonNode error(String error, String cause) {
        return Json.mapper().createObjectNode().put("Error", error).put("Cause", cause);
    }

    @Test
    void aRejectedInput_showsItsOwnSentence() {
        String cause = "{\"errorMessage\":\"The video is damaged and could not be read past 41:07.\",\"errorType\":\""
                + SplitTaskHandler.RejectedInputRuntimeException.class.getName() + "\",\"stackTrace\":[]}";
        assertThat(SplitTasks.reason(error(SplitTaskHandler.RejectedInputRuntimeException.class.getName(), cause)))
                .isEqualTo("The video is damaged and could not be read past 41:07.");
    }

    @Test
    void aTimeout_tookTooLong() {
        assertThat(SplitTasks.reason(error("States.Timeout", "")))
                .isEqualTo(SplitTasks.TOO_LONG);
        assertThat(SplitTasks.reason(error("Lambda.Unknown", "{\"errorMessage\":\"Task timed out after 900.00 seconds\"}")))
                .isEqualTo(SplitTasks.TOO_LONG);
    }

    @Test
    void anythingElse_isOurs_andNeverLeaksItsDetails() {
        assertThat(SplitTasks.reason(error("java.io.UncheckedIOException", "{\"errorMessage\":\"/tmp/reel-chunk-1/x: disk full\"}")))
                .isEqualTo(SplitTasks.OUR_SIDE);
        assertThat(SplitTasks.reason(error("Lambda.ServiceException", "boom"))).isEqualTo(SplitTasks.OUR_SIDE);
        assertThat(SplitTasks.reason(null)).isEqualTo(SplitTasks.OUR_SIDE);
        // A rejected input whose cause is not the error object it should be: ours, not a stack trace.
        assertThat(SplitTasks.reason(error(SplitTaskHandler.RejectedInputRuntimeException.class.getName(), "not json")))
                .isEqualTo(SplitTasks.OUR_SIDE);
    }
}
