package io.mycroft.processors.math;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Label consistency: the filter that takes an owner sample as a flipped label, and excludes it before matching, when
 * its given label y_o disagrees both with the request model's prediction and with its nearest hard samples:
 * <pre>
 *   exclude(o)  ⇔  ŷ_o ≠ y_o  and  2 · |{ h ∈ N_k(o) : y_h = y_o }| &lt; |N_k(o)|
 * </pre>
 * ŷ_o = argmax_c z_o,c is the model's predicted class (sent by the worker; unknown ⇒ never excluded), N_k(o) the
 * min(k, |D_hard|) hard samples of <em>every</em> class nearest to o by ‖ê_h − ê_o‖₂ on L2-normalised embeddings (as in
 * {@link RetrieveTopK}), ties by hard sampleId ascending, and y_h the hard sample's true class. So a sample is kept when
 * the model agrees with its label, or when at least half of its hard neighbours do.
 *
 * <p>The decision depends on the sample, the model and the fixed hard set only, never on the owner's other samples, so
 * filtering before selection keeps streamed = batch for any arrival order.
 */
public final class LabelConsistency {
    private final int k;
    private final List<Hard> hard;

    /** One hard sample: id, true class and unit-norm embedding. */
    private record Hard(String sampleId, int label, float[] unit) {
    }

    private LabelConsistency(int k, List<Hard> hard) {
        this.k = k;
        this.hard = hard;
    }

    /**
     * @param k           neighbours consulted, ≥ 1
     * @param hardSamples the hard samples, of every class
     * @param labels      their true classes: {@code labels.get(i)} is the class of {@code hardSamples.get(i)}
     */
    public static LabelConsistency of(int k, List<SampleEmbedding> hardSamples, List<Integer> labels) {
        if (k < 1) {
            throw new IllegalArgumentException("label consistency needs k ≥ 1 neighbours, was " + k);
        }
        if (hardSamples.isEmpty() || hardSamples.size() != labels.size()) {
            throw new IllegalArgumentException("label consistency needs one label per hard sample and at least one hard sample");
        }
        List<Hard> hard = new ArrayList<>();
        for (int i = 0; i < hardSamples.size(); i++) {
            SampleEmbedding h = hardSamples.get(i);
            hard.add(new Hard(h.sampleId(), labels.get(i), Vectors.normalized(h.vector(), "embedding of hard sample " + h.sampleId())));
        }
        hard.sort(Comparator.comparing(Hard::sampleId));
        return new LabelConsistency(k, List.copyOf(hard));
    }

    public int k() {
        return k;
    }

    /**
     * True when the sample's label is inconsistent by the rule above.
     *
     * @param predicted ŷ_o, or null when the worker did not send it (then the sample is kept)
     * @param embedding e_o, non-zero, of the hard samples' dimension
     */
    public boolean excludes(int label, Integer predicted, float[] embedding) {
        if (predicted == null || predicted == label) {
            return false;
        }
        return 2 * agreeingNeighbours(label, embedding) < Math.min(k, hard.size());
    }

    /** |{ h ∈ N_k(o) : y_h = label }|. */
    int agreeingNeighbours(int label, float[] embedding) {
        float[] unit = Vectors.normalized(embedding, "embedding");
        int n = Math.min(k, hard.size());
        // The n nearest so far, nearest first; hard is in sampleId order, so a later equal distance never displaces.
        double[] distance = new double[n];
        int[] index = new int[n];
        int held = 0;
        for (int i = 0; i < hard.size(); i++) {
            double d = squaredDistance(hard.get(i).unit(), unit);
            if (held == n && !(d < distance[n - 1])) {
                continue;
            }
            int at = held == n ? n - 1 : held++;
            while (at > 0 && d < distance[at - 1]) {
                distance[at] = distance[at - 1];
                index[at] = index[at - 1];
                at--;
            }
            distance[at] = d;
            index[at] = i;
        }
        int agree = 0;
        for (int j = 0; j < n; j++) {
            if (hard.get(index[j]).label() == label) {
                agree++;
            }
        }
        return agree;
    }

    private static double squaredDistance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }
}
