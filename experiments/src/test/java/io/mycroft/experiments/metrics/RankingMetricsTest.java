package io.mycroft.experiments.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {

    @Test
    void meanScoresAndTop1WithOwnerIdTieBreak() {
        assertThat(RankingMetrics.meanScores(List.of(new double[] {1, 2}, new double[] {3, 6})))
                .containsExactly(2.0, 4.0);
        assertThat(RankingMetrics.top(new double[] {0.5, 0.9, 0.9})).isEqualTo(1);
        assertThat(RankingMetrics.top1Correct(new double[] {0.1, 0.8, 0.3}, new double[] {0.2, 0.7, 0.6})).isTrue();
        assertThat(RankingMetrics.top1Correct(new double[] {0.9, 0.8, 0.3}, new double[] {0.2, 0.7, 0.6})).isFalse();
    }

    @Test
    void gainRecoveryIsTheShareOfFullInformationGain() {
        assertThat(RankingMetrics.gainRecovery(0.70, 0.80, 0.60).getAsDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(RankingMetrics.gainRecovery(0.55, 0.80, 0.60).getAsDouble()).isCloseTo(-0.25, within(1e-12));
        assertThat(RankingMetrics.gainRecovery(0.70, 0.60, 0.60)).isEmpty();
    }

    @Test
    void vsRandomIsPairedBySeedInPercentagePoints() {
        Spread s = RankingMetrics.vsRandomPoints(new double[] {0.70, 0.80, 0.75}, new double[] {0.60, 0.72, 0.70});
        assertThat(s.mean()).isCloseTo((10 + 8 + 5) / 3.0, within(1e-9));
        assertThat(s.min()).isCloseTo(5, within(1e-9));
        assertThat(s.max()).isCloseTo(10, within(1e-9));
        double m = 23 / 3.0;
        double sd = Math.sqrt(((10 - m) * (10 - m) + (8 - m) * (8 - m) + (5 - m) * (5 - m)) / 2);
        assertThat(s.std()).isCloseTo(sd, within(1e-9));
        assertThat(s.n()).isEqualTo(3);
    }

    @Test
    void spreadOfOneSeedHasNoDeviation() {
        assertThat(Spread.of(0.4)).isEqualTo(new Spread(0.4, 0, 0.4, 0.4, 1));
    }
}
