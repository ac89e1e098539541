package io.reel.transcode.split;

import io.reel.core.Json;
import io.reel.core.log.JsonLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/**
 * Hands a long video to the state machine (issue #16): one execution per processing attempt, named after the video
 * and the attempt, so a redelivered event of the same attempt starts nothing new (Step Functions keeps a name for 90
 * days) and a later attempt (its claim taken over after the first one died) gets its own execution and work folder.
 */
public final class LongVideoStarter {
    private static final JsonLog LOG = JsonLog.create(LongVideoStarter.class);

    private final SfnClient stepFunctions;
    private final String stateMachineArn;

    public LongVideoStarter(SfnClient stepFunctions, String stateMachineArn) {
        this.stepFunctions = stepFunctions;
        this.stateMachineArn = stateMachineArn;
    }

    /** The execution's input: the job, and the chunks its Map state fans out over. */
    static Map<String, Object> input(SplitJob job, List<SplitPlan.Chunk> chunks) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("job", job);
        input.put("chunks", chunks);
        return input;
    }

    /** Execution names allow 80 characters of letters, digits, - and _. */
    static String executionName(String videoId, int attempt) {
        String name = videoId + "-" + attempt;
        return name.length() <= 80 ? name : name.substring(name.length() - 80);
    }

    /** @return the execution's name (started now, or already by an earlier delivery of the same attempt) */
    public String start(SplitJob job, int attempt, SplitPlan plan) {
        String name = executionName(job.videoId(), attempt);
        String input = Json.write(input(job, plan.chunks()));
        try {
            stepFunctions.startExecution(r -> r.stateMachineArn(stateMachineArn).name(name).input(input));
            LOG.info("transcode.split_started", Map.of("videoId", job.videoId(), "execution", name, "chunks", plan.chunks().size(),
                    "seconds", job.description().duration().toSeconds()));
        } catch (ExecutionAlreadyExistsException started) {
            LOG.info("transcode.split_already_started", Map.of("videoId", job.videoId(), "execution", name));
        }
        return name;
    }
}
