package io.mycroft.processors.math;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The owners of one request in rank order (math side; the Avro OwnerRanking record is built from it).
 *
 * <p>{@link #ORDER}: owners with a measured evaluation gain first, by gain descending; then live score descending;
 * then ownerId ascending. A total order on distinct owner ids, so the ranking depends only on the set of scores, not
 * on the order they arrived in.
 */
public record OwnerRanking(List<OwnerScore> owners) {
    public static final Comparator<OwnerScore> ORDER = Comparator
            .comparing((OwnerScore s) -> s.evaluationGain().isEmpty())
            .thenComparing(s -> s.evaluationGain().orElse(0), Comparator.reverseOrder())
            .thenComparing(OwnerScore::score, Comparator.reverseOrder())
            .thenComparing(OwnerScore::ownerId);

    public OwnerRanking {
        owners = List.copyOf(owners);
    }

    /**
     * Ranks the latest score of each owner.
     *
     * @throws IllegalArgumentException if an owner id appears twice
     */
    public static OwnerRanking of(Collection<OwnerScore> scores) {
        Set<String> ids = new HashSet<>();
        for (OwnerScore s : scores) {
            if (!ids.add(s.ownerId())) {
                throw new IllegalArgumentException("owner " + s.ownerId() + " has two scores; pass the latest only");
            }
        }
        List<OwnerScore> ranked = new ArrayList<>(scores);
        ranked.sort(ORDER);
        return new OwnerRanking(ranked);
    }

    /** Owner ids, best first. */
    public List<String> ownerIds() {
        return owners.stream().map(OwnerScore::ownerId).toList();
    }
}
