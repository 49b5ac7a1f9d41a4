package io.mycroft.processors.math;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class VectorsDot4Test {

    @Test
    void agreesWithTheRunningSumAndIsExactlySymmetric() {
        Random rnd = new Random(1);
        for (int n = 0; n < 40; n++) {
            float[] a = new float[n];
            float[] b = new float[n];
            double[] bd = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) rnd.nextGaussian();
                b[i] = (float) rnd.nextGaussian();
                bd[i] = b[i];
            }
            assertThat(Vectors.dot4(a, b)).isCloseTo(Vectors.dot(a, b), within(1e-12));
            assertThat(Vectors.dot4(a, b)).isEqualTo(Vectors.dot4(b, a));
            assertThat(Vectors.dot4(a, bd)).isEqualTo(Vectors.dot4(a, b));
        }
    }
}
