package io.mycroft.processors.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SieveStreamingTest {

    static float[] randomVector(Random rnd, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        v[0] += 0.5f; // mostly positive similarities, some negative
        return v;
    }

    static List<SampleEmbedding> samples(Random rnd, String prefix, int n, int dim) {
        List<SampleEmbedding> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new SampleEmbedding(prefix + i, randomVector(rnd, dim)));
        }
        return out;
    }

    /** f(S) from its definition. */
    static double f(List<SampleEmbedding> hard, List<SampleEmbedding> selected) {
        double total = 0;
        for (SampleEmbedding h : hard) {
            double[] hu = UnitVectors.unit(h.vector(), h.vector().length, "h");
            double best = 0;
            for (SampleEmbedding s : selected) {
                best = Math.max(best, UnitVectors.dot(hu, UnitVectors.unit(s.vector(), s.vector().length, "s")));
            }
            total += best;
        }
        return total;
    }

    /** OPT = max f(S) over all |S| ≤ B by enumeration. */
    static double bruteForceOpt(List<SampleEmbedding> hard, List<SampleEmbedding> owner, int budget) {
        double opt = 0;
        for (int mask = 1; mask < 1 << owner.size(); mask++) {
            if (Integer.bitCount(mask) > budget) {
                continue;
            }
            List<SampleEmbedding> s = new ArrayList<>();
            for (int i = 0; i < owner.size(); i++) {
                if ((mask >> i & 1) == 1) {
                    s.add(owner.get(i));
                }
            }
            opt = Math.max(opt, f(hard, s));
        }
        return opt;
    }

    @Test
    void achievesHalfMinusEpsilonOfTheOptimumInEveryOrder() {
        Random rnd = new Random(23);
        double[] epsilons = {0.05, 0.1, 0.25, 0.45};
        for (int t = 0; t < 1000; t++) {
            int dim = 2 + rnd.nextInt(3);
            List<SampleEmbedding> hard = samples(rnd, "h", 1 + rnd.nextInt(3), dim);
            List<SampleEmbedding> owner = samples(rnd, "s", 1 + rnd.nextInt(10), dim);
            int budget = 1 + rnd.nextInt(3);
            double eps = epsilons[rnd.nextInt(epsilons.length)];
            double opt = bruteForceOpt(hard, owner, budget);
            List<List<SampleEmbedding>> orders = new ArrayList<>();
            List<SampleEmbedding> shuffled = new ArrayList<>(owner);
            Collections.shuffle(shuffled, rnd);
            orders.add(shuffled);
            Comparator<SampleEmbedding> bySingleton = Comparator.comparingDouble(o -> f(hard, List.of(o)));
            orders.add(sortedCopy(owner, bySingleton));
            orders.add(sortedCopy(owner, bySingleton.reversed()));
            for (List<SampleEmbedding> order : orders) {
                SieveStreaming sieve = SieveStreaming.start(hard, budget, eps);
                for (SampleEmbedding o : order) {
                    sieve.offer(List.of(o));
                }
                SieveStreaming.Solution s = sieve.solution();
                Map<String, SampleEmbedding> byId = new HashMap<>();
                owner.forEach(o -> byId.put(o.sampleId(), o));
                assertThat(s.sampleIds()).hasSizeLessThanOrEqualTo(budget).doesNotHaveDuplicates();
                assertThat(s.value()).isCloseTo(f(hard, s.sampleIds().stream().map(byId::get).toList()), offset(1e-9));
                assertThat(s.value()).as("instance %d", t).isGreaterThanOrEqualTo((0.5 - eps) * opt - 1e-12);
                assertThat(sieve.sieveCount())
                        .isLessThanOrEqualTo((int) Math.floor(Math.log(2.0 * budget) / Math.log1p(eps)) + 1);
            }
        }
    }

    @Test
    void encodedStateResumesExactly() {
        Random rnd = new Random(29);
        for (int t = 0; t < 300; t++) {
            List<SampleEmbedding> hard = samples(rnd, "h", 1 + rnd.nextInt(4), 5);
            List<SampleEmbedding> owner = samples(rnd, "s", rnd.nextInt(40), 5);
            int budget = 1 + rnd.nextInt(6);
            SieveStreaming live = SieveStreaming.start(hard, budget, 0.1);
            int half = owner.size() / 2;
            live.offer(owner.subList(0, half));
            byte[] bytes = SieveStreamingCodec.encode(live);
            SieveStreaming resumed = SieveStreamingCodec.decode(bytes, hard);
            assertThat(SieveStreamingCodec.encode(resumed)).isEqualTo(bytes);
            live.offer(owner.subList(half, owner.size()));
            resumed.offer(owner.subList(half, owner.size()));
            assertThat(resumed.solution()).isEqualTo(live.solution());
            assertThat(SieveStreamingCodec.encode(resumed)).isEqualTo(SieveStreamingCodec.encode(live));
        }
    }

    @Test
    void redeliveryNeverDuplicatesAndBadInputChangesNothing() {
        Random rnd = new Random(31);
        List<SampleEmbedding> hard = samples(rnd, "h", 3, 4);
        List<SampleEmbedding> owner = samples(rnd, "s", 20, 4);
        SieveStreaming sieve = SieveStreaming.start(hard, 5, 0.1);
        sieve.offer(owner);
        double first = sieve.solution().value();
        sieve.offer(owner);
        assertThat(sieve.solution().sampleIds()).doesNotHaveDuplicates();
        assertThat(sieve.solution().value()).isGreaterThanOrEqualTo(first);
        byte[] before = SieveStreamingCodec.encode(sieve);
        for (SampleEmbedding bad : List.of(new SampleEmbedding("dim", new float[] {1, 2}),
                new SampleEmbedding("nan", new float[] {1, Float.NaN, 0, 0}),
                new SampleEmbedding("zero", new float[4]))) {
            assertThatThrownBy(() -> sieve.offer(List.of(new SampleEmbedding("fine", new float[] {1, 1, 1, 1}), bad)))
                    .isInstanceOf(InvalidVectorException.class).hasMessageContaining(bad.sampleId());
            assertThat(java.util.Arrays.equals(SieveStreamingCodec.encode(sieve), before)).isTrue();
        }
    }

    @Test
    void anExactDuplicateIsNeverSelectedTwice() {
        List<SampleEmbedding> hard = List.of(new SampleEmbedding("h1", new float[] {1, 0}),
                new SampleEmbedding("h2", new float[] {0, 1}));
        SieveStreaming sieve = SieveStreaming.start(hard, 3, 0.1);
        sieve.offer(List.of(new SampleEmbedding("a", new float[] {1, 0.1f}), new SampleEmbedding("b", new float[] {1, 0.1f}),
                new SampleEmbedding("c", new float[] {0.1f, 1}), new SampleEmbedding("d", new float[] {0.1f, 1})));
        assertThat(sieve.solution().sampleIds()).containsExactly("a", "c");
    }

    @Test
    void rejectsBadParametersAndForeignState() {
        List<SampleEmbedding> hard = List.of(new SampleEmbedding("h", new float[] {1, 0}));
        assertThatThrownBy(() -> SieveStreaming.start(hard, 0, 0.1)).hasMessageContaining("budget");
        assertThatThrownBy(() -> SieveStreaming.start(hard, 2, 0.5)).hasMessageContaining("epsilon");
        SieveStreaming s = SieveStreaming.start(hard, 2, 0.1);
        s.offer(List.of(new SampleEmbedding("a", new float[] {1, 1})));
        byte[] bytes = SieveStreamingCodec.encode(s);
        List<SampleEmbedding> twoHard = List.of(hard.get(0), new SampleEmbedding("g", new float[] {0, 1}));
        assertThatThrownBy(() -> SieveStreamingCodec.decode(bytes, twoHard)).hasMessageContaining("does not fit");
        byte[] version = bytes.clone();
        version[0] = 2;
        assertThatThrownBy(() -> SieveStreamingCodec.decode(version, hard)).hasMessageContaining("version 2");
        assertThatThrownBy(() -> SieveStreamingCodec.decode(java.util.Arrays.copyOf(bytes, bytes.length - 3), hard))
                .hasMessageContaining("truncated");
    }

    private static List<SampleEmbedding> sortedCopy(List<SampleEmbedding> in, Comparator<SampleEmbedding> order) {
        List<SampleEmbedding> out = new ArrayList<>(in);
        out.sort(order.thenComparing(SampleEmbedding::sampleId));
        return out;
    }
}
