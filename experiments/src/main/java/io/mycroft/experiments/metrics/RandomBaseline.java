package io.mycroft.experiments.metrics;

import io.mycroft.experiments.data.SeededRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
  * Random-B baseline: B samples of an owner drawn uniformly without replacement, seeded. Ids are sorted first, so the
  * pick depends on (seed, owner, the set of ids) and not on arrival order.
  */
public final class RandomBaseline {
    private RandomBaseline() {}

    /** {@code budget} ids (all of them if fewer), ascending. */
    public static List<Long> select(long[] ids, int budget, long seed, String ownerId) {
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("sample id " + sorted[i] + " appears twice");
            }
        }
        int k = Math.min(budget, sorted.length);
        List<Long> out = new ArrayList<>(k);
        for (int i : SeededRandom.of(seed, "random-baseline:" + ownerId).choose(sorted.length, k)) {
            out.add(sorted[i]);
        }
        return out;
    }

    /**
      * Per-class form, matching Mycroft's per-class budgets: for each class c with budget B_c, B_c random samples of
      * that class (by the owner's label).
      *
      * @param budgets class → B_c; classes without a budget get nothing
      * @return class → chosen ids, in class order
      */
    public static Map<Integer, List<Long>> selectPerClass(long[] ids, int[] labels, Map<Integer, Integer> budgets,
                                                                                                                long seed, String ownerId) {
        if (ids.length != labels.length) {
            throw new IllegalArgumentException(ids.length + " ids but " + labels.length + " labels");
        }
        Map<Integer, List<Long>> out = new LinkedHashMap<>();
        for (Map.Entry<Integer, Integer> e : new TreeMap<>(budgets).entrySet()) {
            int c = e.getKey();
            long[] ofClass = java.util.stream.IntStream.range(0, ids.length).filter(i -> labels[i] == c)
                    .mapToLong(i -> ids[i]).toArray();
            out.put(c, select(ofClass, e.getValue(), seed, ownerId + ":class:" + c));
        }
        return out;
    }
}
