package io.mycroft.processors.math;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The atoms of one OMP run as one contiguous float32 matrix, stored in panels of {@value #ROWS} rows: inside a panel,
 * element i of row x is at {@code panel[i·ROWS + x]} (the row-packed layout of a BLAS gemv). {@link #dots} computes
 * out[x] = ⟨a_x, b⟩ for every row in one streaming pass over the matrix: for each i it adds a_x[i]·b_i into the partial
 * sum s_{i mod 16} of all {@value #ROWS} rows at once. Java 17's JIT does not vectorise that loop (it widens float32 to
 * double), so with {@code jdk.incubator.vector} present {@link AtomPanelsSimd} runs it eight rows per vector instead
 * (2–3x faster, load-tests/reports/omp.md). Each row keeps the 16 partial sums, the combining tree and the tail order of
 * {@link DotKernel#scalarDot(float[], double[])}, so every result is the same bits as {@code DotKernel.dot(a_x, b)}.
 *
 * <p>Writing one row into a panel touches {@code dim} cache lines (one element every {@value #ROWS} floats), so new rows are
 * first copied, row-major, into a staging block of one panel's size and moved into their panel when the block is full;
 * a pass dots the staged rows one by one ({@link DotKernel#dot(float[], int, double[])}, the same bits).
 */
final class AtomPanels {
    /** Rows per panel: 64 doubles of partial sums per lane group stay in L1 while the panel streams through. */
    static final int ROWS = 64;
    private static final int LANES = 16;
    private static final int TILE = 16;
    /** Above this many multiply-adds a pass is split over the common fork-join pool, a panel per task. */
    private static final long PARALLEL_WORK = 1L << 18;

    private final int dim;
    private float[][] panels = new float[4][];
    private int rows;
    /** Rows [{@link #placed}, {@link #rows}), fewer than {@value #ROWS}, row-major; null until the first add. */
    private float[] staged;
    private int placed;

    AtomPanels(int dim) {
        this.dim = dim;
    }

    int rows() {
        return rows;
    }

    /** Appends a row (an atom of length {@code dim}); returns its index. */
    int add(float[] atom) {
        if (atom.length != dim) {
            throw new IllegalArgumentException("atom has dim " + atom.length + ", panels hold dim " + dim);
        }
        if (staged == null) {
            staged = new float[dim * ROWS];
        }
        System.arraycopy(atom, 0, staged, (rows - placed) * dim, dim);
        int x = rows++;
        if (rows % ROWS == 0) {
            place();
        }
        return x;
    }

    /**
     * Moves the full staging block into a new panel (for each element i, the block's i-th values side by side), a
     * {@value #TILE} × {@value #TILE} tile at a time so that reads and writes both stay within a few cache lines.
     */
    private void place() {
        int p = placed / ROWS;
        if (p == panels.length) {
            panels = Arrays.copyOf(panels, 2 * p);
        }
        float[] panel = new float[dim * ROWS];
        for (int i0 = 0; i0 < dim; i0 += TILE) {
            int i1 = Math.min(dim, i0 + TILE);
            for (int k0 = 0; k0 < ROWS; k0 += TILE) {
                for (int k = k0; k < k0 + TILE; k++) {
                    for (int i = i0; i < i1; i++) {
                        panel[i * ROWS + k] = staged[k * dim + i];
                    }
                }
            }
        }
        panels[p] = panel;
        placed = rows;
    }

    /** A copy of row x. */
    float[] row(int x) {
        if (x >= placed) {
            return Arrays.copyOfRange(staged, (x - placed) * dim, (x - placed + 1) * dim);
        }
        float[] panel = panels[x / ROWS];
        int offset = x % ROWS;
        float[] out = new float[dim];
        for (int i = 0; i < dim; i++) {
            out[i] = panel[i * ROWS + offset];
        }
        return out;
    }

    /** out[x] = ⟨a_x, b⟩ for every row x, bit for bit {@link DotKernel#dot(float[], double[])}. */
    void dots(double[] b, double[] out) {
        if (b.length != dim) {
            throw new IllegalArgumentException("vector has dim " + b.length + ", panels hold dim " + dim);
        }
        IntStream tasks = IntStream.range(0, placed / ROWS);
        if ((long) rows * dim >= PARALLEL_WORK) {
            tasks = tasks.parallel();
        }
        tasks.forEach(p -> panelDots(panels[p], b, out, p * ROWS));
        for (int x = placed; x < rows; x++) {
            out[x] = DotKernel.dot(staged, (x - placed) * dim, b);
        }
    }

    /**
     * One panel: s[k·ROWS + x] = Σ_{i ≡ k (mod 16), i < 16·⌊dim/16⌋} a_x[i]·b_i in increasing i, then per row the tree
     * (s₀+s₈)+(s₄+s₁₂) … of {@link DotKernel}, then the tail left to right; into out[first, first + ROWS).
     */
    private void panelDots(float[] panel, double[] b, double[] out, int first) {
        double[] s = new double[LANES * ROWS];
        int body = dim & ~(LANES - 1);
        if (DotKernel.SIMD) {
            AtomPanelsSimd.partialSums(panel, b, s, body, ROWS, LANES);
        } else {
            scalarPartialSums(panel, b, s, body, ROWS, LANES);
        }
        combine(panel, b, s, out, first, body);
    }

    /** s[(i mod lanes)·rows + x] += a_x[i]·b_i for i &lt; body, every row x of the panel. */
    static void scalarPartialSums(float[] panel, double[] b, double[] s, int body, int rows, int lanes) {
        for (int i = 0; i < body; i++) {
            double bi = b[i];
            int from = i * rows;
            int lane = (i & (lanes - 1)) * rows;
            for (int x = 0; x < rows; x++) {
                s[lane + x] += panel[from + x] * bi;
            }
        }
    }

    /** Per row: the tree of the 16 partial sums, then the tail i ≥ body left to right, into out[first, first + ROWS). */
    private void combine(float[] panel, double[] b, double[] s, double[] out, int first, int body) {
        double[] r = new double[ROWS];
        for (int x = 0; x < ROWS; x++) {
            double u0 = (s[x] + s[8 * ROWS + x]) + (s[4 * ROWS + x] + s[12 * ROWS + x]);
            double u1 = (s[ROWS + x] + s[9 * ROWS + x]) + (s[5 * ROWS + x] + s[13 * ROWS + x]);
            double u2 = (s[2 * ROWS + x] + s[10 * ROWS + x]) + (s[6 * ROWS + x] + s[14 * ROWS + x]);
            double u3 = (s[3 * ROWS + x] + s[11 * ROWS + x]) + (s[7 * ROWS + x] + s[15 * ROWS + x]);
            r[x] = (u0 + u2) + (u1 + u3);
        }
        for (int i = body; i < dim; i++) {
            double bi = b[i];
            int from = i * ROWS;
            for (int x = 0; x < ROWS; x++) {
                r[x] += panel[from + x] * bi;
            }
        }
        System.arraycopy(r, 0, out, first, ROWS);
    }
}
