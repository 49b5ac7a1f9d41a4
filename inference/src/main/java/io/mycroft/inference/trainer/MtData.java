package io.mycroft.inference.trainer;

import io.mycroft.inference.model.Dataset;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The model trainer's data, from an IDX directory (Fashion-MNIST layout): training = the {@code train} set (first
 * {@code limit} samples if limit &gt; 0); the {@code t10k} set split in two halves, validation (D_hard is chosen there)
 * and test.
 */
public record MtData(Dataset training, Dataset validation, Dataset test) {
    public static MtData read(Path dir, int limit) throws IOException {
        Dataset train = Dataset.idx(dir, "train");
        if (limit > 0 && limit < train.size()) {
            train = train.slice(0, limit);
        }
        Dataset t10k = Dataset.idx(dir, "t10k");
        int half = t10k.size() / 2;
        return new MtData(train, t10k.slice(0, half), t10k.slice(half, t10k.size()));
    }
}
