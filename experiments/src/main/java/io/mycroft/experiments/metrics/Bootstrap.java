package io.mycroft.experiments.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap of a mean: resample the values with replacement {@link #RESAMPLES} times (seeded, so a report
 * is reproducible), take the 2.5th and 97.5th percentiles of the resampled means as the 95% interval.
 */
public final class Bootstrap {
    public static final int RESAMPLES = 10_000;
    private static final long SEED = 2410_08432L;

    private Bootstrap() {}

    /** The mean of {@code values} with its 95% percentile-bootstrap interval; n = 1 gives a zero-width interval. */
    public static Interval meanInterval(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to bootstrap");
        }
        double mean = Arrays.stream(values).average().orElseThrow();
        SplittableRandom rng = new SplittableRandom(SEED);
        double[] means = new double[RESAMPLES];
        for (int b = 0; b < RESAMPLES; b++) {
            double sum = 0;
            for (int i = 0; i < values.length; i++) {
                sum += values[rng.nextInt(values.length)];
            }
            means[b] = sum / values.length;
        }
        Arrays.sort(means);
        return new Interval(mean, means[(int) Math.floor(0.025 * (RESAMPLES - 1))],
                means[(int) Math.ceil(0.975 * (RESAMPLES - 1))], values.length);
    }

    /** A mean over n values with its 95% interval [low, high]. */
    public record Interval(double mean, double low, double high, int n) {
        public boolean aboveZero() {
            return low > 0;
        }
    }
}
