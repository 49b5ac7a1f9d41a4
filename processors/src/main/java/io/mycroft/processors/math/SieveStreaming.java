package io.mycroft.processors.math;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * <b>Approximate</b> bounded-memory selection for owners too big to store: sieve-streaming (Badanidiyuru, Mirzasoleiman,
 * Karbasi, Krause, KDD 2014) for one (request, owner, class), with no candidate store.
 *
 * <p>Objective: the facility-location surrogate over the hard samples of class c,
 * <pre>
 *   f(S) = Σ_{h ∈ D_hard_c} max(0, max_{s ∈ S} cos(v_h, v_s)),   f(∅) = 0,
 * </pre>
 * with v the selection-space vectors (gradients or embeddings), L2-normalised. f is monotone and submodular (a sum of
 * maxima of non-negative modular functions), so sieve-streaming guarantees
 * <pre>
 *   f(S) ≥ (½ − ε)·max_{|S*| ≤ B} f(S*)
 * </pre>
 * for every arrival order, with B = budget, in one pass. It rewards covering every hard sample with a similar
 * selected sample (CRAIG's facility-location view of gradient matching). It is <em>not</em> the GradMatch objective:
 * 1 − ‖y − A_S w*‖/‖y‖ is not submodular in general and admits no such guarantee; the result is neither the OMP
 * selection nor its score, and it depends on the arrival order.
 *
 * <p>Algorithm (lazy thresholds, the paper's version with unknown OPT): keep m = max_e f({e}) over the stream and one
 * sieve S_v per threshold v = (1+ε)^i with m ≤ v ≤ 2·B·m (sieves below the range are dropped, new ones start empty).
 * Element e joins S_v when |S_v| &lt; B and its marginal gain f(S_v ∪ {e}) − f(S_v) is positive and at least
 * (v/2 − f(S_v))/(B − |S_v|). The answer is the sieve of largest f (ties: the lower threshold).
 *
 * <p>"Positive" is ours: the paper also admits zero gains once f(S_v) ≥ v/2 (threshold ≤ 0); such a sieve already
 * meets the bound and f is monotone, so skipping them keeps the guarantee and never selects a sample that adds
 * nothing, e.g. a sample already in S_v or an exact duplicate of one (gain exactly 0). Without remembering every
 * id seen (unbounded memory), a redelivered sample is a new stream element that a sieve which once rejected it may now
 * accept: like the arrival order, redelivery can change the answer, so this mode relies on exactly-once processing.
 *
 * <p>Memory: at most ⌊log_{1+ε}(2B)⌋ + 1 sieves, each B sample ids and |D_hard_c| running maxima — O(B·log(B)/ε) ids,
 * no vectors. Marginal gains need only the running maxima: Δ(e | S) = Σ_h max(0, cos(v_h, v_e) − best_h(S)).
 */
public final class SieveStreaming {
    /** ε = 0.1: guarantee 0.4·OPT with at most ⌊ln(2B)/ln(1.1)⌋ + 1 ≈ 10.5·ln(2B) + 1 sieves. */
    public static final double DEFAULT_EPSILON = 0.1;

    private final int budget;
    private final double epsilon;
    private final List<double[]> hardUnits;
    private double maxSingleton;
    /** Threshold exponent i (v = (1+ε)^i) → sieve. */
    private final TreeMap<Integer, Sieve> sieves;

    /** One sieve's state: selected ids in selection order and best_h(S) per hard sample. */
    record Sieve(List<String> sampleIds, double[] best) {
        double value() {
            double f = 0;
            for (double b : best) {
                f += b;
            }
            return f;
        }
    }

    /** The current answer: the selected ids in selection order, and f of them. */
    public record Solution(List<String> sampleIds, double value) {
        public Solution {
            sampleIds = List.copyOf(sampleIds);
        }
    }

    SieveStreaming(List<SampleEmbedding> hard, int budget, double epsilon, double maxSingleton,
                   TreeMap<Integer, Sieve> sieves) {
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be at least 1, was " + budget);
        }
        if (!(epsilon > 0 && epsilon < 0.5)) {
            throw new IllegalArgumentException("epsilon must lie in (0, 1/2), was " + epsilon);
        }
        this.budget = budget;
        this.epsilon = epsilon;
        this.hardUnits = RetrieveTopK.hardUnits(hard);
        this.maxSingleton = maxSingleton;
        this.sieves = sieves;
        for (Sieve s : sieves.values()) {
            if (s.best().length != hard.size() || s.sampleIds().size() > budget) {
                throw new IllegalArgumentException("sieve state does not fit " + hard.size() + " hard samples and budget "
                        + budget + " (was the hard set or budget changed?)");
            }
        }
    }

    /**
     * An empty stream.
     *
     * @param hard    D_hard_c vectors (the facilities)
     * @param budget  B = k·|D_hard_c|
     * @param epsilon ε in (0, ½): guarantee ½ − ε, ⌊log_{1+ε}(2B)⌋ + 1 sieves
     */
    public static SieveStreaming start(List<SampleEmbedding> hard, int budget, double epsilon) {
        return new SieveStreaming(hard, budget, epsilon, 0, new TreeMap<>());
    }

    /**
     * Streams a batch of owner samples of class c through the sieves, in list order; returns whether the answer changed.
     *
     * @throws InvalidVectorException for a wrong dimension, NaN/Inf or zero norm; the state is unchanged
     */
    public boolean offer(List<SampleEmbedding> batch) {
        int dim = hardUnits.get(0).length;
        List<double[]> units = new ArrayList<>(batch.size());
        for (SampleEmbedding e : batch) {
            units.add(UnitVectors.unit(e.vector(), dim, "owner sample " + e.sampleId()));
        }
        Solution before = solution();
        for (int i = 0; i < batch.size(); i++) {
            offer(batch.get(i).sampleId(), units.get(i));
        }
        return !solution().equals(before);
    }

    private void offer(String sampleId, double[] unit) {
        double[] sim = new double[hardUnits.size()];
        double singleton = 0;
        for (int h = 0; h < sim.length; h++) {
            sim[h] = Math.max(0, UnitVectors.dot(hardUnits.get(h), unit));
            singleton += sim[h];
        }
        if (singleton > maxSingleton) {
            maxSingleton = singleton;
            resizeThresholds();
        }
        for (Map.Entry<Integer, Sieve> entry : sieves.entrySet()) {
            Sieve s = entry.getValue();
            if (s.sampleIds().size() >= budget) {
                continue;
            }
            double gain = 0;
            for (int h = 0; h < sim.length; h++) {
                gain += Math.max(0, sim[h] - s.best()[h]);
            }
            double v = threshold(entry.getKey());
            if (gain > 0 && gain >= (v / 2 - s.value()) / (budget - s.sampleIds().size())) {
                s.sampleIds().add(sampleId);
                for (int h = 0; h < sim.length; h++) {
                    s.best()[h] = Math.max(s.best()[h], sim[h]);
                }
            }
        }
    }

    /** Keeps exactly the exponents i with m ≤ (1+ε)^i ≤ 2·B·m. */
    private void resizeThresholds() {
        double lo = maxSingleton;
        double hi = 2.0 * budget * maxSingleton;
        double base = Math.log1p(epsilon);
        int first = (int) Math.floor(Math.log(lo) / base) - 1;
        int last = (int) Math.ceil(Math.log(hi) / base) + 1;
        sieves.headMap(first, true).clear();
        for (int i = first; i <= last; i++) {
            double v = threshold(i);
            if (v < lo || v > hi) {
                sieves.remove(i);
            } else if (!sieves.containsKey(i)) {
                sieves.put(i, new Sieve(new ArrayList<>(), new double[hardUnits.size()]));
            }
        }
    }

    private double threshold(int exponent) {
        return Math.pow(1 + epsilon, exponent);
    }

    /** The sieve of largest f, ties to the lower threshold; empty before any sample with a positive similarity. */
    public Solution solution() {
        Sieve best = null;
        for (Sieve s : sieves.values()) {
            if (best == null || s.value() > best.value()) {
                best = s;
            }
        }
        return best == null ? new Solution(List.of(), 0) : new Solution(best.sampleIds(), best.value());
    }

    /** Number of live sieves (≤ ⌊log_{1+ε}(2B)⌋ + 1). */
    public int sieveCount() {
        return sieves.size();
    }

    int budget() {
        return budget;
    }

    double epsilon() {
        return epsilon;
    }

    int hardCount() {
        return hardUnits.size();
    }

    double maxSingleton() {
        return maxSingleton;
    }

    Map<Integer, Sieve> sieves() {
        return Collections.unmodifiableMap(sieves);
    }
}
