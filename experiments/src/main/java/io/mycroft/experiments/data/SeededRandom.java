package io.mycroft.experiments.data;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
  * Seeded random streams for experiments. Every use gets its own stream derived from (seed, purpose), so adding a new
  * use, or an owner, never shifts the numbers another one draws. {@link SplittableRandom} and the Box–Muller normal
  * below are fully specified, so results are identical on every JVM.
  */
public final class SeededRandom {
    private final SplittableRandom random;

    private SeededRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A stream for {@code purpose} (e.g. {@code "owner:owner-a:noise"}) under experiment {@code seed}. */
    public static SeededRandom of(long seed, String purpose) {
        long h = 0xcbf29ce484222325L; // FNV-1a over the purpose's UTF-8 bytes
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001b3L;
        }
        return new SeededRandom(seed * 0x9E3779B97F4A7C15L ^ h);
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public double nextDouble() {
        return random.nextDouble();
    }

    /** Standard normal by Box–Muller (one of the pair; the other is discarded to keep the stream simple). */
    public double nextGaussian() {
        double u1 = 1.0 - random.nextDouble(); // (0, 1], so the log is finite
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Fisher–Yates shuffle in place. */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /** {@code k} distinct positions out of {@code n}, in ascending order. */
    public int[] choose(int n, int k) {
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("cannot choose " + k + " of " + n);
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < k; i++) { // partial Fisher–Yates: the first k are a uniform k-subset
            int j = i + random.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] chosen = java.util.Arrays.copyOf(all, k);
        java.util.Arrays.sort(chosen);
        return chosen;
    }
}
