package io.reel.transcode.split;

import io.reel.transcode.probe.Description;
import java.util.regex.Pattern;

/**
 * What every task of a long video's execution (issue #16) is told about the video: the upload it processes (pinned
 * by its eTag), how to open it (the demuxer the probe chose), where the intermediate files go, and the probe's
 * description of the source, so no task probes the file again.
 *
 * @param work the key prefix of this attempt's intermediate files in the media bucket ({@code work/{id}/{attempt}/})
 */
public record SplitJob(String videoId, String eTag, String bucket, String key, String demuxer, String work, int chunks,
                       Description description) {
    private static final Pattern WORK = Pattern.compile("work/[A-Za-z0-9_-]{1,64}/[0-9]{1,4}/");

    public SplitJob {
        if (videoId == null || eTag == null || bucket == null || key == null || demuxer == null || description == null) {
            throw new IllegalArgumentException("A split job names its video, upload, demuxer and description");
        }
        if (work == null || !WORK.matcher(work).matches() || !work.startsWith("work/" + videoId + "/")) {
            throw new IllegalArgumentException("Not a work prefix: " + work);
        }
        if (chunks < 1) {
            throw new IllegalArgumentException("A split job has chunks: " + chunks);
        }
    }

    /** {@code work/{id}/{attempt}/}: one attempt's files, so a later attempt never reads an earlier one's. */
    public static String workPrefix(String videoId, int attempt) {
        return "work/" + videoId + "/" + attempt + "/";
    }

    /** The key of a chunk's file, e.g. {@code chunk-00003/720p.mp4}. */
    public String chunkKey(int chunk, String file) {
        return work + String.format(java.util.Locale.ROOT, "chunk-%05d/", chunk) + file;
    }

    public String audioKey() {
        return work + "audio.mp4";
    }
}
