package io.mycroft.processors.math;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * RetrieveTopK, the paper's Algorithm 3 stated precisely (DESIGN §3) and capped at the class budget B_c, for one class c
 * of one owner.
 *
 * <p>Embeddings are L2-normalised; the distance of owner sample o to hard sample h is ‖ê_h − ê_o‖₂ (ranked by its
 * square), ties by sampleId ascending ({@link Neighbour#ORDER}). With N_κ(h) the κ nearest owner samples of h and
 * rank_h(o) the 1-based position of o in h's nearest-first order:
 * <pre>
 *   U(κ) = ∪_{h ∈ D_hard_c} N_κ(h)
 *   κ* = min { κ ≥ k : |U(κ)| ≥ B_c  or  κ ≥ n_c }              (k raised while duplicates leave fewer than B_c)
 *   key(o) = ( κ_o = min_h rank_h(o),  δ_o = min { ‖ê_h − ê_o‖² : rank_h(o) = κ_o },  sampleId )
 *   D_useful_c = the min(B_c, |U(κ*)|) samples of U(κ*) with the smallest key
 * </pre>
 * U(κ) = { o : κ_o ≤ κ }, so the key orders the union in the order Algorithm 3 grows it: every hard sample's nearest
 * neighbour before any hard sample's second, and within one such layer the nearer first (best cosine 1 − δ_o/2, then
 * sampleId). The cut keeps |D_useful_c| ≤ B_c; Algorithm 3's last raise could add several samples at once and overshoot.
 * D_useful_c is also the B_c smallest keys over all owner samples, since |U(κ*)| ≥ B_c unless the class is exhausted.
 * Why not rank by the best cosine to <em>any</em> hard sample, min_h ‖ê_h − ê_o‖²: a member of U(κ*) can be nearer to
 * a hard sample whose heap it is not in (that hard sample has max(k, B_c) nearer ones), so the bounded streamed state
 * could not tell that key exactly; and one hard sample with a dense neighbourhood would take the whole budget.
 *
 * <p>Streaming form ({@link RetrieveTopKStream}): κ* ≤ max(k, B_c), because N_κ(h) alone holds min(κ, n_c) distinct
 * samples, so U(B_c) already meets the count or exhausts the class. A {@link NeighbourHeap} of capacity
 * {@link #heapCapacity max(k, B_c)} per hard sample therefore holds every rank_h(o) ≤ κ* exactly, so κ*, the keys of
 * U(κ*) and the cut are the batch ones, for any arrival order.
 *
 * <p>Exact duplicates (equal {@link SampleEmbedding#contentKey()}) are one candidate, the smallest sample id
 * (DESIGN §3): never selected twice, never counted twice in the k nearest or the coverage; n_c counts distinct vectors.
 *
 * <p>Near-copies count once (issue 13; the rule OMP applies, {@link NearCopies}, at the embeddings' threshold
 * cos ≥ 1 − 1e-4, {@link NearCopies#MIN_EMBEDDING_COSINE}), among the samples RetrieveTopK retains. With C = max(k, B_c) and R = ∪_h N_C(h):
 * <pre>
 *   shadowed = R \ kept(R)      (kept as in {@link NearCopies}: no near-copy with a smaller sampleId in R)
 *   N'(h)    = N_C(h) \ shadowed, in nearest-first order
 * </pre>
 * and κ*, the keys, the cut and the coverage above are taken over the lists N'(h) (κ* stops at their longest length).
 * R, and so N'(h), is a function of the owner's distinct samples alone, so the streaming heaps, which hold N_C(h)
 * exactly, together with the vectors of R, answer it for any arrival order. The scope is R because bounded state sees
 * nothing else; a near-copy outside R does not count anyway, and of a near pair inside R only the smaller id is ever
 * counted or selected. A hard sample whose C nearest are mostly near-copies is left with fewer than k neighbours: copies
 * are no evidence.
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
     * @param sampleIds  D_useful_c (at most B_c), sorted by sampleId ascending
     * @param effectiveK κ*, the k after raising
     * @param coverage   mean over hard samples of the mean cosine of their k nearest owner samples
     * @param hardCount  |D_hard_c|, the weight of this class in {@link #coverage(List)}
     */
    public record Selection(List<String> sampleIds, int effectiveK, double coverage, int hardCount) {
        public Selection {
            sampleIds = List.copyOf(sampleIds);
        }
    }

    /** The heap capacity per hard sample that keeps streaming RetrieveTopK exact: max(k, B_c). */
    public static int heapCapacity(int k, int budget) {
        requirePositive(k, "k");
        requirePositive(budget, "budget B_c");
        return Math.max(k, budget);
    }

    /**
     * Batch RetrieveTopK over all owner samples of class c.
     *
     * @param k      neighbours per hard sample, ≥ 1
     * @param budget B_c, the most samples selected, ≥ 1
     * @param hard   D_hard_c embeddings (non-empty; the first one fixes the dimension)
     * @param owner  the owner's samples of class c, distinct sample ids; exact duplicates count once
     * @throws InvalidVectorException   for a vector of the wrong dimension, with a NaN/Inf entry, or of zero norm
     * @throws IllegalArgumentException for k or B_c &lt; 1, no hard samples, or a repeated owner sample id
     */
    public static Selection batch(int k, int budget, List<SampleEmbedding> hard, List<SampleEmbedding> owner) {
        heapCapacity(k, budget);
        List<double[]> hardUnits = hardUnits(hard);
        int dim = hard.get(0).vector().length;
        List<SampleEmbedding> candidates = SampleEmbedding.representatives(owner);
        List<double[]> ownerUnits = new ArrayList<>(candidates.size());
        long[] keys = new long[candidates.size()];
        for (int i = 0; i < keys.length; i++) {
            SampleEmbedding o = candidates.get(i);
            ownerUnits.add(UnitVectors.unit(o.vector(), dim, "owner sample", o.sampleId()));
            keys[i] = o.contentKey();
        }
        int capacity = heapCapacity(k, budget);
        List<List<Neighbour>> retained = new ArrayList<>(hardUnits.size());
        for (double[] h : hardUnits) {
            List<Neighbour> all = new ArrayList<>(candidates.size());
            for (int i = 0; i < keys.length; i++) {
                all.add(new Neighbour(candidates.get(i).sampleId(), UnitVectors.squaredDistance(h, ownerUnits.get(i)),
                        keys[i]));
            }
            all.sort(Neighbour.ORDER);
            retained.add(all.subList(0, Math.min(capacity, all.size())));
        }
        Map<String, float[]> vectors = new HashMap<>();
        candidates.forEach(o -> vectors.put(o.sampleId(), o.vector()));
        return select(k, budget, withoutNearCopies(retained, vectors));
    }

    /**
     * RetrieveTopK from the streaming heaps of one class (one per hard sample, all fed the same owner samples) and the
     * near-copy index over the samples they hold, R, at {@link NearCopies#MIN_EMBEDDING_COSINE} (kept by the caller as R
     * changes).
     *
     * @throws IllegalArgumentException if the heaps are too small (capacity &lt; max(k, B_c)) or disagree in size, or a
     *                                  held sample is not in the index
     */
    public static Selection fromHeaps(int k, int budget, List<NeighbourHeap> heaps, NearCopies nearCopiesOfR) {
        int capacity = heapCapacity(k, budget);
        List<List<Neighbour>> ranked = new ArrayList<>(heaps.size());
        for (NeighbourHeap h : heaps) {
            if (h.capacity() < capacity) {
                throw new IllegalArgumentException("heap capacity " + h.capacity() + " is below max(k, B_c) = "
                        + capacity + "; the k-raising rule and the cut could not be answered exactly");
            }
            if (h.size() != heaps.get(0).size()) {
                throw new IllegalArgumentException("heaps of one class hold different numbers of neighbours ("
                        + h.size() + " vs " + heaps.get(0).size() + "); they must see the same owner samples");
            }
            ranked.add(h.neighbours());
        }
        for (List<Neighbour> list : ranked) {
            for (Neighbour n : list) {
                if (!nearCopiesOfR.holds(n.sampleId())) {
                    throw new IllegalArgumentException("retained sample " + n.sampleId() + " is not in the near-copy index of R");
                }
            }
        }
        return fromHeldHeaps(k, budget, ranked, nearCopiesOfR);
    }

    /**
     * {@link #fromHeaps} of heaps already checked, whose every sample {@code nearCopiesOfR} holds: {@link
     * RetrieveTopKStream} keeps the two in step (the check took 6 % of FEATURE's processor, a lookup per neighbour for
     * every new selection).
     */
    static Selection fromHeldHeaps(int k, int budget, List<List<Neighbour>> ranked, NearCopies nearCopiesOfR) {
        return select(k, budget, withoutShadowed(ranked, nearCopiesOfR));
    }

    /** The lists N'(h): each retained list without the near-copies {@link NearCopies} shadows within their union R. */
    private static List<List<Neighbour>> withoutNearCopies(List<List<Neighbour>> retained, Map<String, float[]> vectors) {
        Map<String, Candidate> union = new TreeMap<>();
        for (List<Neighbour> list : retained) {
            for (Neighbour n : list) {
                union.computeIfAbsent(n.sampleId(), id -> {
                    float[] v = vectors.get(id);
                    if (v == null) {
                        throw new IllegalArgumentException("no vector for retained sample " + id);
                    }
                    return new Candidate(id, v);
                });
            }
        }
        return withoutShadowed(retained, NearCopies.of(union.values(), NearCopies.MIN_EMBEDDING_COSINE));
    }

    /** Each list without the samples {@code index} (over their union) shadows. */
    private static List<List<Neighbour>> withoutShadowed(List<List<Neighbour>> retained, NearCopies index) {
        if (index.shadowedCount() == 0) {
            return retained;
        }
        List<List<Neighbour>> out = new ArrayList<>(retained.size());
        for (List<Neighbour> list : retained) {
            out.add(list.stream().filter(n -> !index.isShadowed(n.sampleId())).toList());
        }
        return out;
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
            units.add(UnitVectors.unit(h.vector(), dim, "hard sample", h.sampleId()));
        }
        return units;
    }

    /**
     * κ*, the keys of U(κ*) and the cut at B_c, over the nearest-first lists N'(h): the exact prefixes of length
     * max(k, B_c) (or all n_c) of the full rankings, without the shadowed near-copies.
     */
    private static Selection select(int k, int budget, List<List<Neighbour>> nearestFirst) {
        int available = nearestFirst.stream().mapToInt(List::size).max().orElse(0);
        Set<String> union = new HashSet<>();
        List<Neighbour> ranked = new ArrayList<>(); // U(κ) in key order, each sample with δ_o as its distance
        int kappa = 0;
        do {
            kappa++;
            Map<String, Neighbour> layer = new HashMap<>(); // the samples with κ_o = κ, at δ_o
            for (List<Neighbour> list : nearestFirst) {
                if (kappa <= list.size()) {
                    Neighbour n = list.get(kappa - 1);
                    if (!union.contains(n.sampleId())) {
                        layer.merge(n.sampleId(), n, (a, b) -> Neighbour.ORDER.compare(a, b) <= 0 ? a : b);
                    }
                }
            }
            List<Neighbour> sorted = new ArrayList<>(layer.values());
            sorted.sort(Neighbour.ORDER);
            ranked.addAll(sorted);
            union.addAll(layer.keySet());
        } while (kappa < k || union.size() < budget && kappa < available);
        List<String> ids = new ArrayList<>(budget);
        for (Neighbour n : ranked.subList(0, Math.min(budget, ranked.size()))) {
            ids.add(n.sampleId());
        }
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
