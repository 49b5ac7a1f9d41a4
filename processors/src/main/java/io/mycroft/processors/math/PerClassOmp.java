package io.mycroft.processors.math;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Per-class selection (DESIGN §3): an owner's candidates of class c are matched against D_hard_c only, with target
 * y_c = Σ_{hard ∈ D_hard_c} g_hard and budget B_c, the class's share of B ({@link BudgetSplit}; B = k·|D_hard| gives
 * B_c = k·|D_hard_c|).
 */
public final class PerClassOmp {
    private PerClassOmp() {
    }

    /** y_c = Σ g_hard, accumulated in double in list order (the request's order, so replays sum identically). */
    public static double[] target(List<float[]> hardGradients) {
        if (hardGradients.isEmpty()) {
            throw new IllegalArgumentException("D_hard_c is empty: a class target needs at least one hard sample");
        }
        int dim = hardGradients.get(0).length;
        double[] y = new double[dim];
        for (int h = 0; h < hardGradients.size(); h++) {
            float[] g = hardGradients.get(h);
            Vectors.requireValid(g, dim, "hard sample " + h);
            for (int i = 0; i < dim; i++) {
                y[i] += g[i];
            }
        }
        return y;
    }

    /**
     * Batch OMP for every class of D_hard: class c gets target {@link #target}, budget B_c of {@code budget} by
     * {@link BudgetSplit#split} and the candidates {@code candidatesByClass.get(c)} (none if absent).
     * {@code options.budget()} is replaced per class.
     *
     * @throws IllegalArgumentException if a class's share of {@code budget} is 0
     */
    public static SortedMap<Integer, OmpPath> solve(Map<Integer, List<float[]>> hardByClass,
                                                    Map<Integer, List<Candidate>> candidatesByClass, int budget,
                                                    OmpOptions options) {
        Map<Integer, Integer> hardCounts = new TreeMap<>();
        hardByClass.forEach((c, hard) -> hardCounts.put(c, hard.size()));
        SortedMap<Integer, Integer> shares = BudgetSplit.split(budget, hardCounts);
        SortedMap<Integer, OmpPath> paths = new TreeMap<>();
        for (var e : new TreeMap<>(hardByClass).entrySet()) {
            OmpOptions perClass = options.withBudget(shares.get(e.getKey()));
            paths.put(e.getKey(), OrthogonalMatchingPursuit.solve(target(e.getValue()),
                    candidatesByClass.getOrDefault(e.getKey(), List.of()), perClass));
        }
        return paths;
    }
}
