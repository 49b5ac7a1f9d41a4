package io.mycroft.processors.math;

import java.util.List;

/**
 * The geometric median m = argmin_y Σ_i ‖x_i − y‖₂ by Weiszfeld's iteration with the Vardi–Zhang (2000) fix for an
 * iterate that lands on a data point.
 *
 * <pre>
 *   with d_i = ‖x_i − y‖ over the points not at y, and η = number of points at y:
 *   T(y) = (Σ x_i/d_i) / (Σ 1/d_i)             (Weiszfeld's step)
 *   R(y) = Σ (x_i − y)/d_i,  r = ‖R(y)‖
 *   η = 0:   y ← T(y)
 *   η > 0:   r ≤ η  ⇒ y is the median (the subgradient condition at a data point): stop
 *            else y ← (1 − η/r)·T(y) + (η/r)·y
 * </pre>
 * Plain Weiszfeld divides by zero (or stalls) at a data point; the fix keeps F(y) = Σ‖x_i − y‖ decreasing and
 * converges to the median from any start.
 *
 * <p>Weiszfeld converges only sublinearly towards a median that is a data point, so every data point is first put to
 * Kuhn's optimality test (the r ≤ η condition above, O(n²·dim), n = |D_hard_c| is small); only if none passes does
 * the iteration run, and then it converges linearly.
 *
 * <p>Start: the centroid. Stopping rule: the step ‖y_{t+1} − y_t‖ ≤ {@code tolerance}·s, where s = max_i ‖x_i − centroid‖
 * is the size of the point cloud (so the rule is scale-free), or the optimality test above, or
 * {@code maxIterations} steps. A point counts as "at y" when d_i ≤ 1e-15·s, which keeps 1/d_i finite.
 */
public final class GeometricMedian {
    public static final double DEFAULT_TOLERANCE = 1e-10;
    public static final int DEFAULT_MAX_ITERATIONS = 10_000;
    private static final double COINCIDENT = 1e-15;

    private GeometricMedian() {
    }

    /** The median with the default stopping rule. */
    public static double[] of(List<double[]> points) {
        return of(points, DEFAULT_TOLERANCE, DEFAULT_MAX_ITERATIONS);
    }

    /**
     * @param points non-empty, all of one dimension, finite
     * @throws IllegalArgumentException if {@code points} is empty or mixes dimensions
     */
    public static double[] of(List<double[]> points, double tolerance, int maxIterations) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("the geometric median needs at least one point");
        }
        int dim = points.get(0).length;
        double[] y = new double[dim];
        for (double[] x : points) {
            if (x.length != dim) {
                throw new IllegalArgumentException("points mix dimensions " + dim + " and " + x.length);
            }
            for (int j = 0; j < dim; j++) {
                y[j] += x[j];
            }
        }
        for (int j = 0; j < dim; j++) {
            y[j] /= points.size();
        }
        double scale = 0;
        for (double[] x : points) {
            scale = Math.max(scale, Math.sqrt(UnitVectors.squaredDistance(x, y)));
        }
        if (scale == 0) {
            return y;
        }
        for (double[] x : points) {
            if (isMedianDataPoint(points, x, scale)) {
                return x.clone();
            }
        }
        for (int it = 0; it < maxIterations; it++) {
            double[] weighted = new double[dim];
            double[] pull = new double[dim];
            double inverseSum = 0;
            int eta = 0;
            for (double[] x : points) {
                double d = Math.sqrt(UnitVectors.squaredDistance(x, y));
                if (d <= COINCIDENT * scale) {
                    eta++;
                    continue;
                }
                for (int j = 0; j < dim; j++) {
                    weighted[j] += x[j] / d;
                    pull[j] += (x[j] - y[j]) / d;
                }
                inverseSum += 1 / d;
            }
            double[] next = new double[dim];
            if (eta == 0) {
                for (int j = 0; j < dim; j++) {
                    next[j] = weighted[j] / inverseSum;
                }
            } else {
                double r = Math.sqrt(UnitVectors.dot(pull, pull));
                if (r <= eta) {
                    return y;
                }
                double keep = eta / r;
                for (int j = 0; j < dim; j++) {
                    next[j] = (1 - keep) * weighted[j] / inverseSum + keep * y[j];
                }
            }
            double step = Math.sqrt(UnitVectors.squaredDistance(next, y));
            y = next;
            if (step <= tolerance * scale) {
                break;
            }
        }
        return y;
    }

    /** Kuhn's test: data point x (multiplicity η) is the median iff ‖Σ_{x_i ≠ x} (x_i − x)/‖x_i − x‖‖ ≤ η. */
    private static boolean isMedianDataPoint(List<double[]> points, double[] x, double scale) {
        double[] pull = new double[x.length];
        int eta = 0;
        for (double[] p : points) {
            double d = Math.sqrt(UnitVectors.squaredDistance(p, x));
            if (d <= COINCIDENT * scale) {
                eta++;
                continue;
            }
            for (int j = 0; j < x.length; j++) {
                pull[j] += (p[j] - x[j]) / d;
            }
        }
        return Math.sqrt(UnitVectors.dot(pull, pull)) <= eta;
    }

    /** F(y) = Σ_i ‖x_i − y‖₂, the objective the median minimises. */
    public static double objective(List<double[]> points, double[] y) {
        double f = 0;
        for (double[] x : points) {
            f += Math.sqrt(UnitVectors.squaredDistance(x, y));
        }
        return f;
    }
}
