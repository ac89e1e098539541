package io.reel.transcode.encode;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacv.FFmpegFrameFilter;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * The thread that owns one output: its scaler, keyframe forcing, x264 and muxer. The decode thread hands it shared
 * pictures and audio; each output encodes on its own core-sized share of the machine (x264 single-threaded per
 * output), which measured within a few percent of the FFmpeg command line (docs/research/transcode-encoder/).
 *
 * <p>After a failure the worker keeps taking jobs, only releasing the pictures, so the decode thread never waits on a
 * dead worker; the failure surfaces at the next {@link #submit} or at {@link #finish}.
 */
final class OutputWorker extends Thread {

    private sealed interface Job permits VideoJob, AudioJob, End {
    }

    private record VideoJob(SharedFrames.Picture picture, long slot, boolean keyframe) implements Job {
    }

    private record AudioJob(float[] samples, int sampleRate, int channels) implements Job {
    }

    private record End(boolean complete) implements Job {
    }

    private static final int QUEUE = 64;

    /**
     * The outputs that take this one's scaled pictures instead of the decoder's (a cascade: the rungs below 720p scaled
     * from the 720p picture, not from 1080p, which costs a third as much and measured the same quality).
     */
    record Downstream(SharedFrames pool, List<OutputWorker> workers, long stuckMillis) {
        Downstream {
            workers = List.copyOf(workers);
        }
    }

    private final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(QUEUE);
    private final FFmpegFrameRecorder recorder;
    private final FFmpegFrameFilter scaler; // null: the pictures come at this output's size
    private final KeyframeForcer keyframes; // null: x264's own fixed GOP
    private final Downstream downstream; // null: no output takes this one's pictures
    private final Frame view = new Frame(); // record() writes frame.keyFrame: one Frame per thread
    private volatile Throwable failure;
    private volatile long busyNanos;

    OutputWorker(String name, FFmpegFrameRecorder recorder, FFmpegFrameFilter scaler, KeyframeForcer keyframes) {
        this(name, recorder, scaler, keyframes, null);
    }

    OutputWorker(String name, FFmpegFrameRecorder recorder, FFmpegFrameFilter scaler, KeyframeForcer keyframes,
                 Downstream downstream) {
        super(name);
        setDaemon(true);
        this.recorder = recorder;
        this.scaler = scaler;
        this.keyframes = keyframes;
        this.downstream = downstream;
    }

    void video(SharedFrames.Picture picture, long slot, boolean keyframe) throws InterruptedException {
        submit(new VideoJob(picture, slot, keyframe));
    }

    void audio(float[] interleaved, int sampleRate, int channels) throws InterruptedException {
        submit(new AudioJob(interleaved, sampleRate, channels));
    }

    /** Whether this worker has failed; its cause is thrown by {@link #finish}. */
    boolean failed() {
        return failure != null;
    }

    /**
     * Ends the output and waits for it: {@code complete} flushes the encoder and writes the trailer (the last segment
     * and the playlist's end, the MP4's index); otherwise everything is just released.
     *
     * @throws Exception what went wrong in this output, if anything
     */
    void finish(boolean complete, long timeoutMillis) throws Exception {
        // A worker that already ended (finished before, or never started) takes no more jobs: do not wait on its queue.
        if (isAlive() && !queue.offer(new End(complete), timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(getName() + " took no end-of-work for " + timeoutMillis + " ms");
        }
        join(timeoutMillis);
        if (isAlive()) {
            throw new IllegalStateException(getName() + " did not finish within " + timeoutMillis + " ms");
        }
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** Seconds this output spent scaling, encoding and muxing. */
    double busySeconds() {
        return busyNanos / 1e9;
    }

    private void submit(Job job) throws InterruptedException {
        if (!queue.offer(job, 10, TimeUnit.MINUTES)) {
            throw new IllegalStateException(getName() + " took no work for 10 minutes");
        }
    }

    @Override
    public void run() {
        boolean complete = false;
        while (true) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            if (job instanceof End end) {
                complete = end.complete();
                break;
            }
            long start = System.nanoTime();
            try {
                if (failure == null) {
                    handle(job);
                }
            } catch (Throwable e) {
                failure = e;
            } finally {
                if (job instanceof VideoJob v) {
                    v.picture().release();
                }
                busyNanos += System.nanoTime() - start;
            }
        }
        long start = System.nanoTime();
        try {
            if (complete && failure == null) {
                recorder.stop(); // flush x264's delayed frames and AAC, write the last segment, playlist, index
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            try {
                recorder.release();
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                }
            }
            if (scaler != null) {
                try {
                    scaler.close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
            busyNanos += System.nanoTime() - start;
        }
    }

    /** Passes this output's scaled picture on to the outputs below it, one copy for all of them. */
    private void hand(Frame scaled, VideoJob job) throws Exception {
        int readers = downstream.workers().size();
        SharedFrames.Picture shared = downstream.pool().acquire(readers, downstream.stuckMillis());
        if (shared == null) {
            throw new IllegalStateException("No output below " + getName() + " took a picture for "
                    + downstream.stuckMillis() / 1000 + " s");
        }
        try {
            shared.copyFrom(scaled);
        } catch (RuntimeException e) {
            for (int i = 0; i < readers; i++) {
                shared.release();
            }
            throw e;
        }
        for (OutputWorker worker : downstream.workers()) {
            worker.video(shared, job.slot(), job.keyframe());
        }
    }

    private void handle(Job job) throws Exception {
        if (job instanceof AudioJob a) {
            recorder.recordSamples(a.sampleRate(), a.channels(), FloatBuffer.wrap(a.samples()));
            return;
        }
        VideoJob v = (VideoJob) job;
        view.image = new Buffer[] {v.picture().buffer};
        view.imageWidth = v.picture().width;
        view.imageHeight = v.picture().height;
        view.imageDepth = Frame.DEPTH_UBYTE;
        view.imageStride = v.picture().width;
        view.imageChannels = 1;
        view.type = Frame.Type.VIDEO;
        Frame in = view;
        if (scaler != null) {
            scaler.push(view, AV_PIX_FMT_YUV420P);
            in = scaler.pullImage();
            if (in == null) {
                throw new IllegalStateException("The scaler of " + getName() + " gave no picture");
            }
        }
        if (downstream != null) {
            hand(in, v);
        }
        recorder.setFrameNumber(Math.toIntExact(v.slot())); // pts on the 1/fps grid from the source timestamp
        if (keyframes != null) {
            keyframes.next(v.keyframe());
        }
        recorder.record(in, AV_PIX_FMT_YUV420P);
    }
}
