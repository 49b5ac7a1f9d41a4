package io.mycroft.experiments.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
  * Greedy K-Center coreset (Sener &amp; Savarese 2018; the baseline ECOS compares against): repeatedly take the point
  * farthest (Euclidean) from every center chosen so far, starting from optional fixed centers (e.g. the MT's own
  * embeddings). A 2-approximation of the minimax covering radius. Deterministic: with no initial centers the first
  * pick is the smallest id; ties in distance go to the smallest id. Distances are computed in double.
  */
public final class KCenterGreedy {
    private KCenterGreedy() {}

    /**
      * @param points n embeddings of equal dimension
      * @param ids n distinct ids (the owner's sampleIds), used for the tie-break
      * @param budget how many to pick; capped at n
      * @param initialCenters already-covered points (may be empty), not returned
      * @return the chosen ids in pick order
      */
    public static List<Long> select(float[][] points, long[] ids, int budget, float[][] initialCenters) {
        if (points.length != ids.length) {
            throw new IllegalArgumentException(points.length + " points but " + ids.length + " ids");
        }
        if (budget < 0) {
            throw new IllegalArgumentException("budget must be ≥ 0, was " + budget);
        }
        int n = points.length;
        double[] minDist = new double[n];
        java.util.Arrays.fill(minDist, Double.POSITIVE_INFINITY);
        for (float[] c : initialCenters) {
            for (int i = 0; i < n; i++) {
                minDist[i] = Math.min(minDist[i], squaredDistance(points[i], c));
            }
        }
        boolean[] chosen = new boolean[n];
        List<Long> picks = new ArrayList<>();
        for (int step = 0; step < Math.min(budget, n); step++) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (chosen[i]) {
                    continue;
                }
                if (best < 0 || minDist[i] > minDist[best] || (minDist[i] == minDist[best] && ids[i] < ids[best])) {
                    best = i;
                }
            }
            chosen[best] = true;
            picks.add(ids[best]);
            for (int i = 0; i < n; i++) {
                minDist[i] = Math.min(minDist[i], squaredDistance(points[i], points[best]));
            }
        }
        return picks;
    }

    /**
      * Per-class form, matching Mycroft's per-class budgets B_c: for each class with a budget, K-Center over that class's
      * points (by the owner's label), starting from that class's initial centers (e.g. its D_hard embeddings) if given.
      *
      * @return class → chosen ids in pick order, classes ascending
      */
    public static Map<Integer, List<Long>> selectPerClass(float[][] points, long[] ids, int[] labels,
                                                                                                                Map<Integer, Integer> budgets,
                                                                                                                Map<Integer, float[][]> initialCentersByClass) {
        if (points.length != labels.length || ids.length != labels.length) {
            throw new IllegalArgumentException(points.length + " points, " + ids.length + " ids, " + labels.length
                    + " labels");
        }
        Map<Integer, List<Long>> out = new TreeMap<>();
        for (Map.Entry<Integer, Integer> e : new TreeMap<>(budgets).entrySet()) {
            int c = e.getKey();
            int[] rows = IntStream.range(0, labels.length).filter(i -> labels[i] == c).toArray();
            float[][] classPoints = new float[rows.length][];
            long[] classIds = new long[rows.length];
            for (int r = 0; r < rows.length; r++) {
                classPoints[r] = points[rows[r]];
                classIds[r] = ids[rows[r]];
            }
            out.put(c, select(classPoints, classIds, e.getValue(), initialCentersByClass.getOrDefault(c, new float[0][])));
        }
        return out;
    }

    /** The covering radius: max over points of the distance to the nearest center. */
    public static double radius(float[][] points, List<float[]> centers) {
        double worst = 0;
        for (float[] p : points) {
            double near = Double.POSITIVE_INFINITY;
            for (float[] c : centers) {
                near = Math.min(near, squaredDistance(p, c));
            }
            worst = Math.max(worst, near);
        }
        return Math.sqrt(worst);
    }

    static double squaredDistance(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("dimensions differ: " + a.length + " vs " + b.length);
        }
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double d = (double) a[j] - b[j];
            s += d * d;
        }
        return s;
    }
}
