package io.mycroft.loadtests.omp;

import io.mycroft.processors.math.Candidate;
import io.mycroft.processors.math.DotKernel;
import io.mycroft.processors.math.NearCopies;
import io.mycroft.processors.math.Vectors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the near-copy prefilter ({@link NearCopies}) costs per arriving sample at d = 1,290 (the gradient dimension):
 * n samples offered one at a time to an index that grows to n, a third of them rescaled copies (×0.8–1.2). Two shapes:
 * isotropic Gaussian vectors, and a clustered class (every vector at cosine ≈ 0.9 to a common mean, as same-class
 * gradients are), where the projections crowd together and more candidates pass the window. Beside it, one
 * {@link DotKernel#dot} at the same d, the unit of OMP's per-arrival work (B + 1 of them per arrival).
 * Run (under the heavy-work lock): {@code java --add-modules=jdk.incubator.vector -cp
 * processors/target/classes:load-tests/target/classes io.mycroft.loadtests.omp.NearCopiesTiming}.
 */
public final class NearCopiesTiming {
    private static final int DIM = 1290;
    private static final int REPEATS = 7;

    public static void main(String[] args) {
        for (int n : new int[]{1_000, 5_000}) {
            for (boolean clustered : new boolean[]{false, true}) {
                List<Candidate> samples = samples(n, clustered, new SplittableRandom(n));
                double[] nsPerSample = new double[REPEATS];
                int kept = 0;
                for (int r = 0; r < REPEATS; r++) {
                    List<Candidate> fresh = samples.stream().map(c -> new Candidate(c.sampleId(), c.features())).toList();
                    NearCopies index = NearCopies.of(List.of());
                    kept = 0;
                    long start = System.nanoTime();
                    for (Candidate c : fresh) {
                        kept += index.add(List.of(c)).kept().size();
                    }
                    nsPerSample[r] = (System.nanoTime() - start) / (double) n;
                }
                Arrays.sort(nsPerSample);
                System.out.printf("n %5d %-9s: %8.0f ns per sample (median of %d; min %.0f, max %.0f); kept %d of %d%n", n,
                        clustered ? "clustered" : "isotropic", nsPerSample[REPEATS / 2], REPEATS, nsPerSample[0],
                        nsPerSample[REPEATS - 1], kept, n);
            }
        }
        float[] a = samples(2, false, new SplittableRandom(1)).get(0).features();
        float[] b = samples(2, false, new SplittableRandom(2)).get(0).features();
        double sink = 0;
        long start = 0;
        for (int warm = 0; warm < 2; warm++) {
            start = System.nanoTime();
            for (int i = 0; i < 2_000_000; i++) {
                a[i % DIM] += 1e-9f;
                sink += DotKernel.dot(a, b);
            }
        }
        System.out.printf("one DotKernel.dot at d %d: %.0f ns (sink %.1f)%n", DIM, (System.nanoTime() - start) / 2e6, sink);
    }

    private static List<Candidate> samples(int n, boolean clustered, SplittableRandom rnd) {
        float[] mean = gaussian(rnd);
        double meanNorm = Vectors.norm(mean);
        List<Candidate> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] f;
            if (i % 3 == 2) {
                float scale = (float) (0.8 + 0.4 * rnd.nextDouble());
                f = out.get(rnd.nextInt(i)).features().clone();
                for (int j = 0; j < DIM; j++) {
                    f[j] *= scale;
                }
            } else {
                f = gaussian(rnd);
                if (clustered) {
                    // noise of norm ≈ 0.48·‖mean‖ around the mean: cosine ≈ 0.9 to it
                    double noiseScale = 0.48 * meanNorm / Vectors.norm(f);
                    for (int j = 0; j < DIM; j++) {
                        f[j] = (float) (mean[j] + noiseScale * f[j]);
                    }
                }
            }
            out.add(new Candidate(String.format("s%06d", i), f));
        }
        return out;
    }

    private static float[] gaussian(SplittableRandom rnd) {
        float[] f = new float[DIM];
        for (int j = 0; j < DIM; j++) {
            f[j] = (float) rnd.nextGaussian();
        }
        return f;
    }
}
