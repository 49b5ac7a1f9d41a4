package io.mycroft.processors.math;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The owners of one request in rank order, by their {@link OwnerScore}s (math side; the Avro OwnerRanking record is
 * sorted by the same {@link #BEST_FIRST}).
 *
 * <p>{@link #BEST_FIRST}: owners with a measured evaluation gain first, by gain descending; then live score descending;
 * then ownerId ascending. A total order on distinct owner ids, so the ranking depends only on the set of scores, not
 * on the order they arrived in.
 */
public record OwnerOrder(List<OwnerScore> owners) {
    public static final Comparator<OwnerScore> BEST_FIRST = Comparator
            .comparing((OwnerScore s) -> s.evaluationGain().isEmpty())
            .thenComparing(s -> s.evaluationGain().orElse(0), Comparator.reverseOrder())
            .thenComparing(OwnerScore::score, Comparator.reverseOrder())
            .thenComparing(OwnerScore::ownerId);

    public OwnerOrder {
        owners = List.copyOf(owners);
    }

    /**
     * Ranks the latest score of each owner.
     *
     * @throws IllegalArgumentException if an owner id appears twice
     */
    public static OwnerOrder of(Collection<OwnerScore> scores) {
        Set<String> ids = new HashSet<>();
        for (OwnerScore s : scores) {
            if (!ids.add(s.ownerId())) {
                throw new IllegalArgumentException("owner " + s.ownerId() + " has two scores; pass the latest only");
            }
        }
        List<OwnerScore> ranked = new ArrayList<>(scores);
        ranked.sort(BEST_FIRST);
        return new OwnerOrder(ranked);
    }

    /** Owner ids, best first. */
    public List<String> ownerIds() {
        return owners.stream().map(OwnerScore::ownerId).toList();
    }
}
