package io.mycroft.experiments.pipeline;

import io.mycroft.experiments.data.CsvFiles;
import io.mycroft.experiments.data.DatasetId;
import io.mycroft.experiments.scenario.GeneratedData;
import io.mycroft.experiments.scenario.OwnerDataGenerator;
import io.mycroft.inference.model.Dataset;
import io.mycroft.schemas.idx.IdxFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The generator's truth about one owner's samples ({@code truth/<owner>.csv}: was the given label flipped? is the
 * sample a copy?), looked up by a sample's content as it streamed in (label and features, pixels / 255 for images as
 * the connector decodes them): exact copies share content and truth, so the lookup needs no sample ids.
 */
public final class OwnerTruth {
    private final Map<String, Boolean> flippedByContent;
    /** The content of the owner's copies that is not also the content of one of its fresh samples. */
    private final Set<String> copyOnlyContent;

    private OwnerTruth(Map<String, Boolean> flippedByContent, Set<String> copyOnlyContent) {
        this.flippedByContent = flippedByContent;
        this.copyOnlyContent = copyOnlyContent;
    }

    public static OwnerTruth load(SeedSetup setup, GeneratedData.OwnerFiles owner) throws IOException {
        Path dir = setup.ownerDirectory(owner);
        DatasetId id = setup.scenario().dataset();
        Dataset data;
        if (id.kind() == DatasetId.Kind.IMAGE) {
            float[][] images = IdxFiles.readImages(dir.resolve("data-images-idx3-ubyte.gz"));
            for (float[] image : images) {
                for (int p = 0; p < image.length; p++) {
                    image[p] /= 255f;
                }
            }
            data = new Dataset(images, IdxFiles.readLabels(dir.resolve("data-labels-idx1-ubyte.gz")));
        } else {
            data = CsvFiles.read(dir.resolve("data.csv"), id).pool();
        }
        List<String> truth = Files.readAllLines(setup.generatedDir().resolve(OwnerDataGenerator.TRUTH_DIR)
                .resolve(owner.id() + ".csv"));
        List<String> header = Arrays.asList(truth.get(0).split(","));
        int flippedColumn = header.indexOf("label_flipped");
        int copyColumn = header.indexOf("copy");
        Map<String, Boolean> flipped = new HashMap<>();
        Set<String> copies = new HashSet<>();
        Set<String> fresh = new HashSet<>();
        for (int i = 0; i < data.size(); i++) {
            String key = key(data.features()[i], data.labels()[i]);
            String[] row = truth.get(i + 1).split(",", -1);
            flipped.put(key, Boolean.parseBoolean(row[flippedColumn]));
            (row[copyColumn].isEmpty() ? fresh : copies).add(key);
        }
        copies.removeAll(fresh);
        return new OwnerTruth(flipped, copies);
    }

    /**
     * How many samples of {@code subset} are copies the owner did not hold fresh: rescaled copies of its own samples and
     * copies of another owner's (an exact copy of its own sample is that sample's content and counts as the sample).
     */
    public int copies(Dataset subset) {
        int n = 0;
        for (int i = 0; i < subset.size(); i++) {
            n += copyOnlyContent.contains(key(subset.features()[i], subset.labels()[i])) ? 1 : 0;
        }
        return n;
    }

    /** Whether the given label of the owner's sample with these features and label is its true class. */
    public boolean cleanLabel(float[] features, int label) {
        Boolean flipped = flippedByContent.get(key(features, label));
        if (flipped == null) {
            throw new IllegalStateException("a sample of label " + label + " is not among the owner's generated samples");
        }
        return !flipped;
    }

    /** The fraction of {@code subset} whose given label is the true class; null for an empty subset. */
    public Double labelPurity(Dataset subset) {
        if (subset.size() == 0) {
            return null;
        }
        long clean = 0;
        for (int i = 0; i < subset.size(); i++) {
            clean += cleanLabel(subset.features()[i], subset.labels()[i]) ? 1 : 0;
        }
        return clean / (double) subset.size();
    }

    private static String key(float[] features, int label) {
        return label + ":" + Arrays.toString(features);
    }
}
