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

/** {@link NearCopies} against the O(n²) definition of kept(S), for any arrival order and batching. */
class NearCopiesTest {

    /** kept(S) by definition: c is kept unless some d with a smaller id has cos(c, d) ≥ 1 − 1e-6. */
    private static Set<String> bruteForceKept(List<Candidate> all) {
        Set<String> kept = new HashSet<>();
        for (Candidate c : all) {
            boolean shadowed = false;
            for (Candidate d : all) {
                if (d.sampleId().compareTo(c.sampleId()) < 0 && NearCopies.cosine(c, d) >= NearCopies.MIN_COSINE) {
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
        List<Candidate> cs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] f;
            if (i > 0 && rnd.nextInt(2) == 0) {
                f = OmpInstances.nearCopy(rnd, cs.get(rnd.nextInt(cs.size())).features());
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
        int pairsNear = 0;
        int chains = 0;
        for (long seed = 0; seed < 400; seed++) {
            Random rnd = new Random(seed);
            int d = 1 + rnd.nextInt(seed % 4 == 0 ? 300 : 8);
            List<Candidate> all = instance(rnd, d, rnd.nextInt(40));
            Set<String> expected = bruteForceKept(all);
            assertThat(new HashSet<>(NearCopies.kept(all).stream().map(Candidate::sampleId).toList())).isEqualTo(expected);
            pairsNear += all.size() - expected.size();
            chains += chainCount(all);

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
                NearCopies index = new NearCopies();
                Set<String> kept = new HashSet<>();
                for (int i = 0; i < order.size(); ) {
                    int size = 1 + rnd.nextInt(4);
                    NearCopies.Change change = index.add(order.subList(i, Math.min(order.size(), i + size)));
                    change.newlyShadowed().forEach(id -> assertThat(kept.remove(id)).as("only kept ones are withdrawn").isTrue());
                    change.kept().forEach(c -> kept.add(c.sampleId()));
                    i += size;
                }
                assertThat(kept).as("seed %d", seed).isEqualTo(expected);
            }
        }
        assertThat(pairsNear).as("near-copies must occur").isGreaterThan(400);
        assertThat(chains).as("a~b~c with a≁c must occur").isGreaterThan(10);
    }

    /** The prefilter never hides a near pair: every pair the exact cosine calls near is reported, at d = 1,290. */
    @Test
    void prefilterMissesNoNearPairAtGradientDimension() {
        Random rnd = new Random(7);
        List<Candidate> all = instance(rnd, 1_290, 300);
        assertThat(new HashSet<>(NearCopies.kept(all).stream().map(Candidate::sampleId).toList())).isEqualTo(bruteForceKept(all));
    }

    /** Triples a~b, b~c, a≁c in the instance. */
    private static int chainCount(List<Candidate> all) {
        int n = 0;
        for (Candidate a : all) {
            for (Candidate b : all) {
                for (Candidate c : all) {
                    if (a != b && b != c && a != c && near(a, b) && near(b, c) && !near(a, c)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static boolean near(Candidate a, Candidate b) {
        return NearCopies.cosine(a, b) >= NearCopies.MIN_COSINE;
    }
}
