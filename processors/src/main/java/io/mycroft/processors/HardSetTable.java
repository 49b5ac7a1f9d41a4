package io.mycroft.processors;

import mycroft.schemas.HardSetVectors;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the global store {@value UsefulSubsetProcessor#HARDSETS} as a global table would: each {@code hardset-vectors}
 * record (decoded and checked on the way in) is put with its timestamp, and a tombstone (the request was cancelled)
 * deletes. Each write also advances {@link Changes}, so that a stream thread holding hard sets it read earlier knows
 * whether they still stand: it reads the store once per change, not once per record (each read copied a hard set of
 * about 70 KB twice and compared it with the one held, 5 % of FEATURE's stream thread, load-tests/reports/streams.md).
 * Kafka Streams restores a global store added with its own processor by replaying the topic through that processor, so
 * restores advance {@link Changes} too.
 */
public final class HardSetTable implements Processor<String, HardSetVectors, Void, Void> {
    private final Changes changes;
    private TimestampedKeyValueStore<String, HardSetVectors> store;

    public HardSetTable(Changes changes) {
        this.changes = changes;
    }

    /** How many times any hard set of the global store was written; shared by the global thread and stream threads. */
    public static final class Changes {
        private final AtomicLong count = new AtomicLong();

        /** Call after the write. */
        public void advance() {
            count.incrementAndGet();
        }

        /** Read before reading the store: a change after this read shows as a different count next time. */
        public long count() {
            return count.get();
        }
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(UsefulSubsetProcessor.HARDSETS);
    }

    @Override
    public void process(Record<String, HardSetVectors> record) {
        if (record.key() == null) {
            return; // as a global table drops it: no request to file it under
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), ValueAndTimestamp.make(record.value(), record.timestamp()));
        }
        changes.advance();
    }
}
