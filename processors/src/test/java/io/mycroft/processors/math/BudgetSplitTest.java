package io.mycroft.processors.math;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BudgetSplitTest {

    /**
     * Obviously-correct twin: every allocation (a_c ≥ 0, Σ a_c = B) enumerated; the largest-remainder split is the one
     * nearest the quotas, Σ_c (N·a_c − B·|D_hard_c|)² smallest (exact integers), and among equally near ones (equal
     * remainders) the one that gives the extra samples to the smaller labels, i.e. the lexicographically largest in
     * label order.
     */
    static SortedMap<Integer, Integer> bruteForce(int budget, SortedMap<Integer, Integer> hard) {
        List<Integer> labels = new ArrayList<>(hard.keySet());
        long n = hard.values().stream().mapToLong(Integer::longValue).sum();
        int[] best = null;
        long bestCost = Long.MAX_VALUE;
        for (int[] a : compositions(budget, labels.size())) {
            long cost = 0;
            for (int c = 0; c < a.length; c++) {
                long diff = n * a[c] - (long) budget * hard.get(labels.get(c));
                cost += diff * diff;
            }
            if (cost < bestCost || cost == bestCost && java.util.Arrays.compare(a, best) > 0) {
                best = a;
                bestCost = cost;
            }
        }
        SortedMap<Integer, Integer> out = new TreeMap<>();
        for (int c = 0; c < labels.size(); c++) {
            out.put(labels.get(c), best[c]);
        }
        return out;
    }

    private static List<int[]> compositions(int total, int parts) {
        List<int[]> out = new ArrayList<>();
        fill(new int[parts], 0, total, out);
        return out;
    }

    private static void fill(int[] a, int at, int left, List<int[]> out) {
        if (at == a.length - 1) {
            a[at] = left;
            out.add(a.clone());
            return;
        }
        for (int v = 0; v <= left; v++) {
            a[at] = v;
            fill(a, at + 1, left - v, out);
        }
    }

    @Test
    void theSplitEqualsTheBruteForceLargestRemainderOnRandomInstances() {
        Random rnd = new Random(12);
        for (int t = 0; t < 3000; t++) {
            SortedMap<Integer, Integer> hard = new TreeMap<>();
            int classes = 1 + rnd.nextInt(4);
            while (hard.size() < classes) {
                hard.put(rnd.nextInt(10), 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 9)); // small counts: many equal remainders
            }
            int budget = 1 + rnd.nextInt(24);
            SortedMap<Integer, Integer> split = BudgetSplit.split(budget, hard);
            assertThat(split).as("B = %d over %s", budget, hard).isEqualTo(bruteForce(budget, hard));
            assertThat(split.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(budget);
            long n = hard.values().stream().mapToLong(Integer::longValue).sum();
            hard.forEach((c, h) -> assertThat(Math.abs((double) split.get(c) - (double) budget * h / n)).isLessThan(1.0));
        }
    }

    @Test
    void kPerHardSampleGivesEveryClassExactlyKTimesItsHardSamples() {
        Random rnd = new Random(5);
        for (int t = 0; t < 500; t++) {
            SortedMap<Integer, Integer> hard = new TreeMap<>();
            int classes = 1 + rnd.nextInt(6);
            while (hard.size() < classes) {
                hard.put(rnd.nextInt(100), 1 + rnd.nextInt(40));
            }
            int k = 1 + rnd.nextInt(64);
            int n = hard.values().stream().mapToInt(Integer::intValue).sum();
            SortedMap<Integer, Integer> split = BudgetSplit.split(BudgetSplit.perHardSample(k, n), hard);
            hard.forEach((c, h) -> assertThat(split.get(c)).isEqualTo(k * h));
        }
    }

    /** 10·4/7 = 5.71 and 10·3/7 = 4.29: floors 5 + 4, the one left goes to the larger remainder. */
    @Test
    void tenOverFourAndThreeHardSamplesIsSixAndFour() {
        assertThat(BudgetSplit.split(10, Map.of(2, 4, 5, 3))).containsExactly(Map.entry(2, 6), Map.entry(5, 4));
    }

    /** Equal remainders: the smaller label first, whatever the map's order. */
    @Test
    void equalRemaindersGoToTheSmallerLabel() {
        assertThat(BudgetSplit.split(5, Map.of(9, 2, 1, 2))).containsExactly(Map.entry(1, 3), Map.entry(9, 2));
        assertThat(BudgetSplit.split(1, Map.of(7, 1, 3, 1, 5, 1))).containsExactly(Map.entry(3, 1), Map.entry(5, 0),
                Map.entry(7, 0));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> BudgetSplit.split(0, Map.of(1, 1))).hasMessageContaining("budget B must be at least 1, was 0");
        assertThatThrownBy(() -> BudgetSplit.split(3, Map.of())).hasMessageContaining("there are none");
        assertThatThrownBy(() -> BudgetSplit.split(3, Map.of(4, 0))).hasMessageContaining("class 4 has 0 hard samples");
        assertThatThrownBy(() -> BudgetSplit.perHardSample(0, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
