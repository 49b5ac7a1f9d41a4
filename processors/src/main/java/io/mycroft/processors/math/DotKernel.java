package io.mycroft.processors.math;

/**
 * The one inner product the selection math scores through. ⟨a, b⟩ accumulates exact float32·float32 (or
 * float32·float64) products in double over 16 interleaved partial sums s_k = Σ_{i ≡ k (mod 16)} a_i·b_i, combined by
 * the fixed tree t_k = s_k + s_{k+8} (k &lt; 8), u_k = t_k + t_{k+4} (k &lt; 4), v_k = u_k + u_{k+2} (k &lt; 2), v₀ + v₁,
 * then the tail (i ≥ 16·⌊n/16⌋) left to right. The order never changes, so the result is the same bits on every
 * machine, with or without SIMD.
 *
 * <p>When the JVM runs with {@code --add-modules jdk.incubator.vector}, {@link DotKernelSimd} computes the same
 * operations four lanes at a time for vectors of at least {@value #SIMD_MIN_LENGTH} entries (faster at d = 1,290, see
 * load-tests/reports/omp.md); otherwise the scalar loops below run. Both are tested to agree bit for bit. On JDK 17 a
 * SIMD call costs about 230 ns more than its arithmetic, so shorter vectors are faster scalar: at d = 128 (FEATURE's
 * embeddings) 65 against 300 ns, at 512 260 against 345, at 768 470 against 300-430 (load-tests/reports/streams.md).
 */
public final class DotKernel {
    /** True when the Vector API is available and {@link DotKernelSimd} is used. */
    public static final boolean SIMD = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    /** The length from which a product goes through {@link DotKernelSimd} when it is present. */
    static final int SIMD_MIN_LENGTH = 1024;

    private DotKernel() {
    }

    public static double dot(float[] a, float[] b) {
        return SIMD && b.length >= SIMD_MIN_LENGTH ? DotKernelSimd.dot(a, b) : scalarDot(a, b);
    }

    public static double dot(float[] a, double[] b) {
        return SIMD && b.length >= SIMD_MIN_LENGTH ? DotKernelSimd.dot(a, 0, b) : scalarDot(a, 0, b);
    }

    /** ⟨a[from, from + b.length), b⟩: {@link #dot(float[], double[])} of that slice of a. */
    static double dot(float[] a, int from, double[] b) {
        return SIMD && b.length >= SIMD_MIN_LENGTH ? DotKernelSimd.dot(a, from, b) : scalarDot(a, from, b);
    }

    /** The scalar form of {@link #dot(float[], float[])}: the sixteen partial sums in locals (registers), not an array. */
    public static double scalarDot(float[] a, float[] b) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0, s9 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0;
        int n = a.length & ~15;
        for (int i = 0; i < n; i += 16) {
            s0 += (double) a[i + 0] * b[i + 0];
            s1 += (double) a[i + 1] * b[i + 1];
            s2 += (double) a[i + 2] * b[i + 2];
            s3 += (double) a[i + 3] * b[i + 3];
            s4 += (double) a[i + 4] * b[i + 4];
            s5 += (double) a[i + 5] * b[i + 5];
            s6 += (double) a[i + 6] * b[i + 6];
            s7 += (double) a[i + 7] * b[i + 7];
            s8 += (double) a[i + 8] * b[i + 8];
            s9 += (double) a[i + 9] * b[i + 9];
            s10 += (double) a[i + 10] * b[i + 10];
            s11 += (double) a[i + 11] * b[i + 11];
            s12 += (double) a[i + 12] * b[i + 12];
            s13 += (double) a[i + 13] * b[i + 13];
            s14 += (double) a[i + 14] * b[i + 14];
            s15 += (double) a[i + 15] * b[i + 15];
        }
        double r = combine(s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15);
        for (int i = n; i < a.length; i++) {
            r += (double) a[i] * b[i];
        }
        return r;
    }

    /** The scalar form of {@link #dot(float[], double[])}, laid out as {@link #scalarDot(float[], float[])}. */
    public static double scalarDot(float[] a, double[] b) {
        return scalarDot(a, 0, b);
    }

    /** The scalar form of {@link #dot(float[], int, double[])}. */
    static double scalarDot(float[] a, int from, double[] b) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0, s9 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0;
        int n = b.length & ~15;
        for (int i = 0; i < n; i += 16) {
            int k = from + i;
            s0 += a[k + 0] * b[i + 0];
            s1 += a[k + 1] * b[i + 1];
            s2 += a[k + 2] * b[i + 2];
            s3 += a[k + 3] * b[i + 3];
            s4 += a[k + 4] * b[i + 4];
            s5 += a[k + 5] * b[i + 5];
            s6 += a[k + 6] * b[i + 6];
            s7 += a[k + 7] * b[i + 7];
            s8 += a[k + 8] * b[i + 8];
            s9 += a[k + 9] * b[i + 9];
            s10 += a[k + 10] * b[i + 10];
            s11 += a[k + 11] * b[i + 11];
            s12 += a[k + 12] * b[i + 12];
            s13 += a[k + 13] * b[i + 13];
            s14 += a[k + 14] * b[i + 14];
            s15 += a[k + 15] * b[i + 15];
        }
        double r = combine(s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15);
        for (int i = n; i < b.length; i++) {
            r += a[from + i] * b[i];
        }
        return r;
    }

    private static double combine(double s0, double s1, double s2, double s3, double s4, double s5, double s6, double s7,
                                  double s8, double s9, double s10, double s11, double s12, double s13, double s14, double s15) {
        double u0 = (s0 + s8) + (s4 + s12);
        double u1 = (s1 + s9) + (s5 + s13);
        double u2 = (s2 + s10) + (s6 + s14);
        double u3 = (s3 + s11) + (s7 + s15);
        return (u0 + u2) + (u1 + u3);
    }
}
