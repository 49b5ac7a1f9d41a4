package io.mycroft.experiments.data;

import io.mycroft.inference.model.Dataset;
import java.util.List;
import java.util.Optional;

/**
 * A data set as loaded from its files: the samples of {@code pool} (pixels 0–255 row-major for images, the numeric
 * columns for tabular data; labels index {@link DatasetId#classNames()}) and, when the data set has one, its separate
 * {@code test} split; {@code featureNames} name the columns.
 */
public record SourceData(DatasetId id, List<String> featureNames, Dataset pool, Optional<Dataset> test) {
    public SourceData {
        featureNames = List.copyOf(featureNames);
    }
}
