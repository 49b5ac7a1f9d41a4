package io.mycroft.inference.model;

/** Class predictions of a network over a data set, in batches. */
public final class Predictions {
    private static final int BATCH = 256;

    private Predictions() {
    }

    /** The logits of every sample of {@code data}. */
    public static float[][] logits(Network network, Dataset data) {
        float[][] out = new float[data.size()][];
        for (int from = 0; from < data.size(); from += BATCH) {
            int to = Math.min(data.size(), from + BATCH);
            float[][] z = network.forward(data.slice(from, to).features()).logits();
            System.arraycopy(z, 0, out, from, z.length);
        }
        return out;
    }

    /** The fraction of {@code data} whose argmax logit is its label; 0 for an empty set. */
    public static double accuracy(Network network, Dataset data) {
        if (data.size() == 0) {
            return 0;
        }
        float[][] z = logits(network, data);
        int correct = 0;
        for (int i = 0; i < z.length; i++) {
            if (argmax(z[i]) == data.labels()[i]) {
                correct++;
            }
        }
        return (double) correct / z.length;
    }

    public static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
