package io.reel.transcode.probe;

import java.time.Duration;
import java.util.Locale;

/** The refusal sentences for the person who uploaded the file: plain words, and what to do next. */
final class Messages {

    private static final String ACCEPTED = "an MP4, MOV, MKV or WebM video";

    private Messages() {
    }

    static String empty() {
        return "The uploaded file is empty (0 bytes). Please upload the video again.";
    }

    static String fileTooLarge(long size, long max) {
        return "This file is " + bytes(size) + ", which is more than the " + bytes(max)
                + " limit. Please upload a shorter or more compressed video.";
    }

    /** @param whatItIs from {@link ContainerSniffer}: "a PNG image", or "not a recognised video file" */
    static String unsupported(String whatItIs) {
        if (whatItIs.startsWith("a ") || whatItIs.startsWith("an ")) {
            return "This file is " + whatItIs + ", not a video we can use. Please upload " + ACCEPTED + ".";
        }
        return "We don't recognise this file as a video. Please upload " + ACCEPTED + ".";
    }

    static String unreadable() {
        return "We couldn't read this video. The file may be damaged or incomplete (for example if the upload was "
                + "interrupted). Please upload it again, or export it again as MP4.";
    }

    static String noVideo(boolean hasAudio, boolean hasCoverPicture) {
        if (hasAudio && hasCoverPicture) {
            return "No video stream found: this file contains only sound and a still cover picture. Please upload a video.";
        }
        if (hasAudio) {
            return "No video stream found: this file contains only sound. Please upload a video.";
        }
        return "No video stream found in this file. Please upload a video.";
    }

    /** @param codec FFmpeg's name for the codec, or null when FFmpeg does not know it at all */
    static String undecodable(String codec) {
        String advice = "Please export the video with H.264 or H.265 (HEVC), for example as MP4, and upload it again.";
        if (codec == null) {
            return "The video codec of this file is unknown to us and cannot be decoded. " + advice;
        }
        return "The video codec \"" + codec + "\" cannot be decoded by our service. " + advice;
    }

    static String unknownDuration() {
        return "We couldn't tell how long this video is, so we can't process it. The file may be damaged; "
                + "please export it again and upload the new file.";
    }

    static String tooLong(double seconds, Duration max) {
        return "This video is " + hoursMinutesSeconds(seconds) + " long, which is longer than " + maximum(max)
                + ", the maximum we accept. Please trim it and upload it again.";
    }

    /** When reading stopped as soon as the maximum was passed, so the real length is not known. */
    static String tooLongAtLeast(Duration max) {
        return "This video is longer than " + maximum(max) + ", the maximum we accept. Please trim it and upload it again.";
    }

    static String tooBig(int width, int height, int maxWidth, int maxHeight) {
        return "This video is " + width + "×" + height + " pixels, which is larger than " + maxWidth + "×" + maxHeight
                + ", the maximum we accept. Please export it at a lower resolution (for example 4K or 1080p).";
    }

    static String firstFrame() {
        return "We couldn't decode the first picture of this video. The file is probably damaged or incomplete "
                + "(for example if the upload was interrupted). Please upload it again.";
    }

    static String timedOut(Duration budget) {
        long seconds = Math.max(1, Math.round(budget.toMillis() / 1000.0));
        return "Reading this file took too long (more than " + seconds + (seconds == 1 ? " second" : " seconds")
                + "), so we stopped. The file may be damaged or unusual; please export it again as MP4 and upload it.";
    }

    private static String maximum(Duration max) {
        long hours = max.toHours();
        if (max.equals(Duration.ofHours(hours))) {
            return hours == 1 ? "1 hour" : hours + " hours";
        }
        return max.toMinutes() + " minutes";
    }

    private static String hoursMinutesSeconds(double seconds) {
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = (s % 3600) / 60;
        if (h > 0) {
            return String.format(Locale.ROOT, "%d h %02d min", h, m);
        }
        if (m > 0) {
            return String.format(Locale.ROOT, "%d min %02d s", m, s % 60);
        }
        return s + " s";
    }

    private static String bytes(long b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", b / (double) (1L << 30));
        }
        if (b >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MB", b / (double) (1L << 20));
        }
        if (b >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1f KB", b / (double) (1L << 10));
        }
        return b + " bytes";
    }
}
