package io.ordercqrs.command.outbox;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a read of the retained history stands: after the row {@code id} of transaction
 * {@code txid} in {@code slot}. Written as {@code <slot>-<txid>-<id>}; {@link #START} is before
 * every row.
 */
record HistoryCursor(int slot, long txid, long id) {

    static final String PATTERN = "\\d{1,9}-\\d{1,19}-\\d{1,19}";
    static final HistoryCursor START = new HistoryCursor(-1, 0, 0);

    private static final Pattern PARTS = Pattern.compile("(\\d{1,9})-(\\d{1,19})-(\\d{1,19})");

    /** The cursor written as {@code text}; {@link #START} when there is none. */
    static HistoryCursor parse(String text) {
        if (text == null) {
            return START;
        }
        Matcher parts = PARTS.matcher(text);
        if (!parts.matches()) {
            throw new IllegalArgumentException("not a history cursor: " + text);
        }
        return new HistoryCursor(Integer.parseInt(parts.group(1)), Long.parseUnsignedLong(parts.group(2)),
                Long.parseLong(parts.group(3)));
    }

    /** The cursor right after {@code entry}. */
    static HistoryCursor after(OutboxEntry entry) {
        return new HistoryCursor(entry.slot(), entry.position().txid(), entry.id());
    }

    @Override
    public String toString() {
        return slot + "-" + Long.toUnsignedString(txid) + "-" + id;
    }
}
