package io.mycroft.processors.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FacilityLocationTest {

    /** F(S) = Σ_{u ∈ U} max_{s ∈ S} max(0, cos(u, s)), written out from the definition. */
    private static double value(List<SampleEmbedding> ground, List<String> selected) {
        double f = 0;
        for (SampleEmbedding u : ground) {
            double best = 0;
            for (SampleEmbedding s : ground) {
                if (selected.contains(s.sampleId())) {
                    best = Math.max(best, Math.max(0, OmpInstances.plainCosine(u.vector(), s.vector())));
                }
            }
            f += best;
        }
        return f;
    }

    private static List<SampleEmbedding> randomGround(Random rnd, int n) {
        List<SampleEmbedding> ground = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] v = {rnd.nextInt(7) - 3, rnd.nextInt(7) - 3, 1 + rnd.nextInt(3)};
            ground.add(new SampleEmbedding("s" + i, v));
        }
        Collections.shuffle(ground, rnd);
        return ground;
    }

    /** All subsets of {@code ground} of size {@code size}, as id lists. */
    private static void subsets(List<SampleEmbedding> ground, int from, int size, List<String> prefix, List<List<String>> out) {
        if (prefix.size() == size) {
            out.add(new ArrayList<>(prefix));
            return;
        }
        for (int i = from; i < ground.size(); i++) {
            prefix.add(ground.get(i).sampleId());
            subsets(ground, i + 1, size, prefix, out);
            prefix.remove(prefix.size() - 1);
        }
    }

    @Test
    void eachStepTakesTheLargestGainAndTheWholeIsWithinOneMinusOneOverEOfTheOptimum() {
        Random rnd = new Random(13);
        for (int trial = 0; trial < 300; trial++) {
            List<SampleEmbedding> ground = randomGround(rnd, 1 + rnd.nextInt(9));
            int budget = 1 + rnd.nextInt(4);
            List<String> chosen = FacilityLocation.greedy(ground, budget);
            assertThat(chosen).hasSize(Math.min(budget, ground.size())).doesNotHaveDuplicates();
            for (int t = 0; t < chosen.size(); t++) {
                List<String> before = chosen.subList(0, t);
                double base = value(ground, before);
                double taken = value(ground, chosen.subList(0, t + 1)) - base;
                for (SampleEmbedding s : ground) {
                    if (!before.contains(s.sampleId())) {
                        List<String> with = new ArrayList<>(before);
                        with.add(s.sampleId());
                        assertThat(taken).as("trial %d step %d vs %s", trial, t, s.sampleId())
                                .isGreaterThanOrEqualTo(value(ground, with) - base - 1e-9);
                    }
                }
            }
            List<List<String>> all = new ArrayList<>();
            subsets(ground, 0, chosen.size(), new ArrayList<>(), all);
            double optimum = all.stream().mapToDouble(s -> value(ground, s)).max().orElseThrow();
            assertThat(value(ground, chosen)).isGreaterThanOrEqualTo((1 - 1 / Math.E) * optimum - 1e-9);
        }
    }

    @Test
    void theChoiceDependsOnTheSetNotOnItsOrder() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            List<SampleEmbedding> ground = randomGround(rnd, 1 + rnd.nextInt(12));
            int budget = 1 + rnd.nextInt(5);
            List<String> first = FacilityLocation.greedy(ground, budget);
            Collections.shuffle(ground, rnd);
            assertThat(FacilityLocation.greedy(ground, budget)).isEqualTo(first);
        }
    }

    @Test
    void withoutWideningItIsRetrieveTopK() {
        Random rnd = new Random(21);
        for (int trial = 0; trial < 300; trial++) {
            RetrieveTopKTest.Instance instance = RetrieveTopKTest.Instance.random(rnd);
            assertThat(FacilityLocation.retrieve(instance.k(), instance.budget(), 1, instance.hard(), instance.owner()))
                    .isEqualTo(RetrieveTopK.batch(instance.k(), instance.budget(), instance.hard(), instance.owner()).sampleIds());
        }
    }

    @Test
    void itCoversTwoNeighbourhoodsWhereTopKTakesTheTighterOne() {
        // One hard sample between two groups of owner samples: a tight group of three on one side, a looser group of
        // three on the other. RetrieveTopK's 2 nearest are both from the tight group; widened 3 times, facility
        // location takes one of each.
        List<SampleEmbedding> hard = List.of(new SampleEmbedding("h", new float[] {1, 0, 0}));
        List<SampleEmbedding> owner = List.of(
                new SampleEmbedding("a1", new float[] {1, 0.10f, 0}),
                new SampleEmbedding("a2", new float[] {1, 0.13f, 0}),
                new SampleEmbedding("a3", new float[] {1, 0.16f, 0}),
                new SampleEmbedding("b1", new float[] {1, -0.30f, 0}),
                new SampleEmbedding("b2", new float[] {1, -0.34f, 0}),
                new SampleEmbedding("b3", new float[] {1, -0.38f, 0}));
        assertThat(RetrieveTopK.batch(2, 2, hard, owner).sampleIds()).containsExactly("a1", "a2");
        List<String> diverse = FacilityLocation.retrieve(2, 2, 3, hard, owner);
        assertThat(diverse).hasSize(2);
        assertThat(diverse.stream().filter(id -> id.startsWith("a"))).hasSize(1);
        assertThat(diverse.stream().filter(id -> id.startsWith("b"))).hasSize(1);
    }

    @Test
    void theWideningIsAtLeastOne() {
        assertThatThrownBy(() -> FacilityLocation.retrieve(2, 2, 0, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> FacilityLocation.retrieve(2, 2, 3, 0, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }

    @Test
    void aPoolThatWouldBeMostOfASmallClassFallsBackToRetrieveTopK() {
        Random rnd = new Random(34);
        for (int trial = 0; trial < 300; trial++) {
            RetrieveTopKTest.Instance instance = RetrieveTopKTest.Instance.random(rnd);
            int distinct = SampleEmbedding.representatives(instance.owner()).size();
            List<String> capped = FacilityLocation.retrieve(instance.k(), instance.budget(), 3, 3, instance.hard(),
                    instance.owner());
            if (distinct < 3 * (instance.budget() + 1)) { // ⌊n_c / 3⌋ ≤ B_c: the pool is B_c
                assertThat(capped).isEqualTo(RetrieveTopK.batch(instance.k(), instance.budget(), instance.hard(),
                        instance.owner()).sampleIds());
            }
            assertThat(capped.size()).isLessThanOrEqualTo(instance.budget());
        }
    }
}
