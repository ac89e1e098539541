package io.reel.transcode.probe;

import java.time.Duration;

/**
 * A video {@link MediaProbe} accepted, as the transcoder needs to know it.
 *
 * @param container         for people and logs: "MP4 (brand isom)", "QuickTime MOV (brand qt)", "Matroska", "WebM"
 * @param duration          from the container header, or measured from packet timestamps when the header has none
 * @param durationMeasured  the header had no duration (streamed WebM/MKV, e.g. from a browser's MediaRecorder)
 * @param videoCodec        FFmpeg's codec name, e.g. {@code h264}; FFmpeg has a decoder for it
 * @param width             coded picture width, as decoded
 * @param height            coded picture height, as decoded
 * @param rotationClockwise how far the decoded picture must be turned clockwise to show upright: 0, 90, 180 or 270
 * @param displayWidth      width after that rotation
 * @param displayHeight     height after that rotation
 * @param frameRate         average frame rate (frames over duration)
 * @param baseFrameRate     FFmpeg's guess of the stream's base rate ({@code r_frame_rate}): the rate to encode at
 * @param variableFrameRate the gaps between frames differ (phones do that)
 * @param pixelFormat       FFmpeg's name, e.g. {@code yuv420p}
 * @param hasAudio          whether there is an audio stream
 * @param audioCodec        FFmpeg's codec name, e.g. {@code aac}; null without audio
 * @param audioChannels     0 without audio
 * @param audioSampleRate   in Hz; 0 without audio
 * @param bitRate           whole file, bits per second; 0 when the container does not say
 * @param sizeBytes         the file's size
 */
public record Description(
        String container,
        Duration duration,
        boolean durationMeasured,
        String videoCodec,
        int width,
        int height,
        int rotationClockwise,
        int displayWidth,
        int displayHeight,
        double frameRate,
        double baseFrameRate,
        boolean variableFrameRate,
        String pixelFormat,
        boolean hasAudio,
        String audioCodec,
        int audioChannels,
        int audioSampleRate,
        long bitRate,
        long sizeBytes) implements ProbeResult {
}
