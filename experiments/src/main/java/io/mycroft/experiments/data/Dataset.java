package io.mycroft.experiments.data;

import java.util.List;

/**
  * Labelled samples of one data set split: {@code features[i]} (pixels 0–255 row-major for images, the numeric
  * columns for tabular data) with class id {@code labels[i]} (an index into {@link DatasetId#classNames()}).
  */
public record Dataset(DatasetId id, List<String> featureNames, float[][] features, int[] labels) {
    public Dataset {
        if (features.length != labels.length) {
            throw new IllegalArgumentException(features.length + " feature rows but " + labels.length + " labels");
        }
        featureNames = List.copyOf(featureNames);
    }

    public int size() {
        return labels.length;
    }

    /** A pool of samples and, when the data set has one, its separate test split. */
    public record Splits(Dataset pool, java.util.Optional<Dataset> test) {}
}
