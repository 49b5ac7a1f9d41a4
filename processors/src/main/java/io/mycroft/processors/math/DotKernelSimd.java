package io.mycroft.processors.math;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DotKernel} with the JDK Vector API. The partial sums s₀..s₁₅ live in two 8-lane double accumulators where the
 * CPU has 512-bit vectors (accumulator q, lane l = s_{8q+l}), else in four 4-lane ones (lane l of q = s_{4q+l}); each is
 * updated by a separate multiply and add exactly as the scalar loop does, so results are bit-identical to
 * {@link DotKernel#scalarDot} on every machine. Loaded only when {@code jdk.incubator.vector} is present.
 */
final class DotKernelSimd {
    private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;
    private static final VectorSpecies<Double> D4 = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Double> D8 = DoubleVector.SPECIES_512;
    private static final boolean WIDE = DoubleVector.SPECIES_PREFERRED.length() >= 8;

    private DotKernelSimd() {
    }

    static double dot(float[] a, float[] b) {
        return WIDE ? dot8(a, b) : dot4(a, b);
    }

    /** ⟨a[from, from + b.length), b⟩. */
    static double dot(float[] a, int from, double[] b) {
        return WIDE ? dot8(a, from, b) : dot4(a, from, b);
    }

    static double dot8(float[] a, float[] b) {
        DoubleVector s0 = DoubleVector.zero(D8);
        DoubleVector s1 = s0;
        int n = a.length & ~15;
        for (int i = 0; i < n; i += 16) {
            s0 = s0.add(widen8(a, i).mul(widen8(b, i)));
            s1 = s1.add(widen8(a, i + 8).mul(widen8(b, i + 8)));
        }
        double r = combine8(s0, s1);
        for (int i = n; i < a.length; i++) {
            r += (double) a[i] * b[i];
        }
        return r;
    }

    static double dot8(float[] a, int from, double[] b) {
        DoubleVector s0 = DoubleVector.zero(D8);
        DoubleVector s1 = s0;
        int n = b.length & ~15;
        for (int i = 0; i < n; i += 16) {
            s0 = s0.add(widen8(a, from + i).mul(DoubleVector.fromArray(D8, b, i)));
            s1 = s1.add(widen8(a, from + i + 8).mul(DoubleVector.fromArray(D8, b, i + 8)));
        }
        double r = combine8(s0, s1);
        for (int i = n; i < b.length; i++) {
            r += a[from + i] * b[i];
        }
        return r;
    }

    private static DoubleVector widen8(float[] a, int i) {
        return (DoubleVector) FloatVector.fromArray(F8, a, i).convertShape(VectorOperators.F2D, D8, 0);
    }

    /** t = s₀ + s₁ lane-wise is t_k = s_k + s_{k+8}; then u_k = t_k + t_{k+4} and (u₀+u₂)+(u₁+u₃) as in the scalar tree. */
    private static double combine8(DoubleVector s0, DoubleVector s1) {
        double[] t = s0.add(s1).toArray();
        double u0 = t[0] + t[4];
        double u1 = t[1] + t[5];
        double u2 = t[2] + t[6];
        double u3 = t[3] + t[7];
        return (u0 + u2) + (u1 + u3);
    }

    static double dot4(float[] a, float[] b) {
        DoubleVector s0 = DoubleVector.zero(D4);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int n = a.length & ~15;
        for (int i = 0; i < n; i += 16) {
            s0 = s0.add(widen(a, i).mul(widen(b, i)));
            s1 = s1.add(widen(a, i + 4).mul(widen(b, i + 4)));
            s2 = s2.add(widen(a, i + 8).mul(widen(b, i + 8)));
            s3 = s3.add(widen(a, i + 12).mul(widen(b, i + 12)));
        }
        double r = combine(s0, s1, s2, s3);
        for (int i = n; i < a.length; i++) {
            r += (double) a[i] * b[i];
        }
        return r;
    }

    static double dot4(float[] a, int from, double[] b) {
        DoubleVector s0 = DoubleVector.zero(D4);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int n = b.length & ~15;
        for (int i = 0; i < n; i += 16) {
            s0 = s0.add(widen(a, from + i).mul(DoubleVector.fromArray(D4, b, i)));
            s1 = s1.add(widen(a, from + i + 4).mul(DoubleVector.fromArray(D4, b, i + 4)));
            s2 = s2.add(widen(a, from + i + 8).mul(DoubleVector.fromArray(D4, b, i + 8)));
            s3 = s3.add(widen(a, from + i + 12).mul(DoubleVector.fromArray(D4, b, i + 12)));
        }
        double r = combine(s0, s1, s2, s3);
        for (int i = n; i < b.length; i++) {
            r += a[from + i] * b[i];
        }
        return r;
    }

    private static DoubleVector widen(float[] a, int i) {
        return (DoubleVector) FloatVector.fromArray(F4, a, i).convertShape(VectorOperators.F2D, D4, 0);
    }

    /** t = (s₀+s₂, s₁+s₃) lane-wise is t_k = s_k + s_{k+8}; u = t₀ + t₁ is u_k = t_k + t_{k+4}; then (u₀+u₂)+(u₁+u₃). */
    private static double combine(DoubleVector s0, DoubleVector s1, DoubleVector s2, DoubleVector s3) {
        DoubleVector u = s0.add(s2).add(s1.add(s3));
        return (u.lane(0) + u.lane(2)) + (u.lane(1) + u.lane(3));
    }
}
