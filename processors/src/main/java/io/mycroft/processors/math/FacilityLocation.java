package io.mycroft.processors.math;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Diverse retrieval (issue 13, the paper's open question 2): the B_c samples that best represent a ground set U, by
 * facility location on unit embeddings.
 *
 * <pre>
 *   sim(u, s) = max(0, ⟨ê_u, ê_s⟩)
 *   F(S)      = Σ_{u ∈ U} max_{s ∈ S} sim(u, s),   F(∅) = 0
 *   S_0 = ∅,  S_{t+1} = S_t ∪ { argmax_{s ∈ U \ S_t} F(S_t ∪ {s}) − F(S_t) },  ties by sampleId ascending,
 *   until |S| = min(B_c, |U|)
 * </pre>
 * F is monotone and submodular (sim ≥ 0), so the greedy S is within 1 − 1/e of the best subset of U of its size
 * (Nemhauser, Wolsey and Fisher 1978). Every sum runs over U in sampleId order, so the result is a function of the set U
 * alone, whatever order it is given in.
 *
 * <p>As a selection ({@link #retrieve}), U is RetrieveTopK's selection widened m times, U = RetrieveTopK(m·k, m·B_c):
 * the owner samples of class c nearest to the hard samples, and the greedy then picks B_c of them that cover that
 * neighbourhood instead of the B_c tightest around each hard sample. Exact duplicates and near-copies are already one
 * sample in U ({@link RetrieveTopK}). A streamed form needs only RetrieveTopK's heaps at the widened budget and this
 * greedy over their union, so it inherits RetrieveTopK's any-order exactness; the sieve-streaming form, whose 1/2 − ε
 * guarantee depends on arrival order, would not.
 */
public final class FacilityLocation {
    private FacilityLocation() {
    }

    /** D_useful_c: the greedy facility-location choice of {@code budget} among RetrieveTopK(m·k, m·B_c), sorted by id. */
    public static List<String> retrieve(int k, int budget, int widening, List<SampleEmbedding> hard,
                                        List<SampleEmbedding> owner) {
        return retrieve(k, budget, widening, 1, hard, owner);
    }

    /**
     * As {@link #retrieve(int, int, int, List, List)} with the pool kept to at most 1/{@code share} of the class:
     * U_c = RetrieveTopK(m·k, P), P = max(B_c, min(m·B_c, ⌊n_c / share⌋)), n_c the class's distinct samples. Where the
     * class holds too few samples for a pool larger than B_c, the choice is RetrieveTopK(k, B_c), FEATURE's own: a
     * pool that is most of a small class would return its most typical samples. With m = 1 it is RetrieveTopK too.
     */
    public static List<String> retrieve(int k, int budget, int widening, int share, List<SampleEmbedding> hard,
                                        List<SampleEmbedding> owner) {
        if (widening < 1 || share < 1) {
            throw new IllegalArgumentException("the widening m and the share must be at least 1, were " + widening
                    + " and " + share);
        }
        int pool = Math.max(budget, Math.min(widening * budget, SampleEmbedding.representatives(owner).size() / share));
        if (pool == budget) {
            return RetrieveTopK.batch(k, budget, hard, owner).sampleIds();
        }
        Set<String> widened = new HashSet<>(RetrieveTopK.batch(widening * k, pool, hard, owner).sampleIds());
        Map<String, SampleEmbedding> ground = new TreeMap<>();
        owner.stream().filter(o -> widened.contains(o.sampleId())).forEach(o -> ground.putIfAbsent(o.sampleId(), o));
        return greedy(List.copyOf(ground.values()), budget).stream().sorted().toList();
    }

    /** The greedy S over ground set {@code ground} (distinct sample ids), in the order chosen. */
    public static List<String> greedy(List<SampleEmbedding> ground, int budget) {
        List<SampleEmbedding> u = ground.stream().sorted(Comparator.comparing(SampleEmbedding::sampleId)).toList();
        int n = u.size();
        double[][] unit = new double[n][];
        for (int i = 0; i < n; i++) {
            unit[i] = UnitVectors.unit(u.get(i).vector(), u.get(i).vector().length, "sample", u.get(i).sampleId());
        }
        double[][] sim = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                sim[i][j] = Math.max(0, UnitVectors.dot(unit[i], unit[j]));
            }
        }
        double[] covered = new double[n]; // max_{s ∈ S} sim(u, s)
        boolean[] chosen = new boolean[n];
        List<String> selected = new ArrayList<>();
        while (selected.size() < Math.min(budget, n)) {
            int best = -1;
            double bestGain = -1;
            for (int s = 0; s < n; s++) {
                if (chosen[s]) {
                    continue;
                }
                double gain = 0;
                for (int i = 0; i < n; i++) {
                    gain += Math.max(0, sim[i][s] - covered[i]);
                }
                if (gain > bestGain) { // strict: the first, smallest id wins a tie
                    best = s;
                    bestGain = gain;
                }
            }
            chosen[best] = true;
            selected.add(u.get(best).sampleId());
            for (int i = 0; i < n; i++) {
                covered[i] = Math.max(covered[i], sim[i][best]);
            }
        }
        return selected;
    }
}
