package io.mycroft.processors.math;

import io.mycroft.processors.math.OmpOptions.Correlation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The working memory of {@link OrthogonalMatchingPursuit} over one candidate set: the atoms a_x as one panel-packed
 * matrix ({@link AtomPanels}), ⟨a_x, y⟩, regularised diagonals, and the Gram columns c_j[x] = ⟨a_j, a_x⟩ (with the
 * row a_j) of atoms that have won a step; a new column is one streaming pass over the matrix. It can rewind to any stored
 * prefix and continue, and grow by new candidates, so {@link IncrementalOmp} keeps one alive between offers and a
 * re-run from step t only computes the columns of atoms that have never won before. Every number it holds is a pure
 * function of the candidates, so reuse never changes a result.
 */
final class OmpRun {
    private final double[] y;
    private final OmpOptions options;
    private int n;
    private String[] ids;
    private final AtomPanels atoms;
    /** rows[j] = a_j for every j with a column. */
    private float[][] rows;
    private double[] ridge;
    private double[] xy;
    private double[][] column;
    /**
     * sampleId → index of every atom with a column. Only these are looked up by id on the hot path, so no index of all
     * candidates is kept; any other id is found by one scan ({@link #locate}).
     */
    private final Map<String, Integer> columnHolders = new HashMap<>();
    /**
     * The column holders as an array, each with the step its atom won in {@link #holderStepsOf} (−1: none), so that an
     * arrival looks nothing up by id; rebuilt when the holders or that map change.
     */
    private int[] holders;
    private int[] holderSteps;
    private Map<String, Integer> holderStepsOf;
    private boolean[] chosen;
    private double[] scores;
    private final RidgeCholesky factor = new RidgeCholesky();
    private List<OmpStep> steps;
    private int[] active;
    private double[] w;

    OmpRun(double[] y, OmpOptions options, List<Candidate> candidates) {
        this.y = y;
        this.options = options;
        int capacity = Math.max(16, candidates.size());
        ids = new String[capacity];
        atoms = new AtomPanels(y.length);
        rows = new float[capacity][];
        ridge = new double[capacity];
        xy = new double[capacity];
        column = new double[capacity][];
        for (Candidate c : candidates) {
            put(c, OmpScoring.atom(c, options));
        }
        atoms.dots(y, xy);
    }

    /**
     * Adds a candidate whose atom and ⟨a, y⟩ the caller has computed, with ⟨a, a_j⟩ for some atoms j that have a column:
     * {@code knownDots[t]} for the atom {@code stepOf} maps to step t (the rest are computed here). {@code stepOf} must not
     * change: a different map (by identity) is indexed again.
     */
    void add(Candidate c, float[] atom, double atomDotY, Map<String, Integer> stepOf, double[] knownDots) {
        int x = put(c, atom);
        xy[x] = atomDotY;
        if (holders == null || holderStepsOf != stepOf) {
            indexHolders(stepOf);
        }
        for (int i = 0; i < holders.length; i++) {
            int j = holders[i];
            if (column[j].length <= x) {
                column[j] = Arrays.copyOf(column[j], ids.length);
            }
            int t = holderSteps[i];
            column[j][x] = t >= 0 ? knownDots[t] : DotKernel.dot(rows[j], atom);
        }
    }

    private void indexHolders(Map<String, Integer> stepOf) {
        holders = new int[columnHolders.size()];
        holderSteps = new int[holders.length];
        int i = 0;
        for (Map.Entry<String, Integer> holder : columnHolders.entrySet()) {
            holders[i] = holder.getValue();
            holderSteps[i++] = stepOf.getOrDefault(holder.getKey(), -1);
        }
        holderStepsOf = stepOf;
    }

    private int put(Candidate c, float[] atom) {
        if (n == ids.length) {
            int capacity = 2 * n;
            ids = Arrays.copyOf(ids, capacity);
            rows = Arrays.copyOf(rows, capacity);
            ridge = Arrays.copyOf(ridge, capacity);
            xy = Arrays.copyOf(xy, capacity);
            column = Arrays.copyOf(column, capacity);
        }
        ids[n] = c.sampleId();
        atoms.add(atom);
        ridge[n] = options.lambda() + options.lambda2() * (c.penalty() * c.penalty());
        return n++;
    }

    /** The atom of a stored candidate, or null. */
    float[] atom(String sampleId) {
        Integer x = locate(List.of(sampleId)).get(sampleId);
        if (x == null) {
            return null;
        }
        return rows[x] != null ? rows[x] : atoms.row(x);
    }

    /** The index of each of {@code sampleIds} that is held: column holders by lookup, the rest by one scan. */
    private Map<String, Integer> locate(Collection<String> sampleIds) {
        Map<String, Integer> found = new HashMap<>();
        Set<String> missing = new HashSet<>();
        for (String id : sampleIds) {
            Integer x = columnHolders.get(id);
            if (x != null) {
                found.put(id, x);
            } else {
                missing.add(id);
            }
        }
        for (int x = 0; x < n && !missing.isEmpty(); x++) {
            if (missing.remove(ids[x])) {
                found.put(ids[x], x);
            }
        }
        return found;
    }

    /** Steps 1..|prefix| as stored, then OMP onward to a stop (DESIGN §3), over every candidate held. */
    OmpPath resume(List<OmpStep> prefix, long samplesSeen) {
        rewind(prefix);
        boolean exhausted = false;
        double yNorm = Vectors.norm(y);
        while (options.paperSteps() ? steps.size() < options.budget() : active.length < options.budget()) {
            if (options.epsilon() > 0 && residualNorm() <= options.epsilon() * yNorm) {
                break;
            }
            int best = argmax();
            if (best < 0) {
                exhausted = true;
                break;
            }
            step(best, scores[best]);
        }
        evictColumns();
        return new OmpPath(steps, exhausted, residualNorm(), yNorm, samplesSeen);
    }

    /** Restores chosen set, active list, weights and factor after the prefix's last step. */
    private void rewind(List<OmpStep> prefix) {
        chosen = new boolean[n];
        steps = new ArrayList<>(prefix);
        List<Integer> act = new ArrayList<>();
        Set<String> named = new HashSet<>();
        for (OmpStep s : prefix) {
            named.add(s.winner());
            named.addAll(s.dropped());
        }
        Map<String, Integer> index = locate(named);
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
        w = prefix.isEmpty() ? new double[0] : prefix.get(prefix.size() - 1).weights();
        if (w.length != active.length) {
            throw new IllegalStateException("stored OMP path has " + w.length + " weights for "
                    + active.length + " active atoms");
        }
        for (int a : active) {
            ensureColumn(a);
        }
        refactor(new ArrayList<>());
    }

    /** Scores s[x] = ⟨a_x, y⟩ − Σ w_i·c_i[x] (active order) for all x; returns the best unchosen one or −1. */
    private int argmax() {
        if (scores == null || scores.length < n) {
            scores = new double[ids.length];
        }
        double[] s = scores;
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
                if (best < 0 || OmpScoring.beats(s[x], ids[x], s[best], ids[best])) {
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

    /** The most negative weight (the first in active order on ties), or −1. */
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
            Vectors.axpy(-w[i], rows[active[i]], r);
        }
        return Vectors.norm(r);
    }

    /**
     * column[j][x] = ⟨a_x, a_j⟩ for every candidate x, in one pass over the matrix. a_j is widened to double once:
     * products of a float with an exactly widened float are the same doubles, so this equals
     * {@code DotKernel.dot(a_x, a_j)} bit for bit.
     */
    private void ensureColumn(int j) {
        if (column[j] == null) {
            rows[j] = atoms.row(j);
            double[] col = new double[ids.length];
            atoms.dots(Vectors.toDouble(rows[j]), col);
            column[j] = col;
            columnHolders.put(ids[j], j);
            holders = null;
        }
    }

    /** Keeps the columns of this path's winners only (a later re-run needs no others). */
    private void evictColumns() {
        Set<String> winners = new HashSet<>();
        steps.forEach(s -> winners.add(s.winner()));
        columnHolders.values().removeIf(j -> {
            boolean evict = !winners.contains(ids[j]);
            if (evict) {
                column[j] = null;
                rows[j] = null;
            }
            return evict;
        });
        holders = null;
    }
}
