package io.mycroft.processors.math;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link NearCopies} against the O(n²) definition of kept(S), for any arrival order and batching, at both thresholds:
 * gradients' 1 − 1e-6 (near-copies turned by up to 2e-3 rad, the threshold at 1.41e-3) and embeddings' 1 − 1e-4 (up to
 * 2e-2 rad, the threshold at 1.41e-2).
 */
class NearCopiesTest {
    private static final double[][] THRESHOLD_AND_MAX_ANGLE = {{NearCopies.MIN_COSINE, 2e-3}, {NearCopies.MIN_EMBEDDING_COSINE, 2e-2}};

    /** kept(S) by definition: c is kept unless some d with a smaller id has cos(c, d) ≥ 1 − 1e-6. */
    private static Set<String> bruteForceKept(List<Candidate> all) {
        return bruteForceKept(all, NearCopies.MIN_COSINE);
    }

    private static Set<String> bruteForceKept(List<Candidate> all, double minCosine) {
        Set<String> kept = new HashSet<>();
        for (Candidate c : all) {
            boolean shadowed = false;
            for (Candidate d : all) {
                if (d.sampleId().compareTo(c.sampleId()) < 0 && NearCopies.cosine(c, d) >= minCosine) {
                    shadowed = true;
                }
            }
            if (!shadowed) {
                kept.add(c.sampleId());
            }
        }
        return kept;
    }

    /** Unit-ish vectors at dimension d, each followed now and then by near-copies (chains too) at the threshold's edge. */
    private static List<Candidate> instance(Random rnd, int d, int n) {
        return instance(rnd, d, n, 2e-3);
    }

    private static List<Candidate> instance(Random rnd, int d, int n, double maxAngle) {
        List<Candidate> cs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] f;
            if (i > 0 && rnd.nextInt(2) == 0) {
                f = OmpInstances.nearCopy(rnd, cs.get(rnd.nextInt(cs.size())).features(), maxAngle);
            } else {
                f = new float[d];
                for (int j = 0; j < d; j++) {
                    f[j] = (float) rnd.nextGaussian();
                }
            }
            cs.add(new Candidate("s" + rnd.nextInt(3 * n + 1) + "-" + i, f));
        }
        return cs;
    }

    @Test
    void streamedKeptSetEqualsTheBruteForceDefinitionInEveryOrder() {
        for (double[] thresholdAndAngle : THRESHOLD_AND_MAX_ANGLE) {
            streamedKeptSetEqualsTheBruteForceDefinitionInEveryOrder(thresholdAndAngle[0], thresholdAndAngle[1]);
        }
    }

    private static void streamedKeptSetEqualsTheBruteForceDefinitionInEveryOrder(double minCosine, double maxAngle) {
        int pairsNear = 0;
        int chains = 0;
        for (long seed = 0; seed < 400; seed++) {
            Random rnd = new Random(seed);
            int d = 1 + rnd.nextInt(seed % 4 == 0 ? 300 : 8);
            List<Candidate> all = instance(rnd, d, rnd.nextInt(40), maxAngle);
            Set<String> expected = bruteForceKept(all, minCosine);
            NearCopies whole = NearCopies.of(all, minCosine);
            assertThat(all.stream().map(Candidate::sampleId).filter(id -> !whole.isShadowed(id)).toList())
                    .containsExactlyInAnyOrderElementsOf(expected);
            pairsNear += all.size() - expected.size();
            chains += chainCount(all, minCosine);

            List<List<Candidate>> orders = new ArrayList<>();
            List<Candidate> byId = new ArrayList<>(all);
            byId.sort(Comparator.comparing(Candidate::sampleId));
            orders.add(byId);
            List<Candidate> desc = new ArrayList<>(byId);
            Collections.reverse(desc);
            orders.add(desc);
            List<Candidate> shuffled = new ArrayList<>(all);
            Collections.shuffle(shuffled, rnd);
            orders.add(shuffled);
            for (List<Candidate> order : orders) {
                NearCopies index = NearCopies.of(List.of(), minCosine);
                Set<String> kept = new HashSet<>();
                for (int i = 0; i < order.size(); ) {
                    int size = 1 + rnd.nextInt(4);
                    NearCopies.Change change = index.add(order.subList(i, Math.min(order.size(), i + size)));
                    change.newlyShadowed().forEach(id -> assertThat(kept.remove(id)).as("only kept ones are withdrawn").isTrue());
                    change.kept().forEach(c -> kept.add(c.sampleId()));
                    i += size;
                }
                assertThat(kept).as("seed %d at %s", seed, minCosine).isEqualTo(expected);
            }
        }
        assertThat(pairsNear).as("near-copies must occur at %s", minCosine).isGreaterThan(400);
        assertThat(chains).as("a~b~c with a≁c must occur at %s", minCosine).isGreaterThan(10);
    }

    /**
     * Adds and withdrawals in any interleaving (as RetrieveTopK's R gains and loses members) leave the index equal to
     * the definition over what is still held, and a withdrawal reports exactly the candidates it let be kept again.
     */
    @Test
    void withdrawalsLeaveTheDefinitionOverWhatIsStillHeld() {
        for (double[] thresholdAndAngle : THRESHOLD_AND_MAX_ANGLE) {
            double minCosine = thresholdAndAngle[0];
            int revivals = 0;
            for (long seed = 0; seed < 300; seed++) {
                Random rnd = new Random(seed);
                int d = 1 + rnd.nextInt(seed % 4 == 0 ? 128 : 8);
                List<Candidate> all = instance(rnd, d, rnd.nextInt(40), thresholdAndAngle[1]);
                Collections.shuffle(all, rnd);
                NearCopies index = NearCopies.of(List.of(), minCosine);
                List<Candidate> heldNow = new ArrayList<>();
                for (Candidate c : all) {
                    index.add(List.of(c));
                    heldNow.add(c);
                    while (!heldNow.isEmpty() && rnd.nextInt(3) == 0) {
                        Set<String> keptBefore = bruteForceKept(heldNow, minCosine);
                        Candidate out = heldNow.remove(rnd.nextInt(heldNow.size()));
                        List<String> revived = index.withdraw(out.sampleId());
                        Set<String> keptAfter = bruteForceKept(heldNow, minCosine);
                        List<String> expectedRevived = keptAfter.stream().filter(id -> !keptBefore.contains(id)).sorted().toList();
                        assertThat(revived).as("seed %d", seed).isEqualTo(expectedRevived);
                        revivals += revived.size();
                    }
                    for (Candidate h : heldNow) {
                        assertThat(index.isShadowed(h.sampleId())).as("seed %d, %s", seed, h.sampleId())
                                .isEqualTo(!bruteForceKept(heldNow, minCosine).contains(h.sampleId()));
                    }
                }
                assertThat(index.withdraw("never-held")).isEmpty();
            }
            assertThat(revivals).as("withdrawals must revive shadowed candidates at %s", minCosine).isGreaterThan(50);
        }
    }

    /** The prefilter never hides a near pair: every pair the exact cosine calls near is reported, at d = 1,290. */
    @Test
    void prefilterMissesNoNearPairAtGradientDimension() {
        Random rnd = new Random(7);
        List<Candidate> all = instance(rnd, 1_290, 300);
        assertThat(new HashSet<>(NearCopies.kept(all).stream().map(Candidate::sampleId).toList())).isEqualTo(bruteForceKept(all));
    }

    /** The same at embeddings' threshold and dimension (1 − 1e-4, d = 128). */
    @Test
    void prefilterMissesNoNearPairAtEmbeddingDimension() {
        Random rnd = new Random(8);
        List<Candidate> all = instance(rnd, 128, 300, 2e-2);
        NearCopies index = NearCopies.of(all, NearCopies.MIN_EMBEDDING_COSINE);
        Set<String> expected = bruteForceKept(all, NearCopies.MIN_EMBEDDING_COSINE);
        assertThat(expected.size()).isLessThan(all.size());
        assertThat(all.stream().map(Candidate::sampleId).filter(id -> !index.isShadowed(id)).toList())
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Triples a~b, b~c, a≁c in the instance. */
    private static int chainCount(List<Candidate> all, double minCosine) {
        int n = 0;
        for (Candidate a : all) {
            for (Candidate b : all) {
                for (Candidate c : all) {
                    if (a != b && b != c && a != c && near(a, b, minCosine) && near(b, c, minCosine) && !near(a, c, minCosine)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static boolean near(Candidate a, Candidate b, double minCosine) {
        return NearCopies.cosine(a, b) >= minCosine;
    }
}
