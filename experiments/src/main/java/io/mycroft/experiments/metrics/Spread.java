package io.mycroft.experiments.metrics;

import java.util.Arrays;

/** Mean and spread of one number over seeds: sample standard deviation (n−1; 0 for one seed), min, max, n. */
public record Spread(double mean, double std, double min, double max, int n) {

    public static Spread of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to summarise");
        }
        double mean = Arrays.stream(values).sum() / values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double std = values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0;
        return new Spread(mean, std, Arrays.stream(values).min().orElseThrow(), Arrays.stream(values).max().orElseThrow(),
                values.length);
    }
}
