package io.reel.transcode.probe;

import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Reads only the container header, with the raw FFmpeg API: {@code avformat_open_input} without
 * {@code avformat_find_stream_info}, so nothing is decoded, and with an interrupt callback that stops FFmpeg at the
 * deadline. {@code FFmpegFrameGrabber.startUnsafe()} can do neither.
 *
 * <p>Why: the grabber's {@code find_stream_info} decodes frames (for H.264 several, to learn the decoder delay), so an
 * 8192×8192 upload costs ~0.6 s and ~165 MB before any check of ours runs. The header (MP4 {@code stsd}, Matroska
 * {@code Tracks}) already has the picture size, so it is checked here first.
 */
final class HeaderPreflight {

    /**
     * What the header says.
     *
     * @param error          FFmpeg's error when the header could not be read, else null
     * @param width          of the first video stream that is not a cover picture; 0 when there is none
     * @param height         ditto
     * @param deadlinePassed the interrupt callback stopped FFmpeg. Demuxers often turn that into an error of their own
     *                       (mov: "moov atom not found"), so the error cannot tell.
     */
    record Header(String error, int width, int height, boolean deadlinePassed) {
        boolean opened() {
            return error == null;
        }
    }

    private HeaderPreflight() {
    }

    static Header read(Path file, String demuxer, long deadlineNanos) {
        AVInputFormat format = av_find_input_format(demuxer);
        if (format == null) { // would mean "auto-detect" to avformat_open_input
            throw new IllegalStateException("This FFmpeg build has no " + demuxer + " demuxer");
        }
        AVIOInterruptCB.Callback_Pointer stopAtDeadline = new AVIOInterruptCB.Callback_Pointer() {
            @Override
            public int call(Pointer opaque) {
                return System.nanoTime() - deadlineNanos > 0 ? 1 : 0; // FFmpeg asks around every I/O call
            }
        };
        AVFormatContext context = avformat_alloc_context();
        context.interrupt_callback().callback(stopAtDeadline);
        AVDictionary options = new AVDictionary(null);
        av_dict_set(options, "protocol_whitelist", MediaProbe.PROTOCOL_WHITELIST, 0);
        av_dict_set(options, "format_whitelist", MediaProbe.FORMAT_WHITELIST, 0);
        try {
            // frees the context itself when it fails
            int ret = avformat_open_input(context, file.toAbsolutePath().toString(), format, options);
            if (ret < 0) {
                return new Header(errorText(ret), 0, 0, System.nanoTime() - deadlineNanos > 0);
            }
            try {
                return videoSize(context);
            } finally {
                avformat_close_input(context);
            }
        } finally {
            av_dict_free(options);
            stopAtDeadline.close();
        }
    }

    private static Header videoSize(AVFormatContext context) {
        for (int i = 0; i < context.nb_streams(); i++) {
            AVStream stream = context.streams(i);
            AVCodecParameters parameters = stream.codecpar();
            if (parameters.codec_type() == AVMEDIA_TYPE_VIDEO && (stream.disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0) {
                return new Header(null, parameters.width(), parameters.height(), false);
            }
        }
        return new Header(null, 0, 0, false);
    }

    private static String errorText(int code) {
        try (BytePointer text = new BytePointer(256)) {
            av_strerror(code, text, text.capacity());
            String s = text.getString(); // reads to the buffer's end, not to the NUL
            int nul = s.indexOf('\0');
            return nul >= 0 ? s.substring(0, nul) : s;
        }
    }
}
