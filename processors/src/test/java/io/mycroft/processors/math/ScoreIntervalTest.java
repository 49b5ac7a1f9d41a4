package io.mycroft.processors.math;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@link ScoreInterval} against a brute-force class bootstrap (draw C classes with replacement, sum their terms). */
class ScoreIntervalTest {

    @Test
    void theClosedFormWidthIsTheSpreadOfABruteForceClassBootstrap() {
        double[] terms = {0.62, 0.15, 0.48, 0.9, 0.33};
        double score = Arrays.stream(terms).sum();
        double[] resampled = bruteForceBootstrap(terms, 200_000, 42);

        double mean = Arrays.stream(resampled).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(resampled).map(s -> (s - mean) * (s - mean)).sum() / resampled.length);
        ScoreInterval closed = ScoreInterval.classBootstrap(score, terms, 1.0);
        assertThat(mean).isCloseTo(score, within(0.005));
        assertThat(closed.high() - score).isCloseTo(sd, within(0.01 * sd));
        assertThat(score - closed.low()).isCloseTo(sd, within(0.01 * sd));

        // The 95 % normal interval and the bootstrap's own 2.5/97.5 percentiles agree to a few per cent of the width.
        ScoreInterval z95 = ScoreInterval.classBootstrap(score, terms, ScoreInterval.Z95);
        Arrays.sort(resampled);
        double width = z95.high() - z95.low();
        assertThat(resampled[(int) (0.025 * resampled.length)]).isCloseTo(z95.low(), within(0.05 * width));
        assertThat(resampled[(int) (0.975 * resampled.length)]).isCloseTo(z95.high(), within(0.05 * width));
    }

    @Test
    void identicalTermsOrASingleClassGiveAZeroWidthAndTheOrderOfTheTermsDoesNotMatter() {
        assertThat(ScoreInterval.classBootstrap(0.7, new double[] {0.7}, 1.96)).isEqualTo(new ScoreInterval(0.7, 0.7));
        assertThat(ScoreInterval.classBootstrap(0.9, new double[] {0.3, 0.3, 0.3}, 1.96)).isEqualTo(new ScoreInterval(0.9, 0.9));
        assertThat(ScoreInterval.classBootstrap(1.0, new double[] {0.1, 0.5, 0.4}, 1.96))
                .isEqualTo(ScoreInterval.classBootstrap(1.0, new double[] {0.4, 0.1, 0.5}, 1.96));
    }

    @Test
    void classTermsFollowTheScoreOfEachMethod() {
        double[] explained = {0.5, 0.25};
        double[] coverage = {0.8, 0.6};
        assertThat(ScoreInterval.classTerms(explained, null)).containsExactly(0.5, 0.25);
        assertThat(ScoreInterval.classTerms(null, coverage)).containsExactly(0.4, 0.3);
        double[] funcFeat = ScoreInterval.classTerms(explained, coverage);
        List<ClassResidual> residuals = List.of(new ClassResidual(0.5, 1.0), new ClassResidual(0.75, 1.0));
        assertThat(funcFeat[0] + funcFeat[1]).isCloseTo(OwnerScore.funcFeat("o", residuals, 0.7).score(), within(1e-12));
    }

    @Test
    void separatedPairsAreTheNonOverlappingPairsInRankOrder() {
        List<ScoreInterval> intervals = List.of(new ScoreInterval(0.8, 1.0), new ScoreInterval(0.5, 0.85),
                new ScoreInterval(0.1, 0.4));
        assertThat(ScoreInterval.separatedPairs(List.of("a", "b", "c"), intervals)).containsExactly("a>c", "b>c");
        assertThat(ScoreInterval.separatedPairs(List.of("a"), List.of(new ScoreInterval(0, 1)))).isEmpty();
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> ScoreInterval.classBootstrap(1, new double[0], 1.96)).hasMessageContaining("classTerms");
        assertThatThrownBy(() -> ScoreInterval.classBootstrap(1, new double[] {1}, -1)).hasMessageContaining("z must");
        assertThatThrownBy(() -> new ScoreInterval(1, 0)).hasMessageContaining("low must be ≤ high");
        assertThatThrownBy(() -> ScoreInterval.classTerms(null, null)).hasMessageContaining("neither");
    }

    /** The slow, obviously correct bootstrap: {@code draws} sums of C classes drawn with replacement. */
    private static double[] bruteForceBootstrap(double[] terms, int draws, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] sums = new double[draws];
        for (int d = 0; d < draws; d++) {
            for (int i = 0; i < terms.length; i++) {
                sums[d] += terms[random.nextInt(terms.length)];
            }
        }
        return sums;
    }
}
