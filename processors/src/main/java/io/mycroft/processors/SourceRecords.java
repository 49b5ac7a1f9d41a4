package io.mycroft.processors;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Reads back records of the task's own {@code sample-vectors} partition by offset, to rebuild state that is not
 * changelogged because the retained input topic already holds it (the {@code candidates} store).
 */
public interface SourceRecords extends AutoCloseable {
    /**
     * Hands {@code each} the key and value bytes, as stored, of the record at every one of {@code offsets} (ascending)
     * of {@code partition}, in that order.
     */
    void read(int partition, List<Long> offsets, BiConsumer<byte[], byte[]> each);

    @Override
    void close();
}
