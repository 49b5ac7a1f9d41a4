package io.mycroft.processors.math;

/**
 * The one inner product the selection math scores through. ⟨a, b⟩ accumulates exact float32·float32 (or
 * float32·float64) products in double over 16 interleaved partial sums s_k = Σ_{i ≡ k (mod 16)} a_i·b_i, combined by
 * the fixed tree t_k = s_k + s_{k+8} (k &lt; 8), u_k = t_k + t_{k+4} (k &lt; 4), v_k = u_k + u_{k+2} (k &lt; 2), v₀ + v₁,
 * then the tail (i ≥ 16·⌊n/16⌋) left to right. The order never changes, so the result is the same bits on every
 * machine, with or without SIMD.
 *
 * <p>When the JVM runs with {@code --add-modules jdk.incubator.vector}, {@link DotKernelSimd} computes the same
 * operations four lanes at a time (faster at d = 1,290, see load-tests/reports/omp.md); otherwise the
 * scalar loops below run. Both are tested to agree bit for bit.
 */
public final class DotKernel {
    /** True when the Vector API is available and {@link DotKernelSimd} is used. */
    public static final boolean SIMD = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private DotKernel() {
    }

    public static double dot(float[] a, float[] b) {
        return SIMD ? DotKernelSimd.dot(a, b) : scalarDot(a, b);
    }

    public static double dot(float[] a, double[] b) {
        return SIMD ? DotKernelSimd.dot(a, b) : scalarDot(a, b);
    }

    /** out[x] = {@link #dot(float[], double[])} of rows[x] and b for every x in [from, to), the same bits. */
    public static void dots(float[][] rows, int from, int to, double[] b, double[] out) {
        if (SIMD) {
            DotKernelSimd.dots(rows, from, to, b, out);
        } else {
            for (int x = from; x < to; x++) {
                out[x] = scalarDot(rows[x], b);
            }
        }
    }

    /** The scalar form of {@link #dot(float[], float[])}. */
    public static double scalarDot(float[] a, float[] b) {
        double[] s = new double[16];
        int n = a.length & ~15;
        for (int i = 0; i < n; i += 16) {
            for (int k = 0; k < 16; k++) {
                s[k] += (double) a[i + k] * b[i + k];
            }
        }
        double r = combine(s);
        for (int i = n; i < a.length; i++) {
            r += (double) a[i] * b[i];
        }
        return r;
    }

    /** The scalar form of {@link #dot(float[], double[])}. */
    public static double scalarDot(float[] a, double[] b) {
        double[] s = new double[16];
        int n = a.length & ~15;
        for (int i = 0; i < n; i += 16) {
            for (int k = 0; k < 16; k++) {
                s[k] += a[i + k] * b[i + k];
            }
        }
        double r = combine(s);
        for (int i = n; i < a.length; i++) {
            r += a[i] * b[i];
        }
        return r;
    }

    private static double combine(double[] s) {
        double[] t = new double[8];
        for (int k = 0; k < 8; k++) {
            t[k] = s[k] + s[k + 8];
        }
        double[] u = new double[4];
        for (int k = 0; k < 4; k++) {
            u[k] = t[k] + t[k + 4];
        }
        return (u[0] + u[2]) + (u[1] + u[3]);
    }
}
