package io.mycroft.experiments.data;

import io.mycroft.processors.math.BudgetSplit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
  * D_hard per the paper's protocol (DESIGN §3): the MT's validation samples of its weak classes that its model gets
  * wrong; per weak class, {@code sharedPerClass} of them (seeded choice) are shared with owners in the request, the rest
  * are held out to evaluate fine-tuned models. A class with no more wrong samples than {@code sharedPerClass} shares
  * them all and holds none out (the report must then say its held-out accuracy is unmeasured).
  *
  * @param shared weak class id → shared sample ids, ascending
  * @param heldOut weak class id → held-out sample ids, ascending
  */
public record HardSetSplit(Map<Integer, List<Long>> shared, Map<Integer, List<Long>> heldOut) {

    /**
      * @param ids validation sample ids (distinct)
      * @param labels their true class ids
      * @param predicted the MT model's predicted class ids
      * @param weakClasses class ids D_hard comes from
      */
    public static HardSetSplit select(long[] ids, int[] labels, int[] predicted, List<Integer> weakClasses,
                                                                        int sharedPerClass, long seed) {
        if (ids.length != labels.length || ids.length != predicted.length) {
            throw new IllegalArgumentException("ids, labels and predictions differ in length: " + ids.length + ", "
                    + labels.length + ", " + predicted.length);
        }
        if (sharedPerClass < 1) {
            throw new IllegalArgumentException("sharedPerClass must be ≥ 1, was " + sharedPerClass);
        }
        Map<Integer, List<Long>> shared = new TreeMap<>();
        Map<Integer, List<Long>> heldOut = new TreeMap<>();
        for (int c : weakClasses.stream().sorted().distinct().toList()) {
            long[] wrong = java.util.stream.IntStream.range(0, ids.length)
                    .filter(i -> labels[i] == c && predicted[i] != c).mapToLong(i -> ids[i]).sorted().toArray();
            for (int i = 1; i < wrong.length; i++) {
                if (wrong[i] == wrong[i - 1]) {
                    throw new IllegalArgumentException("validation sample id " + wrong[i] + " appears twice");
                }
            }
            int k = Math.min(sharedPerClass, wrong.length);
            int[] pick = SeededRandom.of(seed, "hard-set:class:" + c).choose(wrong.length, k);
            boolean[] isShared = new boolean[wrong.length];
            List<Long> s = new ArrayList<>();
            for (int p : pick) {
                isShared[p] = true;
                s.add(wrong[p]);
            }
            List<Long> h = new ArrayList<>();
            for (int i = 0; i < wrong.length; i++) {
                if (!isShared[i]) {
                    h.add(wrong[i]);
                }
            }
            shared.put(c, Collections.unmodifiableList(s));
            heldOut.put(c, Collections.unmodifiableList(h));
        }
        return new HardSetSplit(Collections.unmodifiableMap(shared), Collections.unmodifiableMap(heldOut));
    }

    /** B = k·|D_hard|, the budget of a request with k per hard sample ({@code HardSetRequests} sets the same). */
    public int budget(int kPerHard) {
        return BudgetSplit.perHardSample(kPerHard, shared.values().stream().mapToInt(List::size).sum());
    }

    /**
     * Per weak class budget B_c: B split over the classes with a shared sample in proportion to |D_hard_c|, by the
     * processors' own {@link BudgetSplit} (DESIGN §3 "The budget is a budget"), so baselines get the per-class budgets
     * selection got. B = {@link #budget k·|D_hard|} gives B_c = k·|D_hard_c|.
     */
    public Map<Integer, Integer> budgets(int budget) {
        Map<Integer, Integer> hard = new TreeMap<>();
        shared.forEach((c, s) -> {
            if (!s.isEmpty()) {
                hard.put(c, s.size());
            }
        });
        return BudgetSplit.split(budget, hard);
    }

    /** All held-out ids, ascending. */
    public long[] heldOutIds() {
        long[] all = heldOut.values().stream().flatMap(List::stream).mapToLong(Long::longValue).toArray();
        Arrays.sort(all);
        return all;
    }
}
