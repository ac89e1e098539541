package io.reel.devserver;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import io.reel.transcode.probe.Natives;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * The devserver's demo video, made in-process with JavaCV (no ffmpeg command needed): 10 s of 1280x720 at 30 fps,
 * H.264 (libx264, ultrafast) and a stereo AAC chime, in MP4. Each frame is drawn with Java2D: a slowly turning colour
 * gradient, scrolling colour bars, a spinning reel, the title and a running timecode, so the transcoder's poster
 * picker and storyboard get real pictures to choose from.
 */
final class DemoVideo {
    static final int WIDTH = 1280;
    static final int HEIGHT = 720;
    static final int FPS = 30;
    static final int SECONDS = 10;
    static final int SAMPLE_RATE = 44_100;
    private static final int SAMPLES_PER_FRAME = SAMPLE_RATE / FPS; // 1,470: audio and video advance together
    /** One note a second, from the C major pentatonic scale: up, then back down. */
    private static final double[] NOTES = {523.25, 587.33, 659.25, 783.99, 880.00, 1046.50, 880.00, 783.99, 659.25, 523.25};
    private static final Color[] BARS = {new Color(0xEEEEEE), new Color(0xF2D64B), new Color(0x4BD6E8), new Color(0x5BD45B),
            new Color(0xD65BD4), new Color(0xE8504B), new Color(0x4B6BE8)};

    private DemoVideo() {
    }

    /** Writes the demo video to {@code out}; stops with {@link InterruptedIOException} if the thread is interrupted. */
    static void write(Path out) throws IOException {
        Natives.prepare(); // JavaCPP's cache in /tmp, before JavaCV loads FFmpeg
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        // The picture's bytes, B, G, R row after row: copied straight into the frame (Java2DFrameConverter goes pixel
        // by pixel, three times slower than drawing).
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        Graphics2D g = image.createGraphics();
        short[] samples = new short[SAMPLES_PER_FRAME * 2];
        try (var recorder = new FFmpegFrameRecorder(out.toString(), WIDTH, HEIGHT, 2);
             var picture = new Frame(WIDTH, HEIGHT, Frame.DEPTH_UBYTE, 3)) {
            recorder.setFormat("mp4");
            recorder.setVideoCodecName("libx264");
            recorder.setVideoCodec(AV_CODEC_ID_H264);
            recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(FPS);
            recorder.setGopSize(2 * FPS);
            recorder.setVideoOption("preset", "ultrafast");
            recorder.setVideoOption("crf", "26");
            recorder.setAudioCodecName("aac");
            recorder.setAudioCodec(AV_CODEC_ID_AAC);
            recorder.setSampleRate(SAMPLE_RATE);
            recorder.setAudioChannels(2);
            recorder.setAudioBitrate(128_000);
            recorder.start();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            boolean text = fontsWork(g);
            int frames = SECONDS * FPS;
            for (int frame = 0; frame < frames; frame++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("interrupted while writing the demo video");
                }
                draw(g, frame, text);
                ((ByteBuffer) picture.image[0]).clear().put(pixels); // a BGR24 frame, stride WIDTH * 3
                recorder.record(picture);
                chime(samples, frame);
                recorder.recordSamples(SAMPLE_RATE, 2, ShortBuffer.wrap(samples));
            }
            recorder.stop();
        } finally {
            g.dispose();
        }
    }

    /** A JDK without fonts (some minimal containers) fails on the first text drawn: the video is then made without. */
    private static boolean fontsWork(Graphics2D g) {
        try {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 76));
            return g.getFontMetrics().stringWidth("Reel") > 0;
        } catch (RuntimeException | InternalError | LinkageError e) {
            return false;
        }
    }

    private static void draw(Graphics2D g, int frame, boolean text) {
        double t = (double) frame / FPS;
        float hue = (float) (t / 20);
        g.setPaint(new GradientPaint(0, 0, Color.getHSBColor(hue + 0.55f, 0.65f, 0.30f),
                WIDTH, HEIGHT, Color.getHSBColor(hue + 0.80f, 0.70f, 0.55f)));
        g.fillRect(0, 0, WIDTH, HEIGHT);

        // Colour bars scrolling right to left across the lower third.
        int barWidth = 120;
        int period = barWidth * BARS.length;
        int offset = (int) (t * 160) % period;
        for (int x = -offset; x < WIDTH; x += barWidth) {
            g.setColor(BARS[Math.floorMod((x + offset) / barWidth, BARS.length)]);
            g.fillRect(x, 500, barWidth, 110);
        }
        g.setColor(new Color(0, 0, 0, 40));
        g.fillRect(0, 500, WIDTH, 110);

        // A film reel turning once every two seconds.
        double cx = 200;
        double cy = 250;
        g.setColor(new Color(255, 255, 255, 230));
        g.fill(new Ellipse2D.Double(cx - 90, cy - 90, 180, 180));
        g.setColor(Color.getHSBColor(hue + 0.55f, 0.65f, 0.30f));
        for (int hole = 0; hole < 5; hole++) {
            double angle = t * Math.PI + hole * 2 * Math.PI / 5;
            g.fill(new Ellipse2D.Double(cx + 52 * Math.cos(angle) - 24, cy + 52 * Math.sin(angle) - 24, 48, 48));
        }
        g.fill(new Ellipse2D.Double(cx - 12, cy - 12, 24, 24));

        if (text) {
            title(g, frame);
        }

        // Progress along the bottom.
        g.setColor(new Color(255, 255, 255, 60));
        g.fillRect(0, HEIGHT - 12, WIDTH, 12);
        g.setColor(Color.WHITE);
        g.fillRect(0, HEIGHT - 12, (int) ((long) WIDTH * (frame + 1) / (SECONDS * FPS)), 12);
    }

    private static void title(Graphics2D g, int frame) {
        g.setColor(new Color(0, 0, 0, 110));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 76));
        g.drawString("Reel \u2014 demo video", 333, 253);
        g.setColor(Color.WHITE);
        g.drawString("Reel \u2014 demo video", 330, 250);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 30));
        g.drawString("uploaded, transcoded and streamed by your local Reel", 334, 310);

        g.setColor(new Color(0, 0, 0, 140));
        g.fill(new RoundRectangle2D.Double(330, 360, 330, 76, 20, 20));
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 48));
        g.drawString(timecode(frame), 350, 415);
    }

    /** {@code HH:MM:SS:FF}, as on a clapperboard. */
    static String timecode(int frame) {
        int seconds = frame / FPS;
        return String.format(Locale.ROOT, "%02d:%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60, frame % FPS);
    }

    /** The samples that go with one video frame: a bell-like note each second, panned left and right in turn. */
    private static void chime(short[] out, int frame) {
        for (int i = 0; i < SAMPLES_PER_FRAME; i++) {
            long n = (long) frame * SAMPLES_PER_FRAME + i;
            double t = (double) n / SAMPLE_RATE;
            int second = (int) t;
            double since = t - second;
            double f = NOTES[second % NOTES.length];
            double envelope = Math.min(1, since / 0.01) * Math.exp(-since / 0.3);
            double tone = envelope * (Math.sin(2 * Math.PI * f * t) + 0.3 * Math.sin(4 * Math.PI * f * t));
            double fade = Math.min(1, (SECONDS - t) / 0.5);
            double pan = second % 2 == 0 ? 0.3 : 0.7;
            double level = 0.5 * Short.MAX_VALUE * fade * tone / 1.3; // at most 35% of full scale in either channel
            out[2 * i] = (short) (level * (1 - pan));
            out[2 * i + 1] = (short) (level * pan);
        }
    }
}
