package io.mycroft.experiments.metrics;

/**
  * Kendall's τ-b between two score vectors over the same items (scipy.stats.kendalltau's default variant):
  * τ_b = (n_c − n_d) / √((n₀ − n₁)(n₀ − n₂)), n₀ = n(n−1)/2, n₁ / n₂ = pairs tied in x / in y. Pairs tied in both
  * count in n₁ and n₂ but neither n_c nor n_d. O(n²), which is exact and plenty for rankings of owners.
  */
public final class KendallTau {
    private KendallTau() {}

    /**
      * @param x scores of items 0..n−1 (higher = ranked better; only the order matters)
      * @param y scores of the same items under the other ranking
      * @return τ-b in [−1, 1]
      * @throws IllegalArgumentException if lengths differ, n &lt; 2, a value is NaN, or either side is all ties (τ-b is
      *     then undefined)
      */
    public static double tauB(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " items, y has " + y.length);
        }
        if (x.length < 2) {
            throw new IllegalArgumentException("Kendall τ needs at least 2 items, got " + x.length);
        }
        long concordant = 0;
        long discordant = 0;
        long tiedX = 0;
        long tiedY = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
                throw new IllegalArgumentException("item " + i + " has a NaN score");
            }
            for (int j = i + 1; j < x.length; j++) {
                int sx = Double.compare(x[i], x[j]);
                int sy = Double.compare(y[i], y[j]);
                if (sx == 0) {
                    tiedX++;
                }
                if (sy == 0) {
                    tiedY++;
                }
                if (sx != 0 && sy != 0) {
                    if (sx == sy) {
                        concordant++;
                    } else {
                        discordant++;
                    }
                }
            }
        }
        long n0 = (long) x.length * (x.length - 1) / 2;
        double denominator = Math.sqrt((double) (n0 - tiedX) * (double) (n0 - tiedY));
        if (denominator == 0) {
            throw new IllegalArgumentException("τ-b is undefined when every item of one ranking is tied");
        }
        return (concordant - discordant) / denominator;
    }
}
