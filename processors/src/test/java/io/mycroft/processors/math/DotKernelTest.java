package io.mycroft.processors.math;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DotKernelTest {

    @Test
    void surefireRunsTheSimdKernel() {
        assertThat(DotKernel.SIMD).isTrue();
    }

    @Test
    void simdFormsAndScalarAgreeBitForBitAndMatchTheRunningSum() {
        Random rnd = new Random(1);
        for (int trial = 0; trial < 500; trial++) {
            int n = trial < 100 ? trial : rnd.nextInt(2_000);
            float[] a = new float[n];
            float[] b = new float[n];
            double[] bd = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) (rnd.nextGaussian() * Math.exp(rnd.nextGaussian() * 5));
                b[i] = (float) (rnd.nextGaussian() * Math.exp(rnd.nextGaussian() * 5));
                bd[i] = rnd.nextGaussian();
            }
            assertThat(DotKernelSimd.dot8(a, b)).isEqualTo(DotKernel.scalarDot(a, b));
            assertThat(DotKernelSimd.dot4(a, b)).isEqualTo(DotKernel.scalarDot(a, b));
            assertThat(DotKernelSimd.dot8(a, 0, bd)).isEqualTo(DotKernel.scalarDot(a, bd));
            assertThat(DotKernelSimd.dot4(a, 0, bd)).isEqualTo(DotKernel.scalarDot(a, bd));
            assertThat(DotKernel.dot(a, b)).isEqualTo(DotKernel.dot(b, a));
            int from = rnd.nextInt(40);
            float[] shifted = new float[from + n + rnd.nextInt(40)];
            System.arraycopy(a, 0, shifted, from, n);
            double slice = DotKernel.scalarDot(a, bd);
            assertThat(DotKernel.scalarDot(shifted, from, bd)).as("a slice of a longer array").isEqualTo(slice);
            assertThat(DotKernelSimd.dot8(shifted, from, bd)).isEqualTo(slice);
            assertThat(DotKernelSimd.dot4(shifted, from, bd)).isEqualTo(slice);
            double scale = Vectors.dot(abs(a), abs(b)) + 1;
            assertThat(DotKernel.dot(a, b)).isCloseTo(Vectors.dot(a, b), within(1e-12 * scale));
        }
    }

    private static float[] abs(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.abs(v[i]);
        }
        return out;
    }
}
