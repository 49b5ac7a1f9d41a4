package io.mycroft.experiments.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KCenterGreedyTest {

    /** Obviously-correct twin: recompute every point's distance to its nearest center from scratch at each step. */
    private static List<Long> bruteForce(float[][] pts, long[] ids, int budget, float[][] init) {
        List<float[]> centers = new ArrayList<>(List.of(init));
        List<Long> picks = new ArrayList<>();
        for (int step = 0; step < Math.min(budget, pts.length); step++) {
            int best = -1;
            double bestD = -1;
            for (int i = 0; i < pts.length; i++) {
                if (picks.contains(ids[i])) {
                    continue;
                }
                double d = Double.POSITIVE_INFINITY;
                for (float[] c : centers) {
                    d = Math.min(d, KCenterGreedy.squaredDistance(pts[i], c));
                }
                if (best < 0 || d > bestD || (d == bestD && ids[i] < ids[best])) {
                    best = i;
                    bestD = d;
                }
            }
            picks.add(ids[best]);
            centers.add(pts[best]);
        }
        return picks;
    }

    private static float[][] grid(Random r, int n, int dim) {
        float[][] p = new float[n][dim];
        for (float[] row : p) {
            for (int j = 0; j < dim; j++) {
                row[j] = r.nextInt(4); // coarse grid: many equal distances, so the tie-break is exercised
            }
        }
        return p;
    }

    private static long[] shuffledIds(Random r, int n) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 1000 + i * 7L;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
        return ids;
    }

    @Test
    void equalsTheBruteForceTwinWithTies() {
        Random r = new Random(7);
        for (int trial = 0; trial < 100; trial++) {
            int n = 1 + r.nextInt(30);
            float[][] pts = grid(r, n, 3);
            long[] ids = shuffledIds(r, n);
            float[][] init = trial % 2 == 0 ? new float[0][] : grid(r, 2, 3);
            int budget = r.nextInt(n + 3);
            assertThat(KCenterGreedy.select(pts, ids, budget, init)).as("trial " + trial)
                    .isEqualTo(bruteForce(pts, ids, budget, init));
        }
    }

    @Test
    void picksTheSameIdsWhateverOrderThePointsArriveIn() {
        Random r = new Random(13);
        for (int trial = 0; trial < 50; trial++) {
            int n = 2 + r.nextInt(30);
            float[][] pts = grid(r, n, 3);
            long[] ids = shuffledIds(r, n);
            int budget = 1 + r.nextInt(n);
            List<Integer> order = new ArrayList<>(java.util.stream.IntStream.range(0, n).boxed().toList());
            java.util.Collections.shuffle(order, r);
            float[][] permutedPts = new float[n][];
            long[] permutedIds = new long[n];
            for (int i = 0; i < n; i++) {
                permutedPts[i] = pts[order.get(i)];
                permutedIds[i] = ids[order.get(i)];
            }
            assertThat(KCenterGreedy.select(permutedPts, permutedIds, budget, new float[0][])).as("trial " + trial)
                    .isEqualTo(KCenterGreedy.select(pts, ids, budget, new float[0][]));
        }
    }

    @Test
    void firstPickIsTheSmallestIdThenTheFarthestPoint() {
        float[][] pts = {{0, 0}, {1, 0}, {10, 0}, {5, 0}};
        long[] ids = {4, 2, 3, 9};
        assertThat(KCenterGreedy.select(pts, ids, 3, new float[0][])).containsExactly(2L, 3L, 9L);
        // with an initial center at x = 10 the farthest point from it comes first
        assertThat(KCenterGreedy.select(pts, ids, 1, new float[][] {{10, 0}})).containsExactly(4L);
    }

    @Test
    void perClassRunsOnEachClassOnlyWithItsOwnCenters() {
        float[][] pts = {{0, 0}, {9, 0}, {1, 0}, {0, 5}, {4, 0}, {0, 1}};
        long[] ids = {10, 11, 12, 13, 14, 15};
        int[] labels = {0, 1, 0, 1, 0, 1};
        var picks = KCenterGreedy.selectPerClass(pts, ids, labels, java.util.Map.of(0, 2, 1, 1),
                java.util.Map.of(1, new float[][] {{0, 5}}));
        // class 0 = {10:(0,0), 12:(1,0), 14:(4,0)}: smallest id first, then the farthest from it
        assertThat(picks.get(0)).containsExactly(10L, 14L);
        // class 1 = {11:(9,0), 13:(0,5), 15:(0,1)} with a center at (0,5): (9,0) is farthest
        assertThat(picks.get(1)).containsExactly(11L);
        assertThat(picks).containsOnlyKeys(0, 1);
    }

    @Test
    void isWithinTwiceTheOptimalRadius() {
        Random r = new Random(11);
        for (int trial = 0; trial < 30; trial++) {
            int n = 4 + r.nextInt(7);
            float[][] pts = new float[n][2];
            for (float[] p : pts) {
                p[0] = (float) r.nextGaussian();
                p[1] = (float) r.nextGaussian();
            }
            long[] ids = shuffledIds(r, n);
            int k = 1 + r.nextInt(3);
            List<float[]> greedy = new ArrayList<>();
            for (long id : KCenterGreedy.select(pts, ids, k, new float[0][])) {
                for (int i = 0; i < n; i++) {
                    if (ids[i] == id) {
                        greedy.add(pts[i]);
                    }
                }
            }
            assertThat(KCenterGreedy.radius(pts, greedy)).isLessThanOrEqualTo(2 * optimalRadius(pts, k) + 1e-9);
        }
    }

    private static double optimalRadius(float[][] pts, int k) {
        double best = Double.POSITIVE_INFINITY;
        int n = pts.length;
        for (int mask = 1; mask < (1 << n); mask++) {
            if (Integer.bitCount(mask) != k) {
                continue;
            }
            List<float[]> centers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if ((mask & (1 << i)) != 0) {
                    centers.add(pts[i]);
                }
            }
            best = Math.min(best, KCenterGreedy.radius(pts, centers));
        }
        return best;
    }
}
