package io.mycroft.processors;

import io.mycroft.schemas.Keys;
import mycroft.schemas.ExposureEntry;
import mycroft.schemas.OwnerExposure;
import mycroft.schemas.RequestExposure;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Folds the exposure ledger (key ownerId) into each owner's summary, {@link ExposureLedger#STORE}, as entries arrive.
 * The revealed ids are kept apart, one entry per id under {@code owner|request|index} in {@value #IDS}, so an entry
 * costs what it adds (its counters and its newly revealed ids) instead of a rewrite of every id revealed so far: a
 * streamed subset reveals ids for as long as nearer samples arrive. {@link #read} puts the two back together.
 */
public final class ExposureSummaryProcessor implements Processor<String, ExposureEntry, Void, Void> {
    /** The ids revealed to each (owner, request): key {@code owner|request|index} (index zero-padded: first-reveal order). */
    public static final String IDS = "exposure-ids";
    private static final StringSerializer KEYS = new StringSerializer();

    private TimestampedKeyValueStore<String, OwnerExposure> summaries;
    private KeyValueStore<String, String> ids;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        summaries = context.getStateStore(ExposureLedger.STORE);
        ids = context.getStateStore(IDS);
    }

    @Override
    public void process(Record<String, ExposureEntry> record) {
        ExposureEntry entry = record.value();
        if (record.key() == null || entry == null) {
            return; // the ledger is written by this app, keyed by owner; nothing else is an entry
        }
        ValueAndTimestamp<OwnerExposure> stored = summaries.get(record.key());
        OwnerExposure summary = ExposureLedger.add(stored == null ? ExposureLedger.empty() : stored.value(), entry);
        RequestExposure request = summary.getRequests().stream()
                .filter(r -> r.getRequestId().equals(entry.getRequestId())).findFirst().orElseThrow();
        int index = request.getRevealedSamples() - entry.getNewlyRevealed().size();
        for (String id : entry.getNewlyRevealed()) {
            ids.put(idKey(record.key(), entry.getRequestId(), index++), id);
        }
        summaries.put(record.key(), ValueAndTimestamp.make(summary, record.timestamp()));
    }

    /**
     * {@code owner}'s summary with every request's revealed ids, from what this processor stores: the summary as
     * {@code summaryOf} reads it from {@link ExposureLedger#STORE}, and {@code ids}. Null when the owner has none.
     */
    public static OwnerExposure read(Function<String, OwnerExposure> summaryOf, ReadOnlyKeyValueStore<String, String> ids, String owner) {
        OwnerExposure summary = summaryOf.apply(owner);
        if (summary == null) {
            return null;
        }
        return ExposureLedger.withIds(summary, request -> {
            List<String> revealed = new ArrayList<>();
            try (KeyValueIterator<String, String> it = ids.prefixScan(owner + Keys.SEPARATOR + request + Keys.SEPARATOR, KEYS)) {
                it.forEachRemaining(kv -> revealed.add(kv.value));
            }
            return revealed;
        });
    }

    private static String idKey(String owner, String request, int index) {
        return owner + Keys.SEPARATOR + request + Keys.SEPARATOR + String.format("%010d", index);
    }
}
