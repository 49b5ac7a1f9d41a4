package io.mycroft.processors.math;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A request's budget B (the most samples an owner may be asked to share, DESIGN §3 "The budget is a budget") split over
 * its classes in proportion to |D_hard_c|, by the largest-remainder (Hamilton) method. With N = Σ_c |D_hard_c|:
 * <pre>
 *   q_c = B·|D_hard_c| / N,   B_c = ⌊q_c⌋ + (1 for the B − Σ_c ⌊q_c⌋ classes with the largest q_c − ⌊q_c⌋)
 * </pre>
 * Ties in the remainder go to the smaller class label. Σ_c B_c = B, and |B_c − q_c| &lt; 1. Remainders are compared as
 * the integers (B·|D_hard_c|) mod N, so the split is exact. "k per hard sample" is the convenience B = k·N, for which
 * every q_c = k·|D_hard_c| is an integer and B_c = k·|D_hard_c|.
 */
public final class BudgetSplit {
    private BudgetSplit() {
    }

    /**
     * B_c for every class.
     *
     * @param budget       B, ≥ 1
     * @param hardPerClass class label → |D_hard_c| (each ≥ 1, at least one class)
     * @return class label → B_c (some may be 0 when B is small), in label order
     * @throws IllegalArgumentException for B &lt; 1, no classes or a class with no hard sample
     */
    public static SortedMap<Integer, Integer> split(int budget, Map<Integer, Integer> hardPerClass) {
        if (budget < 1) {
            throw new IllegalArgumentException("budget B must be at least 1, was " + budget);
        }
        if (hardPerClass.isEmpty()) {
            throw new IllegalArgumentException("the budget is split over the requested classes; there are none");
        }
        long total = 0;
        for (var e : hardPerClass.entrySet()) {
            if (e.getValue() < 1) {
                throw new IllegalArgumentException("class " + e.getKey() + " has " + e.getValue() + " hard samples; needs ≥ 1");
            }
            total += e.getValue();
        }
        SortedMap<Integer, Integer> shares = new TreeMap<>();
        List<long[]> remainders = new ArrayList<>(); // {remainder numerator, label}
        int left = budget;
        for (var e : new TreeMap<>(hardPerClass).entrySet()) {
            long quota = (long) budget * e.getValue();
            shares.put(e.getKey(), (int) (quota / total));
            left -= (int) (quota / total);
            remainders.add(new long[] {quota % total, e.getKey()});
        }
        // larger remainder first, then smaller label
        remainders.sort((a, b) -> a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));
        for (int i = 0; i < left; i++) {
            shares.merge((int) remainders.get(i)[1], 1, Integer::sum);
        }
        return Collections.unmodifiableSortedMap(shares);
    }

    /** B = k·N, the budget that "k per hard sample" stands for. */
    public static int perHardSample(int k, int hardCount) {
        if (k < 1 || hardCount < 1) {
            throw new IllegalArgumentException("k and |D_hard| must be at least 1, were " + k + " and " + hardCount);
        }
        return Math.multiplyExact(k, hardCount);
    }
}
