package io.mycroft.processors.math;

import io.mycroft.processors.math.OmpOptions.Correlation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Batch OMP in the GradMatch form of the paper's code (DESIGN §3). With r₀ = y, step t picks
 * <pre>  j_t = argmax over unchosen candidates j of s_j,   s_j = ⟨a_j, y⟩ − Σ_{i ∈ T_{t−1}} w_i^{(t−1)}·⟨a_j, a_i⟩ = ⟨a_j, r_{t−1}⟩</pre>
 * (or |s_j|; ties go to the smallest sampleId), then solves the ridge problem
 * <pre>  w^{(t)} = argmin ‖y − A_T·w‖² + λ‖w‖² + λ₂·Σ (d_i·w_i)²  =  (A_TᵀA_T + diag(λ + λ₂·d_i²))⁻¹·A_Tᵀy</pre>
 * through an incrementally grown Cholesky factor ({@link RidgeCholesky}). Non-negative: while some w_i &lt; 0, drop the
 * most negative atom (the first in active order on ties) and re-solve. "Unchosen" means never a winner before, so a
 * dropped atom does not come back and every step consumes one candidate. The run stops at B steps ({@code paperSteps})
 * or B held atoms, at ‖r‖ ≤ ε·‖y‖, or when no unchosen candidate is left ({@link OmpPath#exhausted()}).
 *
 * <p>Differences from the paper's code, on purpose: the argmax excludes chosen atoms (theirs may re-pick one and stack a
 * duplicate row), and step 1 is ridge-regularised like every other step (theirs divides by ‖a‖² there).
 *
 * <p>Bit-identity with {@link IncrementalOmp}: the score is always formed as s = ⟨a, y⟩, then s −= w_i·c_i for the
 * active atoms in active order, with c_i = ⟨a, a_i⟩ and every dot product from {@link Vectors#dot4}; the factor and the
 * weights are pure functions of the ordered active list. So any run resumed from a stored prefix reproduces the batch
 * run exactly.
 */
public final class OrthogonalMatchingPursuit {
    /** Above this many multiply-adds a column of dot products is computed on the common fork-join pool. */
    private static final long PARALLEL_WORK = 1L << 18;

    private OrthogonalMatchingPursuit() {
    }

    /** OMP over {@code candidates} (duplicates by feature bytes collapse to the smallest sampleId). */
    public static OmpPath solve(double[] y, Collection<Candidate> candidates, OmpOptions options) {
        requireTarget(y);
        return resume(y, unique(candidates, y.length, options), options, List.of(), candidates.size());
    }

    /** {@link #solve(double[], Collection, OmpOptions)} for a float32 target. */
    public static OmpPath solve(float[] y, Collection<Candidate> candidates, OmpOptions options) {
        return solve(toDouble(y), candidates, options);
    }

    /**
     * Continues the path {@code prefix} over {@code candidates}, which must be unique, valid and contain every winner of
     * the prefix. With an empty prefix this is the batch run.
     */
    static OmpPath resume(double[] y, List<Candidate> candidates, OmpOptions options, List<OmpStep> prefix,
                          long samplesSeen) {
        return new Run(y, candidates, options, prefix).run(samplesSeen);
    }

    /** s = ⟨x, y⟩ − Σ w_i·c_i in active order (the one scoring formula; {@link Run} vectorises the same operations). */
    static double score(double xy, double[] w, double[] c, Correlation correlation) {
        double s = xy;
        for (int i = 0; i < w.length; i++) {
            s -= w[i] * c[i];
        }
        return correlation == Correlation.ABSOLUTE ? Math.abs(s) : s;
    }

    /** The argmax order: a higher score wins; an equal score goes to the smaller sampleId. */
    static boolean beats(double score, String id, double bestScore, String bestId) {
        return score > bestScore || (score == bestScore && id.compareTo(bestId) < 0);
    }

    /** The column OMP works with: the features, L2-normalised when {@code normalize}. */
    static float[] atom(Candidate c, OmpOptions options) {
        return options.normalize() ? Vectors.normalized(c.features(), "candidate " + c.sampleId()) : c.features();
    }

    static void requireTarget(double[] y) {
        if (y.length == 0) {
            throw new InvalidVectorException("target y is empty");
        }
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(y[i])) {
                throw new InvalidVectorException("target y has a non-finite entry " + y[i] + " at index " + i);
            }
        }
    }

    /** Throws {@link InvalidVectorException} for a wrong dim, a NaN/Inf entry, or a zero norm when normalising. */
    static void requireCandidate(Candidate c, int dim, OmpOptions options) {
        Vectors.requireValid(c.features(), dim, "candidate " + c.sampleId());
        if (options.normalize() && Vectors.norm(c.features()) == 0) {
            throw new InvalidVectorException("candidate " + c.sampleId() + " has zero norm and cannot be normalised");
        }
    }

    /** Validates all, then keeps one candidate per feature bytes (the smallest sampleId). */
    static List<Candidate> unique(Collection<Candidate> candidates, int dim, OmpOptions options) {
        Map<String, Candidate> byId = new HashMap<>();
        for (Candidate c : candidates) {
            requireCandidate(c, dim, options);
            Candidate seen = byId.putIfAbsent(c.sampleId(), c);
            if (seen != null && !seen.sameFeatures(c)) {
                throw new InvalidVectorException("sample " + c.sampleId() + " appears twice with different features");
            }
        }
        Map<Candidate.FeatureKey, Candidate> byFeatures = new HashMap<>();
        for (Candidate c : byId.values()) {
            byFeatures.merge(c.featureKey(), c, (a, b) -> a.sampleId().compareTo(b.sampleId()) <= 0 ? a : b);
        }
        return new ArrayList<>(byFeatures.values());
    }

    static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /** The mutable state of one run; candidates are addressed by their index in the input list. */
    private static final class Run {
        private final double[] y;
        private final OmpOptions options;
        private final int n;
        private final String[] ids;
        private final float[][] atoms;
        private final double[] ridge;
        private final double[] xy;
        private final double[][] column;
        private final boolean[] chosen;
        private final RidgeCholesky factor = new RidgeCholesky();
        private final List<OmpStep> steps;
        private int[] active = new int[0];
        private double[] w = new double[0];

        Run(double[] y, List<Candidate> candidates, OmpOptions options, List<OmpStep> prefix) {
            this.y = y;
            this.options = options;
            this.n = candidates.size();
            this.ids = new String[n];
            this.atoms = new float[n][];
            this.ridge = new double[n];
            Map<String, Integer> index = new HashMap<>();
            for (int x = 0; x < n; x++) {
                Candidate c = candidates.get(x);
                ids[x] = c.sampleId();
                atoms[x] = atom(c, options);
                ridge[x] = options.lambda() + options.lambda2() * (c.penalty() * c.penalty());
                index.put(ids[x], x);
            }
            this.xy = parallel(x -> Vectors.dot4(atoms[x], y));
            this.column = new double[n][];
            this.chosen = new boolean[n];
            this.steps = new ArrayList<>(prefix);
            replay(prefix, index);
        }

        /** Restores chosen set, active list, weights and factor after the prefix's last step. */
        private void replay(List<OmpStep> prefix, Map<String, Integer> index) {
            List<Integer> act = new ArrayList<>();
            for (OmpStep s : prefix) {
                Integer x = index.get(s.winner());
                if (x == null) {
                    throw new IllegalStateException("candidate " + s.winner()
                            + " of the stored OMP path is missing from the candidate store");
                }
                chosen[x] = true;
                if (!s.dependent()) {
                    act.add(x);
                }
                for (String d : s.dropped()) {
                    act.remove(index.get(d));
                }
            }
            active = act.stream().mapToInt(Integer::intValue).toArray();
            if (!prefix.isEmpty()) {
                w = prefix.get(prefix.size() - 1).weights();
            }
            if (w.length != active.length) {
                throw new IllegalStateException("stored OMP path has " + w.length + " weights for "
                        + active.length + " active atoms");
            }
            for (int a : active) {
                ensureColumn(a);
            }
            refactor(new ArrayList<>());
        }

        OmpPath run(long samplesSeen) {
            boolean exhausted = false;
            double yNorm = Vectors.norm(y);
            double[] s = new double[n];
            while (options.paperSteps() ? steps.size() < options.budget() : active.length < options.budget()) {
                if (options.epsilon() > 0 && residualNorm() <= options.epsilon() * yNorm) {
                    break;
                }
                int best = argmax(s);
                if (best < 0) {
                    exhausted = true;
                    break;
                }
                step(best, s[best]);
            }
            return new OmpPath(steps, exhausted, residualNorm(), yNorm, samplesSeen);
        }

        /** Scores every candidate against r_{t−1} into {@code s}; returns the best unchosen one or −1. */
        private int argmax(double[] s) {
            System.arraycopy(xy, 0, s, 0, n);
            for (int i = 0; i < active.length; i++) {
                double wi = w[i];
                double[] col = column[active[i]];
                for (int x = 0; x < n; x++) {
                    s[x] -= wi * col[x];
                }
            }
            boolean abs = options.correlation() == Correlation.ABSOLUTE;
            int best = -1;
            for (int x = 0; x < n; x++) {
                if (!chosen[x]) {
                    if (abs) {
                        s[x] = Math.abs(s[x]);
                    }
                    if (best < 0 || beats(s[x], ids[x], s[best], ids[best])) {
                        best = x;
                    }
                }
            }
            return best;
        }

        private void step(int k, double score) {
            chosen[k] = true;
            ensureColumn(k);
            double[] g = new double[active.length];
            for (int i = 0; i < active.length; i++) {
                g[i] = column[active[i]][k];
            }
            if (!factor.append(g, column[k][k] + ridge[k])) {
                column[k] = null;
                steps.add(new OmpStep(ids[k], score, true, List.of(), w));
                return;
            }
            active = Arrays.copyOf(active, active.length + 1);
            active[active.length - 1] = k;
            w = solve();
            List<String> dropped = new ArrayList<>();
            while (options.nonNegative()) {
                int p = mostNegative();
                if (p < 0) {
                    break;
                }
                dropped.add(ids[active[p]]);
                remove(p);
                refactor(dropped);
                w = solve();
            }
            steps.add(new OmpStep(ids[k], score, false, dropped, w));
        }

        private int mostNegative() {
            int p = -1;
            for (int i = 0; i < w.length; i++) {
                if (w[i] < 0 && (p < 0 || w[i] < w[p])) {
                    p = i;
                }
            }
            return p;
        }

        private void remove(int p) {
            int[] next = new int[active.length - 1];
            System.arraycopy(active, 0, next, 0, p);
            System.arraycopy(active, p + 1, next, p, next.length - p);
            active = next;
        }

        /**
         * Rebuilds the factor by re-appending the active atoms in order; an atom that has become numerically dependent
         * on the ones before it is removed and reported in {@code dropped}.
         */
        private void refactor(List<String> dropped) {
            factor.clear();
            int p = 0;
            while (p < active.length) {
                double[] g = new double[p];
                for (int q = 0; q < p; q++) {
                    g[q] = column[active[q]][active[p]];
                }
                if (factor.append(g, column[active[p]][active[p]] + ridge[active[p]])) {
                    p++;
                } else {
                    dropped.add(ids[active[p]]);
                    remove(p);
                }
            }
        }

        /** w = (A_TᵀA_T + diag(λ + λ₂·d_i²))⁻¹·A_Tᵀy. */
        private double[] solve() {
            double[] b = new double[active.length];
            for (int i = 0; i < active.length; i++) {
                b[i] = xy[active[i]];
            }
            return factor.solve(b);
        }

        /** ‖y − Σ w_i·a_i‖, summed in active order. */
        private double residualNorm() {
            double[] r = y.clone();
            for (int i = 0; i < active.length; i++) {
                Vectors.axpy(-w[i], atoms[active[i]], r);
            }
            return Vectors.norm(r);
        }

        /** column[j][x] = ⟨a_j, a_x⟩ for every candidate x. */
        private void ensureColumn(int j) {
            if (column[j] == null) {
                float[] aj = atoms[j];
                column[j] = parallel(x -> Vectors.dot4(aj, atoms[x]));
            }
        }

        private double[] parallel(java.util.function.IntToDoubleFunction f) {
            double[] out = new double[n];
            IntStream range = IntStream.range(0, n);
            if ((long) n * y.length >= PARALLEL_WORK) {
                range = range.parallel();
            }
            range.forEach(x -> out[x] = f.applyAsDouble(x));
            return out;
        }
    }
}
