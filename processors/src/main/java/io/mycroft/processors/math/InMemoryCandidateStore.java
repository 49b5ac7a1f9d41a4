package io.mycroft.processors.math;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** A {@link CandidateStore} in two hash maps (by sampleId, by feature bytes). Not thread-safe. */
public final class InMemoryCandidateStore implements CandidateStore {
    private final Map<String, Candidate> byId = new HashMap<>();
    private final Map<Candidate.FeatureKey, String> byFeatures = new HashMap<>();
    private long floats;

    @Override
    public Optional<Candidate> get(String sampleId) {
        return Optional.ofNullable(byId.get(sampleId));
    }

    @Override
    public Optional<Candidate> withFeatures(Candidate.FeatureKey features) {
        return Optional.ofNullable(byFeatures.get(features)).map(byId::get);
    }

    @Override
    public void put(Candidate candidate) {
        Candidate old = byId.put(candidate.sampleId(), candidate);
        if (old != null) {
            byFeatures.remove(old.featureKey());
            floats -= old.features().length;
        }
        byFeatures.put(candidate.featureKey(), candidate.sampleId());
        floats += candidate.features().length;
    }

    @Override
    public void remove(String sampleId) {
        Candidate old = byId.remove(sampleId);
        if (old != null) {
            byFeatures.remove(old.featureKey());
            floats -= old.features().length;
        }
    }

    /** The feature floats held, summed over the candidates. */
    public long floats() {
        return floats;
    }

    @Override
    public int size() {
        return byId.size();
    }

    @Override
    public void forEach(Consumer<Candidate> action) {
        byId.values().forEach(action);
    }
}
