package io.reel.transcode.split;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How one upload is processed (issue #16): in one invocation, as today, or split into chunks that separate invocations
 * encode in parallel and a last one stitches.
 *
 * <p>A chunk is a whole number of HLS segments of the one-invocation output, starting at a multiple of
 * {@code segmentSeconds} in source time. Keyframes are forced at the same source times in both paths (every GOP, from
 * 0 s), so the stitched playlists have the segment boundaries, IDR positions and timestamps the one-invocation output
 * would have; only the last chunk may end mid-segment, where the video ends.
 *
 * <p>The plan is bounded whatever the file claims: the duration given must be one the probe measured or verified (a
 * header's duration alone can lie), and there are never more than {@link Settings#maxChunks()} chunks. A source that
 * would need more chunks than that, each within {@link Settings#maxChunkSeconds()}, is refused with a sentence.
 *
 * @param chunks empty for {@link Mode#SINGLE}
 */
public record SplitPlan(Mode mode, List<Chunk> chunks) {
    public SplitPlan {
        chunks = List.copyOf(chunks);
    }

    /** Where the work runs. */
    public enum Mode {
        /** One invocation does everything (short sources). */
        SINGLE,
        /** A state machine encodes {@link #chunks()} in parallel, then stitches. */
        SPLIT
    }

    /**
     * One chunk: source time {@code [startSeconds, endSeconds)}, holding segments {@code firstSegment} to
     * {@code firstSegment + segments - 1} of every rung.
     */
    public record Chunk(int index, double startSeconds, double endSeconds, int firstSegment, int segments) {
    }

    /**
     * @param segmentSeconds  the HLS segment length of the ladder (6 s)
     * @param singleUpTo      sources up to this long (seconds) are done in one invocation
     * @param chunkSeconds    the chunk length wanted (rounded down to whole segments, at least one)
     * @param maxChunkSeconds the longest chunk one invocation is sure to finish; chunks grow up to it when a source would
     *                        otherwise need more than {@code maxChunks}
     * @param maxChunks       the ceiling on the chunk count (what the account's concurrency and the state machine's
     *                        history can carry)
     */
    public record Settings(int segmentSeconds, double singleUpTo, double chunkSeconds, double maxChunkSeconds, int maxChunks) {
        public Settings {
            if (segmentSeconds < 1 || !(singleUpTo >= 0) || !(chunkSeconds >= segmentSeconds)
                    || !(maxChunkSeconds >= chunkSeconds) || maxChunks < 2) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "Split settings out of range: segments %d s, "
                                + "single up to %.1f s, chunks %.1f s (at most %.1f s), at most %d chunks; chunks must be at "
                                + "least one segment, at most the longest chunk, and there must be room for two",
                        segmentSeconds, singleUpTo, chunkSeconds, maxChunkSeconds, maxChunks));
            }
        }
    }

    /** A source this plan cannot be made for, with a sentence for the uploader. */
    public static final class TooLongException extends Exception {
        private static final long serialVersionUID = 1L;

        TooLongException(String message) {
            super(message);
        }
    }

    /**
     * The plan for a source of {@code probedSeconds} (measured, or verified against the file's last packets: never a
     * header's claim alone).
     *
     * @throws TooLongException         if even chunks of {@code maxChunkSeconds} would be more than {@code maxChunks}
     * @throws IllegalArgumentException if the duration is not a positive number
     */
    public static SplitPlan plan(double probedSeconds, Settings settings) throws TooLongException {
        if (!(probedSeconds > 0) || Double.isInfinite(probedSeconds)) {
            throw new IllegalArgumentException("A source's duration must be a positive number of seconds, not " + probedSeconds);
        }
        if (probedSeconds <= settings.singleUpTo()) {
            return new SplitPlan(Mode.SINGLE, List.of());
        }
        int segment = settings.segmentSeconds();
        long totalSegments = (long) Math.ceil(probedSeconds / segment - 1e-9);
        int perChunk = Math.max(1, (int) Math.floor(settings.chunkSeconds() / segment));
        int mostPerChunk = Math.max(1, (int) Math.floor(settings.maxChunkSeconds() / segment));
        if (ceilDiv(totalSegments, perChunk) > settings.maxChunks()) {
            perChunk = (int) Math.min(Integer.MAX_VALUE, ceilDiv(totalSegments, settings.maxChunks()));
            if (perChunk > mostPerChunk) {
                throw new TooLongException(String.format(Locale.ROOT, "The video is too long to process: it lasts %s, and "
                                + "the longest this platform processes is %s.", hours(probedSeconds),
                        hours((double) settings.maxChunks() * mostPerChunk * segment)));
            }
        }
        List<Chunk> chunks = new ArrayList<>();
        for (long first = 0; first < totalSegments; first += perChunk) {
            int count = (int) Math.min(perChunk, totalSegments - first);
            double start = first * (double) segment;
            double end = Math.min(probedSeconds, (first + count) * (double) segment);
            chunks.add(new Chunk(chunks.size(), start, end, (int) first, count));
        }
        return new SplitPlan(Mode.SPLIT, chunks);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** "2 h 05 min", "47 min", for sentences. */
    static String hours(double seconds) {
        long minutes = (long) Math.ceil(seconds / 60 - 1e-9);
        return minutes >= 60 ? String.format(Locale.ROOT, "%d h %02d min", minutes / 60, minutes % 60) : minutes + " min";
    }
}
