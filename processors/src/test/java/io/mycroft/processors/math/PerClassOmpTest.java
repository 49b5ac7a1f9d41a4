package io.mycroft.processors.math;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PerClassOmpTest {

    @Test
    void targetIsTheSumOfTheHardGradients() {
        assertThat(PerClassOmp.target(List.of(new float[]{1, 2}, new float[]{0.5f, -1})))
                .containsExactly(1.5, 1.0);
        assertThatThrownBy(() -> PerClassOmp.target(List.of(new float[]{1, 2}, new float[]{1})))
                .isInstanceOf(InvalidVectorException.class).hasMessageContaining("hard sample 1");
    }

    @Test
    void eachClassMatchesItsOwnCandidatesWithItsShareOfTheBudget() {
        Map<Integer, List<float[]>> hard = Map.of(
                0, List.of(new float[]{1, 0, 0}),
                1, List.of(new float[]{0, 1, 0}, new float[]{0, 1, 0.5f}));
        Map<Integer, List<Candidate>> cands = Map.of(
                0, List.of(new Candidate("a", new float[]{1, 0.1f, 0}), new Candidate("b", new float[]{0.9f, 0, 0.1f}),
                        new Candidate("c", new float[]{1, 0, 0.3f})),
                1, List.of(new Candidate("d", new float[]{0, 1, 0}), new Candidate("e", new float[]{0, 1, 1}),
                        new Candidate("f", new float[]{0.1f, 1, 0.2f}), new Candidate("g", new float[]{0, 0.5f, 1})));
        SortedMap<Integer, OmpPath> paths = PerClassOmp.solve(hard, cands, 3, OmpOptions.gradMatch(99)); // B = 3 = 1·|D_hard|
        assertThat(paths.keySet()).containsExactly(0, 1);
        assertThat(paths.get(0).subset().sampleIds()).hasSize(1).isSubsetOf("a", "b", "c");
        assertThat(paths.get(1).subset().sampleIds()).hasSize(2).isSubsetOf("d", "e", "f", "g");
    }

    @Test
    void aClassWithoutCandidatesHasAnEmptySubset() {
        SortedMap<Integer, OmpPath> paths = PerClassOmp.solve(Map.of(3, List.of(new float[]{1, 1})), Map.of(), 2,
                OmpOptions.gradMatch(1));
        assertThat(paths.get(3).subset().sampleIds()).isEmpty();
        assertThat(paths.get(3).subset().explained()).isZero();
    }

    @Test
    void aClassWhoseShareOfTheBudgetIsZeroIsRefused() {
        assertThatThrownBy(() -> PerClassOmp.solve(Map.of(3, List.of(new float[]{1, 1}), 4, List.of(new float[]{1, 0})),
                Map.of(), 1, OmpOptions.gradMatch(1))).hasMessageContaining("budget must be at least 1");
    }
}
