package io.reel.transcode.probe;

import io.reel.transcode.probe.ProbeResult.Reason;
import io.reel.transcode.probe.ProbeResult.Refused;
import io.reel.transcode.probe.ProbeResult.TimedOut;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens one uploaded file with FFmpeg, in-process through JavaCV, and says whether Reel can transcode it: a
 * {@link Description}, or a refusal the uploader can read and act on.
 *
 * <p>An upload is hostile until proven otherwise, so the work runs cheapest and safest first:
 * <ol>
 * <li>Java alone: the path must be a regular file (not a FIFO, device, directory or symbolic link, on which FFmpeg
 * could block or read something else), not empty, within the size limit, and its first bytes must be MP4/MOV or
 * Matroska/WebM ({@link ContainerSniffer}). Nothing native touches the file before this passes.</li>
 * <li>FFmpeg, on a worker thread within a wall-clock budget, with the sniffed demuxer forced (no format
 * auto-detection), only the {@code file} protocol allowed, and the accepted demuxers whitelisted as a second line of
 * defence, so no playlist, concat list or reference inside a file can make FFmpeg open another file. The container
 * header is checked first, without decoding ({@link HeaderPreflight}); then JavaCV opens the file, the limits are
 * checked and the first picture is decoded for real.</li>
 * </ol>
 *
 * <p>One instance can probe many files, from several threads.
 */
public final class MediaProbe {

    /** Local files only. Nested opens (HLS segments, concat entries, MP4 data references) inherit it. */
    static final String PROTOCOL_WHITELIST = "file";
    /** The demuxers Reel accepts, as FFmpeg names them: mov (MP4, MOV, 3GP...) and matroska (MKV, WebM). */
    static final String FORMAT_WHITELIST = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm";
    /**
     * How much longer than the budget the caller waits: the worker stops itself at the deadline where FFmpeg lets it
     * (header read, packet scan), and then the answer comes from the worker and the process is not tainted.
     */
    private static final Duration GRACE = Duration.ofMillis(500);

    static {
        Natives.prepare(); // before this class's first use loads any native library
    }

    private final ProbeLimits limits;

    public MediaProbe(ProbeLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        FfmpegLog.install();
    }

    /**
     * Decides about one file. Answers within the budget and a little more whatever the file holds.
     *
     * @throws RuntimeException only for a fault of ours (a bug), never because of the file's content
     */
    public ProbeResult probe(Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return new Refused(Reason.UNREADABLE, Messages.unreadable(), "cannot stat: " + e);
        }
        if (!attributes.isRegularFile()) {
            return new Refused(Reason.NOT_A_REGULAR_FILE, Messages.unreadable(), "not a regular file: " + file);
        }
        long size = attributes.size();
        if (size == 0) {
            return new Refused(Reason.EMPTY_FILE, Messages.empty(), "0 bytes");
        }
        if (size > limits.maxFileBytes()) {
            return new Refused(Reason.FILE_TOO_LARGE, Messages.fileTooLarge(size, limits.maxFileBytes()),
                    size + " > " + limits.maxFileBytes() + " bytes");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            head = in.readNBytes(ContainerSniffer.BYTES_NEEDED);
        } catch (IOException e) {
            return new Refused(Reason.UNREADABLE, Messages.unreadable(), "cannot read the first bytes: " + e);
        }
        ContainerSniffer.Sniff sniff = ContainerSniffer.sniff(head);
        if (!sniff.accepted()) {
            return new Refused(Reason.UNSUPPORTED_FORMAT, Messages.unsupported(sniff.description()),
                    "first bytes: " + sniff.description());
        }
        return inspectWithinBudget(file, sniff, size);
    }

    /**
     * The FFmpeg part, on a worker thread. When the budget runs out while FFmpeg is somewhere the worker cannot stop it
     * (JavaCV installs no interrupt callback, and {@code releaseUnsafe()} from here would block on the grabber's
     * monitor), the worker is abandoned and the answer says the process is tainted.
     */
    ProbeResult inspectWithinBudget(Path file, ContainerSniffer.Sniff sniff, long size) {
        long deadlineNanos = System.nanoTime() + limits.budget().toNanos();
        FfmpegInspection inspection = new FfmpegInspection(file, sniff, size, limits, deadlineNanos);
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        Thread worker = Thread.ofPlatform().daemon().name("reel-probe").start(() -> {
            try {
                result.complete(inspection.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(limits.budget().plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new TimedOut(Messages.timedOut(limits.budget()),
                    "budget " + limits.budget().toMillis() + " ms exceeded; worker abandoned in state " + worker.getState(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TimedOut(Messages.timedOut(limits.budget()), "interrupted while FFmpeg was working", true);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof RuntimeException bug ? bug
                    : new IllegalStateException("The probe failed on " + file, e.getCause());
        }
    }
}
