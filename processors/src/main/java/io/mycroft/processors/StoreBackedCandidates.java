package io.mycroft.processors;

import io.mycroft.processors.math.Candidate;
import io.mycroft.processors.math.CandidateStore;
import io.mycroft.processors.math.InMemoryCandidateStore;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The candidates of one (request, owner, class) in the RocksDB store {@value UsefulSubsetProcessor#CANDIDATES} (key
 * {@code request|owner|class|sampleId}), read once into memory and written through: OMP re-runs scan every candidate,
 * so they are served from memory. The store has no changelog: after a loss of local state the processor rebuilds it
 * from the retained {@code sample-vectors} records.
 *
 * <p>Value layout, version 1: {@code [1][penalty: float64][dim: int32][dim × float32]}, little-endian.
 */
final class StoreBackedCandidates implements CandidateStore {
    private static final byte VERSION = 1;
    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, byte[]> store;
    private final String prefix;
    private final InMemoryCandidateStore memory = new InMemoryCandidateStore();
    private long floats;

    StoreBackedCandidates(KeyValueStore<String, byte[]> store, String prefix) {
        this.store = store;
        this.prefix = prefix;
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(prefix, KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                Candidate candidate = decode(entry.key.substring(prefix.length()), entry.value);
                memory.put(candidate);
                floats += candidate.features().length;
            }
        }
    }

    /** Floats held in memory, for the cache's bound. */
    long floats() {
        return floats;
    }

    @Override
    public Optional<Candidate> get(String sampleId) {
        return memory.get(sampleId);
    }

    @Override
    public Optional<Candidate> withFeatures(Candidate.FeatureKey features) {
        return memory.withFeatures(features);
    }

    @Override
    public void put(Candidate candidate) {
        memory.get(candidate.sampleId()).ifPresent(old -> floats -= old.features().length);
        memory.put(candidate);
        floats += candidate.features().length;
        store.put(prefix + candidate.sampleId(), encode(candidate));
    }

    @Override
    public void remove(String sampleId) {
        memory.get(sampleId).ifPresent(old -> floats -= old.features().length);
        memory.remove(sampleId);
        store.delete(prefix + sampleId);
    }

    @Override
    public int size() {
        return memory.size();
    }

    @Override
    public void forEach(Consumer<Candidate> action) {
        memory.forEach(action);
    }

    static byte[] encode(Candidate candidate) {
        float[] f = candidate.features();
        ByteBuffer out = ByteBuffer.allocate(1 + 8 + 4 + 4 * f.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(VERSION).putDouble(candidate.penalty()).putInt(f.length);
        out.asFloatBuffer().put(f);
        return out.array();
    }

    static Candidate decode(String sampleId, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte version = in.get();
        if (version != VERSION) {
            throw new IllegalStateException("candidate " + sampleId + " stored in unknown layout version " + version);
        }
        double penalty = in.getDouble();
        float[] features = new float[in.getInt()];
        in.asFloatBuffer().get(features);
        return new Candidate(sampleId, features, penalty);
    }
}
