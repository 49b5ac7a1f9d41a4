package io.mycroft.processors.math;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@link GroupAttribution} against its definition, computed the slow way. */
class GroupAttributionTest {

    /** φ by definition: per class, every non-zero candidate without a near-copy of smaller id adds cos(a_i, y_c). */
    private static double bruteForce(Map<Integer, double[]> targets, Map<Integer, List<Candidate>> candidates) {
        double phi = 0;
        for (Map.Entry<Integer, double[]> e : targets.entrySet()) {
            double[] y = e.getValue();
            double yy = 0;
            for (double v : y) {
                yy += v * v;
            }
            for (Candidate c : candidates.getOrDefault(e.getKey(), List.of())) {
                if (c.norm() == 0 || yy == 0) {
                    continue;
                }
                boolean shadowed = false;
                for (Candidate d : candidates.get(e.getKey())) {
                    shadowed |= d.norm() > 0 && d.sampleId().compareTo(c.sampleId()) < 0
                            && NearCopies.cosine(c, d) >= NearCopies.MIN_COSINE;
                }
                if (!shadowed) {
                    double ay = 0;
                    for (int j = 0; j < y.length; j++) {
                        ay += c.features()[j] * y[j];
                    }
                    phi += ay / (c.norm() * Math.sqrt(yy));
                }
            }
        }
        return phi;
    }

    private static float[] gaussian(Random rnd, int d) {
        float[] f = new float[d];
        for (int j = 0; j < d; j++) {
            f[j] = (float) rnd.nextGaussian();
        }
        return f;
    }

    private static Map<Integer, List<Candidate>> instance(Random rnd, int d, int classes, int n) {
        Map<Integer, List<Candidate>> out = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            List<Candidate> ofClass = out.computeIfAbsent(rnd.nextInt(classes), c -> new ArrayList<>());
            float[] f = switch (rnd.nextInt(4)) {
                case 0 -> ofClass.isEmpty() ? gaussian(rnd, d) : OmpInstances.nearCopy(rnd, ofClass.get(rnd.nextInt(ofClass.size())).features());
                case 1 -> new float[d];
                default -> gaussian(rnd, d);
            };
            ofClass.add(new Candidate("s" + i, f));
        }
        return out;
    }

    @Test
    void equalsTheDefinitionAndIgnoresArrivalOrder() {
        Random rnd = new Random(13);
        for (int instance = 0; instance < 300; instance++) {
            int d = 1 + rnd.nextInt(12);
            int classes = 1 + rnd.nextInt(3);
            Map<Integer, List<Candidate>> candidates = instance(rnd, d, classes, rnd.nextInt(25));
            Map<Integer, double[]> targets = new TreeMap<>();
            for (int c = 0; c < classes; c++) {
                targets.put(c, rnd.nextInt(8) == 0 ? new double[d] : rnd.doubles(d).map(v -> v - 0.5).toArray());
            }
            double phi = GroupAttribution.score(targets, candidates);
            assertThat(phi).as("instance %d", instance).isCloseTo(bruteForce(targets, candidates), within(1e-12));
            Map<Integer, List<Candidate>> shuffled = new TreeMap<>();
            candidates.forEach((c, list) -> {
                List<Candidate> copy = new ArrayList<>(list);
                Collections.shuffle(copy, rnd);
                shuffled.put(c, copy);
            });
            assertThat(GroupAttribution.score(targets, shuffled)).as("instance %d shuffled", instance).isEqualTo(phi);
        }
    }

    @Test
    void scaledCopiesGainNothingAndFlippedGradientsSubtract() {
        Map<Integer, double[]> targets = Map.of(0, new double[] {1, 0, 0});
        List<Candidate> honest = List.of(new Candidate("a", new float[] {2, 1, 0}), new Candidate("b", new float[] {1, 0, 1}));
        double phi = GroupAttribution.score(targets, Map.of(0, honest));
        assertThat(phi).isCloseTo(2 / Math.sqrt(5) + 1 / Math.sqrt(2), within(1e-12));

        List<Candidate> withCopies = new ArrayList<>(honest);
        withCopies.add(new Candidate("c", new float[] {2000, 1000, 0}));
        withCopies.add(new Candidate("d", new float[] {4, 2, 0}));
        assertThat(GroupAttribution.score(targets, Map.of(0, withCopies))).isEqualTo(phi);

        List<Candidate> withFlipped = new ArrayList<>(honest);
        withFlipped.add(new Candidate("e", new float[] {-3, 0, 1}));
        assertThat(GroupAttribution.score(targets, Map.of(0, withFlipped))).isLessThan(phi);
        assertThat(GroupAttribution.score(targets, Map.of(1, honest))).isZero();
    }
}
