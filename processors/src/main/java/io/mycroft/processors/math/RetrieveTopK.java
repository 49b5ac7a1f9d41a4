package io.mycroft.processors.math;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * RetrieveTopK, the paper's Algorithm 3 stated precisely (DESIGN §3), for one class c of one owner.
 *
 * <p>Embeddings are L2-normalised; the distance of owner sample o to hard sample h is ‖ê_h − ê_o‖₂ (ranked by its
 * square), ties by sampleId ascending ({@link Neighbour#ORDER}). With N_κ(h) the κ nearest owner samples of h:
 * <pre>
 *   U(κ) = ∪_{h ∈ D_hard_c} N_κ(h)
 *   D_useful_c = U(κ*),  κ* = min { κ ≥ k : |U(κ)| ≥ k·|D_hard_c|  or  κ ≥ n_c }
 * </pre>
 * i.e. k is raised by one while duplicates leave fewer than k·|D_hard_c| unique samples, until the count is met or the
 * class's n_c owner samples are exhausted. |U(κ*)| may exceed k·|D_hard_c| when the last raise adds several samples;
 * all of U(κ*) is returned.
 *
 * <p>Streaming form ({@link RetrieveTopKStream}): κ* ≤ k·|D_hard_c|, because N_κ(h) alone holds min(κ, n_c) distinct
 * samples, so U(k·|D_hard_c|) already meets the count or exhausts the class. A {@link NeighbourHeap} of capacity
 * {@link #heapCapacity k·|D_hard_c|} per hard sample therefore answers every N_κ(h) the rule can ask for, exactly.
 *
 * <p>Exact duplicates (equal {@link SampleEmbedding#contentKey()}) are one candidate, the smallest sample id
 * (DESIGN §3): never selected twice, never counted twice in the k nearest or the coverage; n_c counts distinct vectors.
 *
 * <p>Coverage (secondary owner score): the mean over hard samples of the mean cosine of their k nearest owner samples
 * (the original k), cos = 1 − d²/2. A missing neighbour (fewer than k owner samples) counts as cosine 0: no
 * evidence, so a class with fewer than k samples cannot score as well as one with k similar samples.
 */
public final class RetrieveTopK {
    private RetrieveTopK() {
    }

    /**
     * The selection of one class.
     *
     * @param sampleIds  D_useful_c, sorted by sampleId ascending
     * @param effectiveK κ*, the k after raising
     * @param coverage   mean over hard samples of the mean cosine of their k nearest owner samples
     * @param hardCount  |D_hard_c|, the weight of this class in {@link #coverage(List)}
     */
    public record Selection(List<String> sampleIds, int effectiveK, double coverage, int hardCount) {
        public Selection {
            sampleIds = List.copyOf(sampleIds);
        }
    }

    /** The heap capacity per hard sample that keeps streaming RetrieveTopK exact: k·|D_hard_c|. */
    public static int heapCapacity(int k, int hardCount) {
        requirePositive(k, "k");
        requirePositive(hardCount, "number of hard samples");
        return Math.multiplyExact(k, hardCount);
    }

    /**
     * Batch RetrieveTopK over all owner samples of class c.
     *
     * @param k     neighbours per hard sample, ≥ 1
     * @param hard  D_hard_c embeddings (non-empty; the first one fixes the dimension)
     * @param owner the owner's samples of class c, distinct sample ids; exact duplicates count once
     * @throws InvalidVectorException   for a vector of the wrong dimension, with a NaN/Inf entry, or of zero norm
     * @throws IllegalArgumentException for k &lt; 1, no hard samples, or a repeated owner sample id
     */
    public static Selection batch(int k, List<SampleEmbedding> hard, List<SampleEmbedding> owner) {
        requirePositive(k, "k");
        List<double[]> hardUnits = hardUnits(hard);
        int dim = hard.get(0).vector().length;
        List<SampleEmbedding> candidates = SampleEmbedding.representatives(owner);
        List<double[]> ownerUnits = new ArrayList<>(candidates.size());
        long[] keys = new long[candidates.size()];
        for (int i = 0; i < keys.length; i++) {
            SampleEmbedding o = candidates.get(i);
            ownerUnits.add(UnitVectors.unit(o.vector(), dim, "owner sample " + o.sampleId()));
            keys[i] = o.contentKey();
        }
        List<List<Neighbour>> ranked = new ArrayList<>(hardUnits.size());
        for (double[] h : hardUnits) {
            List<Neighbour> all = new ArrayList<>(candidates.size());
            for (int i = 0; i < keys.length; i++) {
                all.add(new Neighbour(candidates.get(i).sampleId(), UnitVectors.squaredDistance(h, ownerUnits.get(i)),
                        keys[i]));
            }
            all.sort(Neighbour.ORDER);
            ranked.add(all);
        }
        return select(k, ranked);
    }

    /**
     * RetrieveTopK from the streaming heaps of one class (one per hard sample, all fed the same owner samples).
     *
     * @throws IllegalArgumentException if the heaps are too small for k (capacity &lt; k·|heaps|) or disagree in size
     */
    public static Selection fromHeaps(int k, List<NeighbourHeap> heaps) {
        int capacity = heapCapacity(k, heaps.size());
        List<List<Neighbour>> ranked = new ArrayList<>(heaps.size());
        for (NeighbourHeap h : heaps) {
            if (h.capacity() < capacity) {
                throw new IllegalArgumentException("heap capacity " + h.capacity() + " is below k·|D_hard_c| = "
                        + capacity + "; the k-raising rule could not be answered exactly");
            }
            if (h.size() != heaps.get(0).size()) {
                throw new IllegalArgumentException("heaps of one class hold different numbers of neighbours ("
                        + h.size() + " vs " + heaps.get(0).size() + "); they must see the same owner samples");
            }
            ranked.add(h.neighbours());
        }
        return select(k, ranked);
    }

    /**
     * Owner-level coverage: the mean over all hard samples of all classes, i.e. the class coverages weighted by
     * |D_hard_c|; 0 for no classes.
     */
    public static double coverage(List<Selection> perClass) {
        double sum = 0;
        long hard = 0;
        for (Selection s : perClass) {
            sum += s.coverage() * s.hardCount();
            hard += s.hardCount();
        }
        return hard == 0 ? 0 : sum / hard;
    }

    static List<double[]> hardUnits(List<SampleEmbedding> hard) {
        if (hard.isEmpty()) {
            throw new IllegalArgumentException("RetrieveTopK needs at least one hard sample");
        }
        int dim = hard.get(0).vector().length;
        List<double[]> units = new ArrayList<>(hard.size());
        for (SampleEmbedding h : hard) {
            units.add(UnitVectors.unit(h.vector(), dim, "hard sample " + h.sampleId()));
        }
        return units;
    }

    /**
     * The k-raising rule over nearest-first neighbour lists that are exact prefixes of the full rankings: each holds
     * all n_c samples, or at least k·|lists| of them.
     */
    private static Selection select(int k, List<List<Neighbour>> nearestFirst) {
        int target = heapCapacity(k, nearestFirst.size());
        int available = nearestFirst.get(0).size();
        Set<String> union = new HashSet<>();
        int kappa = k;
        int taken = 0;
        while (true) {
            for (List<Neighbour> list : nearestFirst) {
                for (int j = taken; j < Math.min(kappa, list.size()); j++) {
                    union.add(list.get(j).sampleId());
                }
            }
            taken = kappa;
            if (union.size() >= target || kappa >= available) {
                break;
            }
            kappa++;
        }
        List<String> ids = new ArrayList<>(union);
        ids.sort(Comparator.naturalOrder());
        return new Selection(ids, kappa, coverage(k, nearestFirst), nearestFirst.size());
    }

    private static double coverage(int k, List<List<Neighbour>> nearestFirst) {
        double sum = 0;
        for (List<Neighbour> list : nearestFirst) {
            double cos = 0;
            for (int j = 0; j < Math.min(k, list.size()); j++) {
                cos += list.get(j).cosine();
            }
            sum += cos / k;
        }
        return sum / nearestFirst.size();
    }

    private static void requirePositive(int v, String what) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, was " + v);
        }
    }
}
