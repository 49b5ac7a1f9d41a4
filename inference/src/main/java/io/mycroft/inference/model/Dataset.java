package io.mycroft.inference.model;

import io.mycroft.schemas.idx.IdxFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** Labelled samples: {@code features[i]} is the flattened input of sample i, {@code labels[i]} its class. */
public record Dataset(float[][] features, int[] labels) {
    public Dataset {
        if (features.length != labels.length) {
            throw new IllegalArgumentException(features.length + " feature rows but " + labels.length + " labels");
        }
    }

    /**
     * The IDX pair {@code <kind>-images-idx3-ubyte.gz} / {@code <kind>-labels-idx1-ubyte.gz} of {@code dir} (MNIST's
     * layout), each image flattened row by row, pixels / 255 as the inference worker decodes them.
     */
    public static Dataset idx(Path dir, String kind) throws IOException {
        float[][] images = IdxFiles.readImages(IdxFiles.images(dir, kind));
        int[] labels = IdxFiles.readLabels(IdxFiles.labels(dir, kind));
        if (labels.length != images.length) {
            throw new IOException(IdxFiles.labels(dir, kind) + " holds " + labels.length + " labels for " + images.length
                    + " images");
        }
        for (float[] image : images) {
            for (int p = 0; p < image.length; p++) {
                image[p] /= 255f;
            }
        }
        return new Dataset(images, labels);
    }

    public int size() {
        return labels.length;
    }

    public int featureCount() {
        return features.length == 0 ? 0 : features[0].length;
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive). */
    public Dataset slice(int from, int to) {
        return new Dataset(Arrays.copyOfRange(features, from, to), Arrays.copyOfRange(labels, from, to));
    }

    /** The samples at {@code indices}, in that order. */
    public Dataset select(int[] indices) {
        float[][] f = new float[indices.length][];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            f[i] = features[indices[i]];
            l[i] = labels[indices[i]];
        }
        return new Dataset(f, l);
    }

    /** This set followed by {@code other}. */
    public Dataset concat(Dataset other) {
        float[][] f = Arrays.copyOf(features, size() + other.size());
        int[] l = Arrays.copyOf(labels, size() + other.size());
        System.arraycopy(other.features, 0, f, size(), other.size());
        System.arraycopy(other.labels, 0, l, size(), other.size());
        return new Dataset(f, l);
    }
}
