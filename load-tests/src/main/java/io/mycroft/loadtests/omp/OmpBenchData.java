package io.mycroft.loadtests.omp;

import io.mycroft.processors.math.Candidate;
import io.mycroft.processors.math.Vectors;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded synthetic OMP inputs: n Gaussian "gradients" of dimension d (i.i.d. N(0,1) float32), and a class target
 * y = Σ of 4 hard gradients, each half a random candidate plus fresh noise (so the target has real matches).
 */
final class OmpBenchData {
    final int d;
    final List<Candidate> candidates;
    final double[] y;
    private final SplittableRandom rnd;
    private int next;

    OmpBenchData(int n, int d, long seed) {
        this.d = d;
        this.rnd = new SplittableRandom(seed);
        this.candidates = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            candidates.add(new Candidate("s" + j, gaussian()));
        }
        this.y = new double[d];
        for (int h = 0; h < 4; h++) {
            Vectors.axpy(0.5, candidates.get(rnd.nextInt(n)).features(), y);
            Vectors.axpy(1, gaussian(), y);
        }
        this.next = n;
    }

    /** A fresh sample from the same distribution: the random arrival order. */
    Candidate randomArrival() {
        return new Candidate("s" + next++, gaussian());
    }

    /**
     * The k-th arrival of the adversarial order: ŷ·(1 + k) plus unit Gaussian noise, so each arrival correlates with y
     * more than every earlier one and wins step 1 — every arrival forces a re-run from the first step.
     */
    Candidate adversarialArrival(int k) {
        float[] x = gaussian();
        double yNorm = Vectors.norm(y);
        for (int i = 0; i < d; i++) {
            x[i] += (float) (y[i] / yNorm * (1 + k) * 40);
        }
        return new Candidate("adv" + next++, x);
    }

    private float[] gaussian() {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
