package io.mycroft.connectors;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/** A file of an owner being read incrementally from a source offset. Not thread-safe: one task owns it. */
interface SampleFile extends Closeable {
    /** Kind of source for {@code OwnerSample.source.system} and the dead-letter stage: csv, idx or images. */
    String system();

    /** Up to {@code max} items after the last one returned; empty when nothing more is there yet. */
    List<SourceItem> read(int max) throws IOException;

    /** True when nothing more will come (a complete IDX pair, an image); a CSV file may always grow. */
    boolean finished();

    @Override
    default void close() throws IOException {
    }
}
