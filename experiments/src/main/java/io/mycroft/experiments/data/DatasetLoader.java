package io.mycroft.experiments.data;

import io.mycroft.inference.model.Dataset;
import io.mycroft.schemas.idx.IdxFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Loads a shipped data set from the repository's {@code data/} folder (layout in data/README.md). */
public final class DatasetLoader {
    private DatasetLoader() {}

    public static SourceData load(Path dataDir, DatasetId id) throws IOException {
        if (id.kind() == DatasetId.Kind.IMAGE) {
            Path dir = dataDir.resolve(id.fileName());
            return new SourceData(id, pixelNames(), images(dir, "train"), Optional.of(images(dir, "test")));
        }
        return CsvFiles.read(dataDir.resolve(id.fileName() + ".csv.gz"), id);
    }

    private static Dataset images(Path dir, String split) throws IOException {
        float[][] images = IdxFiles.readImages(dir.resolve(split + "-images-idx3-ubyte.gz"));
        int[] labels = IdxFiles.readLabels(dir.resolve(split + "-labels-idx1-ubyte.gz"));
        return new Dataset(images, labels);
    }

    /** {@code px0 .. px783}, row-major. */
    public static List<String> pixelNames() {
        List<String> names = new ArrayList<>(IdxFiles.SIDE * IdxFiles.SIDE);
        for (int p = 0; p < IdxFiles.SIDE * IdxFiles.SIDE; p++) {
            names.add("px" + p);
        }
        return names;
    }
}
