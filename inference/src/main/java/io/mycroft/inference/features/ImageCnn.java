package io.mycroft.inference.features;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import io.mycroft.inference.model.CnnBlock;
import io.mycroft.inference.model.CnnSpec;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The IMAGE_CNN feature extractor: a {@link CnnBlock} pre-trained on the shipped Fashion-MNIST subset
 * ({@link TrainImageCnn}), its parameters a class-path resource of this module; embeddings are its 128-d penultimate
 * layer (after ReLU). Inputs are 28×28 grey images flattened row by row in [0, 1], the layout {@code SampleInputs} decodes.
 * Not thread-safe (one per worker loop, like {@link Network}); close it when done.
 */
public final class ImageCnn implements AutoCloseable {
    /** The committed parameters, made by {@code inference/scripts/train-image-cnn.sh}. */
    public static final String RESOURCE = "/io/mycroft/inference/features/image-cnn-fashion.params";
    public static final int CLASSES = 10;
    private final Network network;

    private ImageCnn(Network network) {
        this.network = network;
    }

    /** The pre-trained extractor from the class path. */
    public static ImageCnn load() {
        try (InputStream in = ImageCnn.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the class path");
            }
            Network network = newNetwork();
            network.model().getBlock().loadParameters(network.model().getNDManager(),
                    new DataInputStream(new BufferedInputStream(in)));
            return new ImageCnn(network);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException(RESOURCE + " does not fit the image CNN: " + e.getMessage(), e);
        }
    }

    /** A freshly initialised (untrained) network of this architecture, on the CPU. */
    static Network newNetwork() {
        return ModelArtifacts.newNetwork("image-cnn", new CnnSpec(CLASSES), Device.cpu());
    }

    static void save(Network network, OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        network.model().getBlock().saveParameters(data);
        data.flush();
    }

    public int inputs() {
        return CnnBlock.INPUTS;
    }

    public int embeddingDim() {
        return CnnBlock.EMBEDDING_DIM;
    }

    /** The 128-d embeddings of a batch of flattened 28×28 images. */
    public float[][] embed(float[][] images) {
        return network.forward(images).embeddings();
    }

    /** The underlying network (logits of the ten Fashion-MNIST classes, embeddings). */
    public Network network() {
        return network;
    }

    @Override
    public void close() {
        network.close();
    }
}
