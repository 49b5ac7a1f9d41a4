package io.mycroft.experiments.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RandomBaselineTest {
    static final long[] IDS = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19};

    @Test
    void seededAndIndependentOfArrivalOrder() {
        List<Long> a = RandomBaseline.select(IDS, 4, 1, "owner-a");
        assertThat(a).hasSize(4).doesNotHaveDuplicates().isSorted().allSatisfy(id -> assertThat(id).isBetween(10L, 19L));
        assertThat(RandomBaseline.select(new long[] {19, 18, 17, 16, 15, 14, 13, 12, 11, 10}, 4, 1, "owner-a"))
                .isEqualTo(a);
        assertThat(RandomBaseline.select(IDS, 20, 1, "owner-a")).hasSize(10);
        boolean anyDifferent = false;
        for (long seed = 2; seed < 10; seed++) {
            anyDifferent |= !RandomBaseline.select(IDS, 4, seed, "owner-a").equals(a);
        }
        assertThat(anyDifferent).isTrue();
    }

    @Test
    void everyIdIsEquallyLikely() {
        int[] hits = new int[10];
        int trials = 20_000;
        for (long seed = 0; seed < trials; seed++) {
            RandomBaseline.select(IDS, 3, seed, "o").forEach(id -> hits[(int) (id - 10)]++);
        }
        for (int h : hits) { // expected 6000 each; 4σ ≈ 260
            assertThat(h).isBetween(5740, 6260);
        }
    }

    @Test
    void perClassBudgetsTakeOnlyThatClass() {
        int[] labels = {0, 1, 1, 0, 2, 1, 0, 1, 2, 1};
        Map<Integer, List<Long>> picks = RandomBaseline.selectPerClass(IDS, labels, Map.of(1, 2, 2, 5), 3, "o");
        assertThat(picks).containsOnlyKeys(1, 2);
        assertThat(picks.get(1)).hasSize(2).isSubsetOf(11L, 12L, 15L, 17L, 19L);
        assertThat(picks.get(2)).containsExactly(14L, 18L);
        assertThatThrownBy(() -> RandomBaseline.select(new long[] {1, 1}, 1, 0, "o")).hasMessageContaining("twice");
    }
}
