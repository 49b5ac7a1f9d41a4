package io.mycroft.inference.vectors;

import io.mycroft.inference.model.Network;

/**
 * Per-sample vectors of a batch under one model: the embedding h, the loss, the predicted class and the (optionally projected) last-layer
 * gradient — one forward pass, the gradient in closed form ({@link LastLayerGradient}), no backward pass.
 */
public final class SampleGradients {
    private final Network network;
    private final RandomProjection projection;

    /** One sample's vectors, its loss and the class the model predicts for it. */
    public record Vectors(float[] gradient, float[] embedding, float loss, int predicted) {
    }

    /** {@code projection} may be null (no projection). */
    public SampleGradients(Network network, RandomProjection projection) {
        this.network = network;
        this.projection = projection;
    }

    public int gradientDim() {
        return projection == null ? LastLayerGradient.dim(network.classes(), network.embeddingDim()) : projection.outputDim();
    }

    public int embeddingDim() {
        return network.embeddingDim();
    }

    /** Vectors of every sample; labels must lie in [0, C) (callers check them first). */
    public Vectors[] compute(float[][] features, int[] labels) {
        Network.Outputs out = network.forward(features);
        Vectors[] vectors = new Vectors[features.length];
        for (int i = 0; i < features.length; i++) {
            float[] z = out.logits()[i];
            float[] h = out.embeddings()[i];
            float[] g = LastLayerGradient.of(z, h, labels[i]);
            vectors[i] = new Vectors(projection == null ? g : projection.apply(g), h, LastLayerGradient.loss(z, labels[i]),
                    LastLayerGradient.predicted(z));
        }
        return vectors;
    }
}
