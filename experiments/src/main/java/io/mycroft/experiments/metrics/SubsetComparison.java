package io.mycroft.experiments.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
  * Batch selection versus the streamed subsets on the same samples (issue 8: "show it equals the streamed subsets").
  * Subsets are owner → class → chosen sample ids in selection order; equal means the same ids in the same order, which
  * is what exact incremental OMP promises (DESIGN §3).
  *
  * @param differences one line per (owner, class) that differs, empty when identical
  */
public record SubsetComparison(int comparedClasses, List<String> differences) {

    public boolean identical() {
        return differences.isEmpty();
    }

    public static SubsetComparison compare(Map<String, Map<Integer, List<Long>>> batch,
                                                                                  Map<String, Map<Integer, List<Long>>> streamed) {
        List<String> differences = new ArrayList<>();
        int compared = 0;
        TreeSet<String> owners = new TreeSet<>(batch.keySet());
        owners.addAll(streamed.keySet());
        for (String owner : owners) {
            Map<Integer, List<Long>> b = batch.getOrDefault(owner, Map.of());
            Map<Integer, List<Long>> s = streamed.getOrDefault(owner, Map.of());
            TreeSet<Integer> classes = new TreeSet<>(b.keySet());
            classes.addAll(s.keySet());
            for (int c : classes) {
                compared++;
                List<Long> x = b.get(c);
                List<Long> y = s.get(c);
                String at = owner + " class " + c + ": ";
                if (x == null || y == null) {
                    differences.add(at + (x == null ? "only the streamed run has a subset" : "only the batch run has a subset"));
                } else if (!x.equals(y)) {
                    differences.add(at + describe(x, y));
                }
            }
        }
        return new SubsetComparison(compared, List.copyOf(differences));
    }

    private static String describe(List<Long> batch, List<Long> streamed) {
        if (new TreeSet<>(batch).equals(new TreeSet<>(streamed)) && batch.size() == streamed.size()) {
            return "same " + batch.size() + " samples in a different order (batch " + batch + ", streamed " + streamed + ")";
        }
        int i = 0;
        while (i < Math.min(batch.size(), streamed.size()) && Objects.equals(batch.get(i), streamed.get(i))) {
            i++;
        }
        return "first difference at step " + (i + 1) + ": batch " + (i < batch.size() ? batch.get(i) : "(ended)")
                + ", streamed " + (i < streamed.size() ? streamed.get(i) : "(ended)") + " (sizes " + batch.size() + " and "
                + streamed.size() + ")";
    }

    /** Owner → class → ids, with owners and classes sorted, for building inputs from unordered sources. */
    public static Map<String, Map<Integer, List<Long>>> sorted(Map<String, Map<Integer, List<Long>>> subsets) {
        Map<String, Map<Integer, List<Long>>> out = new TreeMap<>();
        subsets.forEach((o, m) -> out.put(o, new TreeMap<>(m)));
        return out;
    }
}
