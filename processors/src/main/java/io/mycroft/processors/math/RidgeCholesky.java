package io.mycroft.processors.math;

import java.util.Arrays;

/**
 * Lower Cholesky factor L of the regularised Gram matrix of the active atoms, G = A_TᵀA_T + D with D = diag(λ + λ₂·d_i²),
 * grown one row per appended atom as in scikit-learn's {@code _cholesky_omp}: for a new atom k with Gram row g,
 * solve L·l = g, then L_kk = √(G_kk − ‖l‖²).
 *
 * <p>A factor built by appends equals, bit for bit, the factor built from scratch by appending the same atoms in the
 * same order: row k depends only on rows 0..k−1 and Gram entries. Removing an atom therefore refactors by re-appending
 * the remaining rows ({@link #clear()} then {@link #append}), which keeps L a pure function of the ordered active list.
 */
final class RidgeCholesky {
    /** A new diagonal below this fraction of G_kk means the atom is (numerically) in the span of the active ones. */
    static final double DEPENDENT = 1e-12;

    private double[][] rows = new double[8][];
    private int size;

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    /**
     * Appends the atom whose Gram row against the active atoms is {@code g[0..size)} and whose regularised diagonal is
     * {@code gkk}; returns false and leaves L unchanged when the atom is linearly dependent on the active ones.
     */
    boolean append(double[] g, double gkk) {
        double[] row = new double[size + 1];
        double v = gkk;
        for (int j = 0; j < size; j++) {
            double[] lj = rows[j];
            double s = g[j];
            for (int m = 0; m < j; m++) {
                s -= row[m] * lj[m];
            }
            row[j] = s / lj[j];
            v -= row[j] * row[j];
        }
        if (!(v > DEPENDENT * gkk)) {
            return false;
        }
        row[size] = Math.sqrt(v);
        if (size == rows.length) {
            rows = Arrays.copyOf(rows, 2 * size);
        }
        rows[size++] = row;
        return true;
    }

    /** Solves L·Lᵀ·w = b by forward then back substitution. */
    double[] solve(double[] b) {
        double[] z = new double[size];
        for (int i = 0; i < size; i++) {
            double[] li = rows[i];
            double s = b[i];
            for (int m = 0; m < i; m++) {
                s -= li[m] * z[m];
            }
            z[i] = s / li[i];
        }
        double[] w = new double[size];
        for (int i = size - 1; i >= 0; i--) {
            double s = z[i];
            for (int m = i + 1; m < size; m++) {
                s -= rows[m][i] * w[m];
            }
            w[i] = s / rows[i][i];
        }
        return w;
    }
}
