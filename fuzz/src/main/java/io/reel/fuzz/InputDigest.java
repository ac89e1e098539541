package io.reel.fuzz;

import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A 128-bit fingerprint of one try's inputs, so a run can say how many distinct inputs it tried (jqwik may generate
 * the same value twice, edge cases especially). Equal inputs give equal digests: text by its UTF-16 units (an
 * unpaired surrogate is not lost), byte arrays by their bytes, records by their components, lists in order, and maps
 * and sets whatever their iteration order. Anything else by its class and {@code toString()}.
 */
record InputDigest(long high, long low) {
    private static final int MAX_DEPTH = 64;

    static InputDigest of(List<Object> parameters) {
        MessageDigest digest = sha256();
        feed(digest, parameters, 0);
        ByteBuffer bytes = ByteBuffer.wrap(digest.digest());
        return new InputDigest(bytes.getLong(), bytes.getLong());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void feed(MessageDigest digest, Object value, int depth) {
        if (value == null) {
            digest.update((byte) 0);
            return;
        }
        if (depth > MAX_DEPTH) {
            tagged(digest, 'o', value.getClass().getName() + ":" + value);
            return;
        }
        switch (value) {
            case CharSequence text -> {
                digest.update((byte) 's');
                length(digest, text.length());
                ByteBuffer units = ByteBuffer.allocate(text.length() * 2);
                for (int i = 0; i < text.length(); i++) {
                    units.putChar(text.charAt(i));
                }
                digest.update(units.array());
            }
            case byte[] bytes -> {
                digest.update((byte) 'b');
                length(digest, bytes.length);
                digest.update(bytes);
            }
            case Object[] array -> {
                digest.update((byte) 'a');
                length(digest, array.length);
                for (Object item : array) {
                    feed(digest, item, depth + 1);
                }
            }
            case Optional<?> optional -> {
                digest.update((byte) 'p');
                feed(digest, optional.orElse(null), depth + 1);
            }
            case Map<?, ?> map -> unordered(digest, 'm', map.entrySet().stream()
                    .map(e -> (Object) Arrays.asList(e.getKey(), e.getValue())).toList(), depth);
            case Set<?> set -> unordered(digest, 'e', new ArrayList<>(set), depth);
            case Collection<?> list -> {
                digest.update((byte) 'l');
                length(digest, list.size());
                for (Object item : list) {
                    feed(digest, item, depth + 1);
                }
            }
            case Record record -> {
                tagged(digest, 'r', record.getClass().getName());
                for (RecordComponent component : record.getClass().getRecordComponents()) {
                    try {
                        var accessor = component.getAccessor();
                        accessor.setAccessible(true);
                        feed(digest, accessor.invoke(record), depth + 1);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        tagged(digest, '?', component.getName());
                    }
                }
            }
            default -> {
                if (value.getClass().isArray()) { // int[], long[], ...
                    tagged(digest, 'q', value.getClass().getName() + ":" + Arrays.deepToString(new Object[] {value}));
                } else {
                    tagged(digest, 'o', value.getClass().getName() + ":" + value);
                }
            }
        }
    }

    /** Elements whose order does not matter: their digests, sorted. */
    private static void unordered(MessageDigest digest, char tag, Collection<?> items, int depth) {
        List<InputDigest> each = new ArrayList<>(items.size());
        for (Object item : items) {
            MessageDigest one = sha256();
            feed(one, item, depth + 1);
            ByteBuffer bytes = ByteBuffer.wrap(one.digest());
            each.add(new InputDigest(bytes.getLong(), bytes.getLong()));
        }
        each.sort((a, b) -> a.high != b.high ? Long.compare(a.high, b.high) : Long.compare(a.low, b.low));
        digest.update((byte) tag);
        length(digest, each.size());
        for (InputDigest d : each) {
            digest.update(ByteBuffer.allocate(16).putLong(d.high).putLong(d.low).array());
        }
    }

    private static void tagged(MessageDigest digest, char tag, String text) {
        digest.update((byte) tag);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        length(digest, bytes.length);
        digest.update(bytes);
    }

    private static void length(MessageDigest digest, int length) {
        digest.update(ByteBuffer.allocate(4).putInt(length).array());
    }
}
