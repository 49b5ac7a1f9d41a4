package io.mycroft.processors.math;

import io.mycroft.processors.math.OmpOptions.Correlation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Seeded random OMP instances for the property tests: small, with exact ties, duplicates, rescaled near-copies (some at
 * the edge of the near-copy threshold, so chains a~b~c with a≁c occur) and awkward ids.
 */
final class OmpInstances {
    private OmpInstances() {
    }

    record Instance(double[] y, List<Candidate> candidates, OmpOptions options) {
    }

    static Instance random(long seed) {
        Random rnd = new Random(seed);
        int d = 1 + rnd.nextInt(7);
        int n = rnd.nextInt(26);
        boolean coarse = rnd.nextBoolean();
        boolean funcFeat = rnd.nextInt(4) == 0;
        List<Candidate> cs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] f;
            if (i > 0 && rnd.nextInt(6) == 0) {
                f = cs.get(rnd.nextInt(cs.size())).features().clone();
            } else if (i > 0 && rnd.nextInt(5) == 0) {
                f = nearCopy(rnd, cs.get(rnd.nextInt(cs.size())).features());
            } else {
                f = vector(rnd, d, coarse);
            }
            // ids of mixed length so String order differs from numeric order ("s10" < "s9")
            cs.add(new Candidate("s" + rnd.nextInt(3 * n + 1) + "-" + i, f, funcFeat ? rnd.nextInt(4) * 0.5 : 0));
        }
        double[] y = new double[d];
        for (int i = 0; i < d; i++) {
            y[i] = coarse ? rnd.nextInt(7) - 2 : rnd.nextGaussian();
        }
        double[] lambdas = {0.5, 0.5, 0.1, 1e-3, 0};
        OmpOptions o = new OmpOptions(1 + rnd.nextInt(6), lambdas[rnd.nextInt(lambdas.length)], rnd.nextBoolean(),
                rnd.nextInt(3) > 0, rnd.nextBoolean(), rnd.nextInt(5) == 0 ? 0.3 : 0,
                rnd.nextInt(3) == 0 ? Correlation.ABSOLUTE : Correlation.SIGNED,
                funcFeat ? OmpOptions.FUNC_FEAT_LAMBDA2 : 0);
        return new Instance(y, cs, o);
    }

    /**
     * {@code f} rescaled by a factor in [0.8, 1.2] and turned by an angle of up to 2e-3 rad: cosines from 1 down to about
     * 1 − 2e-6, on both sides of {@link NearCopies#MIN_COSINE} (1 − 1e-6 at about 1.41e-3 rad).
     */
    static float[] nearCopy(Random rnd, float[] f) {
        return nearCopy(rnd, f, 2e-3);
    }

    /** {@code f} rescaled by a factor in [0.8, 1.2] and turned by an angle of up to {@code maxAngle} rad. */
    static float[] nearCopy(Random rnd, float[] f, double maxAngle) {
        double norm = Vectors.norm(f);
        double[] turn = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            turn[i] = rnd.nextGaussian();
        }
        double turnNorm = Vectors.norm(turn);
        double angle = rnd.nextInt(3) == 0 ? 0 : maxAngle * rnd.nextDouble();
        double scale = 0.8 + 0.4 * rnd.nextDouble();
        float[] out = new float[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (float) (scale * (f[i] + angle * norm * turn[i] / turnNorm));
        }
        return out;
    }

    /** cos(a, b) by a plain double loop: the brute-force twins' near-copy test, independent of {@link DotKernel}. */
    static double plainCosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    /** Coarse vectors (entries in {−1, −½, 0, ½, 1}) make exact score ties and zero vectors likely. */
    private static float[] vector(Random rnd, int d, boolean coarse) {
        float[] f = new float[d];
        do {
            for (int i = 0; i < d; i++) {
                f[i] = coarse ? (rnd.nextInt(5) - 2) * 0.5f : (float) rnd.nextGaussian();
            }
        } while (Vectors.norm(f) == 0);
        return f;
    }

    /** The adversarial and random arrival orders of one instance. */
    static List<List<Candidate>> orders(Instance in, long seed) {
        List<List<Candidate>> orders = new ArrayList<>();
        List<Candidate> byId = new ArrayList<>(in.candidates());
        byId.sort(Comparator.comparing(Candidate::sampleId));
        orders.add(byId);
        List<Candidate> desc = new ArrayList<>(byId);
        java.util.Collections.reverse(desc);
        orders.add(desc);
        // by first-step score: ascending makes every arrival the new winner of step 1
        List<Candidate> byScore = new ArrayList<>(in.candidates());
        byScore.sort(Comparator.comparingDouble(c -> firstScore(c, in)));
        orders.add(byScore);
        List<Candidate> byScoreDesc = new ArrayList<>(byScore);
        java.util.Collections.reverse(byScoreDesc);
        orders.add(byScoreDesc);
        List<Candidate> shuffled = new ArrayList<>(in.candidates());
        java.util.Collections.shuffle(shuffled, new Random(seed));
        orders.add(shuffled);
        return orders;
    }

    private static double firstScore(Candidate c, Instance in) {
        return Vectors.dot(OmpScoring.atom(c, in.options()), in.y());
    }
}
