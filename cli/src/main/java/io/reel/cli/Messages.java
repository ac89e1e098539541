package io.reel.cli;

/** Text from outside (usernames, exception messages) made safe to print on one terminal line. */
final class Messages {
    private static final int MAX_SHOWN = 200;

    private Messages() {
    }

    /**
     * {@code text} with control characters shown as '?', so a typed username cannot move the cursor, recolour the
     * terminal or break the one-line error format; cut at a length that still fits a terminal's scrollback.
     */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        String cut = text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "…" : text;
        return cut.codePoints()
                .map(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }
}
