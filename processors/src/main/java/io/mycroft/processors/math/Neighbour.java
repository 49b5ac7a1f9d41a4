package io.mycroft.processors.math;

import java.util.Comparator;

/**
 * An owner sample at squared L2 distance {@code squaredDistance} from a hard sample (both embeddings L2-normalised),
 * with its {@link SampleEmbedding#contentKey() content key}. {@link #ORDER} is the nearest-first total order of
 * RetrieveTopK: distance ascending, ties by sampleId ascending.
 */
public record Neighbour(String sampleId, double squaredDistance, long contentKey) {
    /** Nearest first; equal distances by {@link String#compareTo} of the sample ids. */
    public static final Comparator<Neighbour> ORDER = Comparator.comparingDouble(Neighbour::squaredDistance)
            .thenComparing(Neighbour::sampleId);

    /** cos(hard, owner) = 1 − d²/2 for unit vectors. */
    public double cosine() {
        return UnitVectors.cosineFromSquaredDistance(squaredDistance);
    }
}
