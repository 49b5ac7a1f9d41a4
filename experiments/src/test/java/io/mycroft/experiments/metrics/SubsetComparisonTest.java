package io.mycroft.experiments.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubsetComparisonTest {
    static final Map<String, Map<Integer, List<Long>>> BATCH = Map.of(
            "owner-a", Map.of(2, List.of(5L, 9L, 1L), 4, List.of(7L)),
            "owner-b", Map.of(2, List.of(3L)));

    @Test
    void identicalSubsets() {
        SubsetComparison c = SubsetComparison.compare(BATCH, SubsetComparison.sorted(BATCH));
        assertThat(c.identical()).isTrue();
        assertThat(c.comparedClasses()).isEqualTo(3);
    }

    @Test
    void namesEveryDifference() {
        Map<String, Map<Integer, List<Long>>> streamed = Map.of(
                "owner-a", Map.of(2, List.of(5L, 1L, 9L), 4, List.of(7L, 8L)),
                "owner-c", Map.of(2, List.of(3L)));
        SubsetComparison c = SubsetComparison.compare(BATCH, streamed);
        assertThat(c.identical()).isFalse();
        assertThat(c.differences()).containsExactly(
                "owner-a class 2: same 3 samples in a different order (batch [5, 9, 1], streamed [5, 1, 9])",
                "owner-a class 4: first difference at step 2: batch (ended), streamed 8 (sizes 1 and 2)",
                "owner-b class 2: only the batch run has a subset",
                "owner-c class 2: only the streamed run has a subset");
    }
}
