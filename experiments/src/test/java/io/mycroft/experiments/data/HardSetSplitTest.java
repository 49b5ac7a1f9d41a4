package io.mycroft.experiments.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HardSetSplitTest {

    @Test
    void sharesFewWrongOnesPerWeakClassAndHoldsOutTheRest() {
        Random r = new Random(3);
        int n = 300;
        long[] ids = new long[n];
        int[] labels = new int[n];
        int[] predicted = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 5000 + i;
            labels[i] = i % 5;
            predicted[i] = r.nextDouble() < 0.4 ? (labels[i] + 1) % 5 : labels[i];
        }
        HardSetSplit split = HardSetSplit.select(ids, labels, predicted, List.of(3, 1), 4, 9);
        assertThat(split.shared()).containsOnlyKeys(1, 3);
        for (int c : List.of(1, 3)) {
            List<Long> shared = split.shared().get(c);
            List<Long> held = split.heldOut().get(c);
            assertThat(shared).hasSize(4).isSorted();
            assertThat(held).isSorted().doesNotContainAnyElementsOf(shared);
            long wrong = java.util.stream.IntStream.range(0, n).filter(i -> labels[i] == c && predicted[i] != c).count();
            assertThat(shared.size() + held.size()).isEqualTo((int) wrong);
            for (long id : shared) {
                int i = (int) (id - 5000);
                assertThat(labels[i]).isEqualTo(c);
                assertThat(predicted[i]).isNotEqualTo(c);
            }
        }
        assertThat(split.budget(2)).isEqualTo(16);
        assertThat(split.budgets(16)).isEqualTo(Map.of(1, 8, 3, 8));
        assertThat(split.budgets(9)).isEqualTo(Map.of(1, 5, 3, 4)); // equal remainders: the smaller class first
        assertThat(split.budget(8)).isEqualTo(64);
        assertThat(HardSetSplit.select(ids, labels, predicted, List.of(1, 3), 4, 9)).isEqualTo(split);
        assertThat(HardSetSplit.select(ids, labels, predicted, List.of(1, 3), 4, 10).shared())
                .isNotEqualTo(split.shared());
    }

    @Test
    void aClassWithFewWrongSharesThemAll() {
        long[] ids = {1, 2, 3, 4, 5};
        int[] labels = {0, 0, 0, 1, 1};
        int[] predicted = {1, 0, 1, 1, 1};
        HardSetSplit split = HardSetSplit.select(ids, labels, predicted, List.of(0, 1), 4, 1);
        assertThat(split.shared()).isEqualTo(Map.of(0, List.of(1L, 3L), 1, List.of()));
        assertThat(split.heldOut()).isEqualTo(Map.of(0, List.of(), 1, List.of()));
        assertThat(split.budgets(split.budget(3))).isEqualTo(Map.of(0, 6));
        assertThat(split.heldOutIds()).isEmpty();
        assertThatThrownBy(() -> HardSetSplit.select(ids, labels, new int[2], List.of(0), 4, 1))
                .hasMessageContaining("differ in length");
    }
}
