package io.mycroft.inference.vectors;

/**
 * The closed-form gradient of the cross-entropy loss ℓ = −log softmax(z)_y with respect to the last linear layer
 * (z = W·h + b, W of shape [C, H]) for one sample (DESIGN §3):
 * <pre>  g = (softmax(z) − onehot(y)) ⊗ [h; 1],  dim C·(H+1)</pre>
 * laid out class by class: {@code g[c·(H+1) + j] = ∂ℓ/∂W[c][j]} for j &lt; H and {@code g[c·(H+1) + H] = ∂ℓ/∂b[c]}.
 */
public final class LastLayerGradient {
    private LastLayerGradient() {
    }

    /** g for logits {@code z} (dim C), penultimate features {@code h} (dim H) and label {@code y} ∈ [0, C). */
    public static float[] of(float[] z, float[] h, int y) {
        double[] p = softmax(z);
        int width = h.length + 1;
        float[] g = new float[z.length * width];
        for (int c = 0; c < z.length; c++) {
            float e = (float) (p[c] - (c == y ? 1 : 0));
            int row = c * width;
            for (int j = 0; j < h.length; j++) {
                g[row + j] = e * h[j]; // float × float: a loop the JIT vectorises
            }
            g[row + h.length] = e;
        }
        return g;
    }

    /** ℓ = logsumexp(z) − z_y, computed stably. */
    public static float loss(float[] z, int y) {
        double max = max(z);
        double sum = 0;
        for (float v : z) {
            sum += Math.exp(v - max);
        }
        return (float) (max + Math.log(sum) - z[y]);
    }

    /** ŷ = argmax_c z_c, the model's predicted class; equal logits go to the smallest c. */
    public static int predicted(float[] z) {
        int best = 0;
        for (int c = 1; c < z.length; c++) {
            if (z[c] > z[best]) {
                best = c;
            }
        }
        return best;
    }

    /** dim of g for C classes and H penultimate features. */
    public static int dim(int classes, int embeddingDim) {
        return classes * (embeddingDim + 1);
    }

    static double[] softmax(float[] z) {
        double max = max(z);
        double[] p = new double[z.length];
        double sum = 0;
        for (int c = 0; c < z.length; c++) {
            p[c] = Math.exp(z[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < z.length; c++) {
            p[c] /= sum;
        }
        return p;
    }

    private static double max(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        return max;
    }
}
