package io.mycroft.processors;

import mycroft.schemas.SampleVectors;

import java.util.List;
import java.util.function.Consumer;

/**
 * Reads back records of the task's own {@code sample-vectors} partition by offset, to rebuild state that is not
 * changelogged because the retained input topic already holds it (the {@code candidates} store).
 */
public interface SourceRecords extends AutoCloseable {
    /** Hands {@code each} the batch at every one of {@code offsets} (ascending) of {@code partition}, in that order. */
    void read(int partition, List<Long> offsets, Consumer<SampleVectors> each);

    @Override
    void close();
}
