package io.mycroft.processors.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OwnerOrderTest {

    @Test
    void scoresFollowTheDesignFormulas() {
        List<ClassResidual> perClass = List.of(new ClassResidual(1, 4), new ClassResidual(3, 3));
        OwnerScore g = OwnerScore.gradient("o", perClass);
        assertThat(g.score()).isEqualTo(0.75);
        assertThat(OwnerScore.feature("o", 0.4).score()).isEqualTo(0.4);
        OwnerScore ff = OwnerScore.funcFeat("o", perClass, 0.6);
        assertThat(ff.score()).isCloseTo(0.5 * 0.75 / 2 + 0.5 * 0.6, offset(1e-15));
        assertThat(ff.gradientScore()).hasValue(0.75);
        assertThat(ff.coverage()).hasValue(0.6);
    }

    @Test
    void gainFirstThenScoreThenOwnerId() {
        List<OwnerScore> scores = List.of(
                OwnerScore.feature("b", 0.9),
                OwnerScore.feature("a", 0.9),
                OwnerScore.feature("c", 0.95),
                OwnerScore.feature("d", 0.1).withEvaluationGain(0.02),
                OwnerScore.feature("e", 0.5).withEvaluationGain(0.02),
                OwnerScore.feature("f", 0.0).withEvaluationGain(0.05),
                OwnerScore.feature("g", -0.0));
        assertThat(OwnerOrder.of(scores).ownerIds()).containsExactly("f", "e", "d", "c", "a", "b", "g");
    }

    @Test
    void theRankingDoesNotDependOnArrivalOrder() {
        Random rnd = new Random(5);
        for (int t = 0; t < 1000; t++) {
            List<OwnerScore> scores = new ArrayList<>();
            int n = 1 + rnd.nextInt(8);
            for (int i = 0; i < n; i++) {
                OwnerScore s = OwnerScore.feature("o" + i, rnd.nextInt(3) / 2.0);
                scores.add(rnd.nextInt(3) == 0 ? s.withEvaluationGain(rnd.nextInt(2) / 10.0) : s);
            }
            OwnerOrder expected = OwnerOrder.of(scores);
            Collections.shuffle(scores, rnd);
            assertThat(OwnerOrder.of(scores)).isEqualTo(expected);
            List<String> ids = expected.ownerIds();
            for (int i = 1; i < ids.size(); i++) {
                assertThat(OwnerOrder.BEST_FIRST.compare(expected.owners().get(i - 1), expected.owners().get(i)))
                        .isNegative();
            }
        }
    }

    @Test
    void badNumbersAndDuplicateOwnersAreRejected() {
        assertThatThrownBy(() -> OwnerScore.feature("o", Double.NaN)).hasMessageContaining("finite");
        assertThatThrownBy(() -> new ClassResidual(1, 0)).hasMessageContaining("targetNorm");
        assertThatThrownBy(() -> new ClassResidual(Double.NaN, 1)).hasMessageContaining("residualNorm");
        assertThatThrownBy(() -> OwnerScore.gradient("o", List.of())).hasMessageContaining("every class");
        assertThatThrownBy(() -> OwnerScore.feature("o", 1).withEvaluationGain(Double.POSITIVE_INFINITY))
                .hasMessageContaining("evaluation gain");
        assertThatThrownBy(() -> OwnerOrder.of(List.of(OwnerScore.feature("o", 1), OwnerScore.feature("o", 2))))
                .hasMessageContaining("two scores");
    }
}
