package io.reel.transcode.encode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Just enough ISO BMFF parsing for the ladder checks: the top-level boxes of a file, and the avcC of an init segment. */
final class Mp4Boxes {

    /** Boxes whose payload is nothing but child boxes, on the way from the file to the avcC. */
    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "stbl");
    /** Bytes before the children: stsd is a full box with an entry count; avc1/avc3 a VisualSampleEntry. */
    private static final int STSD_HEADER = 8, VISUAL_SAMPLE_ENTRY = 78;

    private Mp4Boxes() {
    }

    /** One box: its four-character type, where it starts and its whole size (header included). */
    record Box(String type, long offset, long size) {
    }

    /** The top-level boxes in file order, reading only their headers (the file may be large). */
    static List<Box> topLevel(Path file) throws IOException {
        List<Box> boxes = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file)) {
            long offset = 0, end = channel.size();
            ByteBuffer header = ByteBuffer.allocate(16);
            while (offset + 8 <= end) {
                header.clear();
                channel.read(header, offset);
                header.flip();
                long size = Integer.toUnsignedLong(header.getInt());
                String type = fourCc(header);
                if (size == 1 && header.remaining() >= 8) {
                    size = header.getLong(); // 64-bit "largesize"
                } else if (size == 0) {
                    size = end - offset;     // extends to the end of the file
                }
                if (size < 8) {
                    throw new IOException("Box '" + type + "' at byte " + offset + " of " + file.getFileName() + " has size " + size);
                }
                boxes.add(new Box(type, offset, size));
                offset += size;
            }
        }
        return boxes;
    }

    /**
     * The RFC 6381 codec string "avc1.PPCCLL" (profile_idc, constraint flags, level_idc) from the first avcC of an MP4 or
     * init segment: moov/trak/mdia/minf/stbl/stsd/avc1/avcC. Empty when there is none.
     */
    static Optional<String> avc1Codec(Path file) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file));
        return findAvcC(all, 0, all.limit()).map(at -> String.format(Locale.ROOT, "avc1.%02x%02x%02x",
                all.get(at + 1) & 0xFF, all.get(at + 2) & 0xFF, all.get(at + 3) & 0xFF));
    }

    /** Where the payload of the first avcC box in {@code [from, to)} starts. */
    private static Optional<Integer> findAvcC(ByteBuffer bytes, int from, int to) {
        int offset = from;
        while (offset + 8 <= to) {
            long size = Integer.toUnsignedLong(bytes.getInt(offset));
            String type = fourCc(bytes.slice(offset + 4, 4));
            if (size < 8 || offset + size > to) {
                return Optional.empty();
            }
            int payload = offset + 8, end = (int) (offset + size);
            Optional<Integer> found = switch (type) {
                case "avcC" -> end - payload >= 4 ? Optional.of(payload) : Optional.empty();
                case "stsd" -> findAvcC(bytes, payload + STSD_HEADER, end);
                case "avc1", "avc3" -> findAvcC(bytes, payload + VISUAL_SAMPLE_ENTRY, end);
                default -> CONTAINERS.contains(type) ? findAvcC(bytes, payload, end) : Optional.empty();
            };
            if (found.isPresent()) {
                return found;
            }
            offset = end;
        }
        return Optional.empty();
    }

    private static String fourCc(ByteBuffer bytes) {
        byte[] type = new byte[4];
        bytes.get(type);
        return new String(type, StandardCharsets.ISO_8859_1);
    }
}
