package io.mycroft.connectors;

import java.util.Map;

/**
 * One thing read from an owner's file or table, with the source offset to commit once it is written: after a restart
 * the source is read again from that offset, so the item is neither lost nor repeated.
 */
sealed interface SourceItem {
    /** Line (CSV), index (IDX, images) or row id (JDBC) of the item within its source; part of the sample id. */
    long position();

    Map<String, Object> offset();

    /** A valid sample: {@code features} for tabular rows and decoded images, else {@code raw} bytes of {@code mediaType}. */
    record Sample(long position, Map<String, Object> offset, int label, float[] features, byte[] raw, String mediaType)
            implements SourceItem {
    }

    /** Input that is not a valid sample: goes to dead-letters with the reason and the original bytes. */
    record Rejected(long position, Map<String, Object> offset, String reason, byte[] original) implements SourceItem {
    }
}
