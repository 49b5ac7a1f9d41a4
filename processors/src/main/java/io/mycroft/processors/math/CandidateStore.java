package io.mycroft.processors.math;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The unique candidates of one (request, owner, class) that {@link IncrementalOmp} re-runs over. The Streams layer backs
 * it with the RocksDB {@code candidates} store; {@link InMemoryCandidateStore} serves tests and benchmarks. Iteration
 * order does not matter: OMP's argmax is a total order (score, then sampleId).
 */
public interface CandidateStore {

    /** The candidate with this sampleId, if stored. */
    Optional<Candidate> get(String sampleId);

    /** The stored candidate with exactly these feature bytes, if any (at most one: duplicates are never stored). */
    Optional<Candidate> withFeatures(Candidate.FeatureKey features);

    void put(Candidate candidate);

    void remove(String sampleId);

    int size();

    void forEach(Consumer<Candidate> action);
}
