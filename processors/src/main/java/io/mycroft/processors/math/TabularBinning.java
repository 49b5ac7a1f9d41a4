package io.mycroft.processors.math;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Feature similarity for tabular data (DESIGN §3 "Tabular binning"): per-feature bins fitted on D_hard, and the
 * distance of an owner sample o to D_hard_c in bin-index space
 * <pre>
 *   dist(o) = min_{h ∈ D_hard_c} Σ_f |bin_f(o) − bin_f(h)|
 * </pre>
 * i.e. the summed bin-index gaps to the <em>nearest</em> hard sample; dist = 0 exactly when every feature of o falls in
 * the bin of that hard sample ("matching bins to the nearest hard sample", issue 4). Gaps are taken to one hard sample,
 * not per feature to different ones, so a sample pieced together from features of several hard samples is not called
 * near. The selection of class c is the {@code budget} owner samples of smallest distance, ties by sampleId ascending,
 * exact duplicate rows counting once (the smallest id).
 * The distance of a sample does not depend on the other owner samples, so a {@link NeighbourHeap} of capacity
 * {@code budget} fed (sampleId, dist, contentKey) is the exact streaming form.
 *
 * <p>Bins of feature f, from the D_hard values v_f (b = {@code bins}):
 * <ul>
 *   <li>{@link Scheme#QUANTILE}: edges E = min v_f, the quantiles at 1/b … (b−1)/b (linear interpolation between
 *       order statistics, numpy's default), max v_f, with repeated edges merged; m = max(1, |E| − 1) bins inside the
 *       range. bin(x) = 0 below the range, m + 1 above it, else the j ∈ [1, m] with E_{j−1} ≤ x &lt; E_j (the last bin
 *       closed). Outside the range a quantile has no width, so each side is one bin.</li>
 *   <li>{@link Scheme#RANGE_RATIO}: equal width w = (max − min)/b, continued beyond the range:
 *       bin(x) = ⌊(x − min)/w⌋ (x = max in bin b − 1), so a gap counts the D_hard range in units of range/b. A constant
 *       feature (w = 0) has bins −1, 0, 1 for below, equal, above.</li>
 * </ul>
 */
public final class TabularBinning {
    /** How bins are fitted on D_hard. */
    public enum Scheme { QUANTILE, RANGE_RATIO }

    public static final int DEFAULT_BINS = 10;
    /** Bin indices are capped so that summed gaps of far-away values cannot overflow. */
    private static final double MAX_INDEX = 1e12;

    private final Scheme scheme;
    private final int bins;
    /** QUANTILE: the merged edges per feature; RANGE_RATIO: {min, max} per feature. */
    private final double[][] edges;

    private TabularBinning(Scheme scheme, int bins, double[][] edges) {
        this.scheme = scheme;
        this.bins = bins;
        this.edges = edges;
    }

    /**
     * Fits per-feature bins on D_hard rows.
     *
     * @throws InvalidVectorException   for a row of another dimension than the first or with NaN/Inf
     * @throws IllegalArgumentException for no rows or {@code bins} &lt; 1
     */
    public static TabularBinning fit(List<SampleEmbedding> hard, Scheme scheme, int bins) {
        if (hard.isEmpty()) {
            throw new IllegalArgumentException("binning needs at least one hard sample");
        }
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, was " + bins);
        }
        int dim = hard.get(0).vector().length;
        for (SampleEmbedding h : hard) {
            Vectors.requireValid(h.vector(), dim, "hard sample " + h.sampleId());
        }
        double[][] edges = new double[dim][];
        for (int f = 0; f < dim; f++) {
            double[] v = new double[hard.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = hard.get(i).vector()[f];
            }
            Arrays.sort(v);
            edges[f] = scheme == Scheme.QUANTILE ? quantileEdges(v, bins) : new double[] {v[0], v[v.length - 1]};
        }
        return new TabularBinning(scheme, bins, edges);
    }

    /**
     * The bin index of every feature of {@code row}.
     *
     * @throws InvalidVectorException for a wrong dimension or NaN/Inf
     */
    public long[] bin(float[] row, String what) {
        Vectors.requireValid(row, edges.length, what);
        long[] b = new long[row.length];
        for (int f = 0; f < row.length; f++) {
            b[f] = scheme == Scheme.QUANTILE ? quantileBin(edges[f], row[f]) : rangeBin(edges[f], row[f]);
        }
        return b;
    }

    /**
     * The bin code of {@code row} under {@link Scheme#QUANTILE} bins, which are bounded (0 … m_f + 1 for feature f):
     * per feature the m_f + 1 values c_j = +1 for j &lt; bin_f(row), else −1 (a signed unary code of the bin index),
     * concatenated. Every code has norm √{@link #codeDim()}, and ‖code(a) − code(b)‖² = 4·Σ_f |bin_f(a) − bin_f(b)|,
     * so nearest neighbours of codes by Euclidean or cosine distance are the nearest in summed bin gaps: codes can
     * stand as embeddings (feature space TABULAR_BINS).
     *
     * @throws InvalidVectorException for a wrong dimension or NaN/Inf
     * @throws IllegalStateException  for RANGE_RATIO bins, unbounded beyond the D_hard range
     */
    public float[] code(float[] row, String what) {
        long[] b = bin(row, what);
        float[] code = new float[codeDim()];
        int at = 0;
        for (int f = 0; f < b.length; f++) {
            int levels = innerBins(f) + 1;
            for (int j = 0; j < levels; j++) {
                code[at + j] = j < b[f] ? 1f : -1f;
            }
            at += levels;
        }
        return code;
    }

    /** Σ_f (m_f + 1), the dimension of {@link #code}. */
    public int codeDim() {
        int dim = 0;
        for (int f = 0; f < edges.length; f++) {
            dim += innerBins(f) + 1;
        }
        return dim;
    }

    /** m_f, the bins of feature f inside the D_hard range (QUANTILE). */
    private int innerBins(int f) {
        if (scheme != Scheme.QUANTILE) {
            throw new IllegalStateException("bin codes need bounded bins: QUANTILE, not " + scheme);
        }
        return Math.max(1, edges[f].length - 1);
    }

    /** dist(o) = min over hard samples of Σ_f |bin_f(o) − bin_f(h)|; {@code hardBins} from {@link #bin}. */
    public static long distance(long[] ownerBins, List<long[]> hardBins) {
        long best = Long.MAX_VALUE;
        for (long[] h : hardBins) {
            long gap = 0;
            for (int f = 0; f < h.length; f++) {
                gap += Math.abs(ownerBins[f] - h[f]);
            }
            best = Math.min(best, gap);
        }
        return best;
    }

    /**
     * The {@code budget} owner samples of class c nearest to D_hard_c, nearest first (ties by sampleId).
     *
     * @throws InvalidVectorException   for a row of the wrong dimension or with NaN/Inf
     * @throws IllegalArgumentException for no hard samples, a negative budget or a repeated owner sample id
     */
    public List<String> nearest(List<SampleEmbedding> hardOfClass, List<SampleEmbedding> ownerOfClass, int budget) {
        if (hardOfClass.isEmpty()) {
            throw new IllegalArgumentException("class has no hard samples to be near to");
        }
        if (budget < 0) {
            throw new IllegalArgumentException("budget must be ≥ 0, was " + budget);
        }
        List<long[]> hardBins = new ArrayList<>(hardOfClass.size());
        for (SampleEmbedding h : hardOfClass) {
            hardBins.add(bin(h.vector(), "hard sample " + h.sampleId()));
        }
        List<Neighbour> all = new ArrayList<>(ownerOfClass.size());
        for (SampleEmbedding o : SampleEmbedding.representatives(ownerOfClass)) {
            long d = distance(bin(o.vector(), "owner sample " + o.sampleId()), hardBins);
            all.add(new Neighbour(o.sampleId(), d, o.contentKey()));
        }
        all.sort(Neighbour.ORDER);
        return all.subList(0, Math.min(budget, all.size())).stream().map(Neighbour::sampleId).toList();
    }

    /** Merged edges: min, the type-7 quantiles at i/b, max. */
    private static double[] quantileEdges(double[] sorted, int bins) {
        double[] e = new double[bins + 1];
        int n = sorted.length;
        for (int i = 0; i <= bins; i++) {
            double h = (n - 1) * (double) i / bins;
            int lo = (int) Math.floor(h);
            e[i] = lo + 1 < n ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[n - 1];
        }
        return Arrays.stream(e).distinct().toArray();
    }

    private static long quantileBin(double[] e, double x) {
        int m = Math.max(1, e.length - 1);
        if (x < e[0]) {
            return 0;
        }
        if (x > e[e.length - 1]) {
            return m + 1;
        }
        int atMost = upperBound(e, x);
        return Math.min(Math.max(atMost, 1), m);
    }

    /** #{j : e_j ≤ x} for sorted e. */
    private static int upperBound(double[] e, double x) {
        int lo = 0;
        int hi = e.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (e[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private long rangeBin(double[] minMax, double x) {
        double min = minMax[0];
        double max = minMax[1];
        double width = (max - min) / bins;
        if (width == 0) {
            return x < min ? -1 : x > max ? 1 : 0;
        }
        double index = Math.floor((x - min) / width);
        if (x <= max) {
            index = Math.min(index, bins - 1);
        }
        return (long) Math.max(-MAX_INDEX, Math.min(MAX_INDEX, index));
    }
}
