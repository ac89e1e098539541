package io.reel.transcode.encode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that the muxers really finished their files. JavaCV's {@code stop()} does not report a failed
 * {@code av_write_trailer}, so a full disk or an unwritable path could otherwise publish an MP4 without its index or a
 * playlist without its end; the function would mark the video READY and players would fail later.
 */
final class FinishedFiles {

    private FinishedFiles() {
    }

    /** A progressive MP4 whose index ({@code moov}) comes before its media ({@code mdat}), as {@code +faststart} leaves it. */
    static void requireFaststartMp4(Path file) throws IOException {
        List<String> boxes = topLevelBoxes(file);
        int moov = boxes.indexOf("moov");
        int mdat = boxes.indexOf("mdat");
        if (boxes.isEmpty() || !boxes.getFirst().equals("ftyp") || moov < 0 || mdat < 0 || moov > mdat) {
            throw new IOException("The MP4 " + file.getFileName() + " was not finished: top-level boxes " + boxes);
        }
    }

    /** A VOD media playlist that the muxer closed. */
    static void requireEndedPlaylist(Path file) throws IOException {
        if (!Files.readAllLines(file, StandardCharsets.UTF_8).contains("#EXT-X-ENDLIST")) {
            throw new IOException("The playlist " + file.getFileName() + " was not finished: no #EXT-X-ENDLIST");
        }
    }

    /** The types of the file's top-level ISO-BMFF boxes, in order; stops at anything that is not a box. */
    static List<String> topLevelBoxes(Path file) throws IOException {
        List<String> types = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long position = 0;
            ByteBuffer header = ByteBuffer.allocate(16);
            while (position + 8 <= size && types.size() < 64) {
                header.clear().limit(16);
                channel.read(header, position);
                header.flip();
                if (header.remaining() < 8) {
                    break;
                }
                long boxSize = Integer.toUnsignedLong(header.getInt(0));
                String type = new String(new byte[] {header.get(4), header.get(5), header.get(6), header.get(7)},
                        StandardCharsets.ISO_8859_1);
                if (boxSize == 1 && header.remaining() >= 16) {
                    boxSize = header.getLong(8); // 64-bit "largesize"
                } else if (boxSize == 0) {
                    boxSize = size - position; // to the end of the file
                }
                if (boxSize < 8 || position + boxSize > size) {
                    types.add(type + "(truncated)");
                    break;
                }
                types.add(type);
                position += boxSize;
            }
        }
        return types;
    }
}
