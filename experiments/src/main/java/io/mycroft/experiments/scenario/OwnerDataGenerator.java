package io.mycroft.experiments.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mycroft.experiments.data.CsvFiles;
import io.mycroft.experiments.data.SourceData;
import io.mycroft.inference.model.Dataset;
import io.mycroft.experiments.data.DatasetId;
import io.mycroft.schemas.idx.IdxFiles;
import io.mycroft.experiments.data.PngFolders;
import io.mycroft.experiments.data.SeededRandom;
import io.mycroft.experiments.scenario.Scenario.Corruption;
import io.mycroft.experiments.scenario.Scenario.Owner;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
  * Turns a scenario, a data set and a seed into files: the MT's train / validation (the D_hard candidates) / test
  * data, and one directory per owner holding what that owner's system would have — {@code data.csv} (header, feature
  * columns, {@code label}) for tabular data, {@code images-idx3-ubyte.gz} + {@code labels-idx1-ubyte.gz} for images.
  *
  * <p>The split is deterministic in (scenario, seed): each class's samples are shuffled once; the MT takes its
  * quota first, then the owners in file order take theirs without replacement, so no sample is in two places except
  * declared duplicates. Per owner, in this order and on fresh (non-duplicate) samples only: domain shift, feature
  * corruption of exactly round(fraction·n) samples, label flips of exactly round(labelNoise·n) samples to a uniformly
  * chosen other class (or, with labelFlips, of round(labelNoise·m) of the m samples of the named classes to the class
  * named for each) — all before any selection sees the data (DESIGN §3, honest experiments). Then the copies:
  * exact and rescaled copies of distinct fresh samples of the owner's own ({@link Scenario.Duplicates}), and the
  * overlap, exact copies of distinct final samples of the earlier owner it names. Each owner's samples are finally
  * shuffled into arrival order.
  */
public final class OwnerDataGenerator {
    public static final String MODEL_TRAINER_DIR = "model-trainer";
    public static final String OWNERS_DIR = "owners";
    public static final String TRUTH_DIR = "truth";
    public static final String MANIFEST = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** How an image owner's directory is laid out; tabular owners always get {@code data.csv}. */
    public enum ImageLayout {
        /** {@code data-images-idx3-ubyte.gz} + {@code data-labels-idx1-ubyte.gz}, samples in arrival order. */
        IDX,
        /**
          * One folder per label ({@link PngFolders#labelFolder}), one grayscale PNG per sample named by its arrival
          * position ({@code 00017.png}), so the name order is the arrival order.
          */
        PNG_FOLDERS
    }

    private final Scenario scenario;
    private final SourceData data;
    private final ImageLayout layout;
    private final long seed;
    private final List<String> classes;
    private final int numClasses;

    /** Where a sample comes from: the pool (fresh), or a copy of an owner's sample; the truth files' {@code copy}. */
    enum Copy {
        FRESH(""), EXACT("exact"), RESCALED("rescaled"), OVERLAP("overlap");

        final String label;

        Copy(String label) {
            this.label = label;
        }
    }

    /** One sample as an owner holds it, with the truth the evaluation needs; {@code copyOf} is "" for fresh ones. */
    private record Row(float[] features, int trueLabel, int givenLabel, int sourceIndex, boolean flipped,
                       boolean corrupted, Copy copy, String copyOf) {
        Row copied(float[] x, Copy kind, String owner) {
            return new Row(x, trueLabel, givenLabel, sourceIndex, flipped, corrupted, kind, owner);
        }
    }

    private OwnerDataGenerator(Scenario scenario, SourceData data, long seed, ImageLayout layout) {
        if (data.id() != scenario.dataset()) {
            throw new IllegalArgumentException("scenario " + scenario.name() + " is for " + scenario.dataset().fileName()
                    + " but the data given is " + data.id().fileName());
        }
        this.scenario = scenario;
        this.data = data;
        this.seed = seed;
        this.classes = scenario.dataset().classNames();
        this.numClasses = classes.size();
        this.layout = layout;
    }

    /** Writes everything under {@code outDir} (created if needed) and returns the manifest it also saved there. */
    public static GeneratedData generate(Scenario scenario, SourceData data, long seed, Path outDir)
            throws IOException {
        return generate(scenario, data, seed, outDir, ImageLayout.IDX);
    }

    /** As {@link #generate(Scenario, SourceData, long, Path)}, with image owners laid out as {@code layout}. */
    public static GeneratedData generate(Scenario scenario, SourceData data, long seed, Path outDir,
                                                                              ImageLayout layout) throws IOException {
        return new OwnerDataGenerator(scenario, data, seed, layout).run(outDir);
    }

    private GeneratedData run(Path outDir) throws IOException {
        Dataset pool = data.pool();
        Scenario.ModelTrainerData mt = scenario.modelTrainer();
        List<List<Integer>> poolByClass = shuffledByClass(pool, "split:pool");
        List<List<Integer>> testByClass = data.test().map(t -> shuffledByClass(t, "split:test")).orElse(null);
        boolean separateTest = testByClass != null;

        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        List<String> capped = new ArrayList<>();
        List<List<Integer>> ownerPool = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            List<Integer> idx = poolByClass.get(c);
            int wantTrain = mt.weakClasses().contains(classes.get(c)) ? mt.weakTrainPerClass() : mt.trainPerClass();
            int wantVal = mt.validationPerClass();
            int wantTest = separateTest ? 0 : mt.testPerClass();
            int need = wantTrain + wantVal + wantTest;
            if (need > idx.size()) {
                // too small a class: scale every quota down in proportion, give the remainder to training
                capped.add(classes.get(c));
                wantVal = (int) ((long) wantVal * idx.size() / need);
                wantTest = (int) ((long) wantTest * idx.size() / need);
                wantTrain = idx.size() - wantVal - wantTest;
            }
            int at = 0;
            train.addAll(idx.subList(at, at += wantTrain));
            validation.addAll(idx.subList(at, at += wantVal));
            if (!separateTest) {
                test.addAll(idx.subList(at, at += wantTest));
            }
            ownerPool.add(new ArrayList<>(idx.subList(at, idx.size())));
            if (separateTest) {
                List<Integer> t = testByClass.get(c);
                test.addAll(t.subList(0, Math.min(mt.testPerClass(), t.size())));
            }
        }
        Dataset testSet = data.test().orElse(pool);

        Path mtDir = outDir.resolve(MODEL_TRAINER_DIR);
        Files.createDirectories(mtDir);
        writeSplit(mtDir, "train", pool, train);
        writeSplit(mtDir, "validation", pool, validation);
        writeSplit(mtDir, "test", testSet, test);
        GeneratedData.ModelTrainerSplit mtSplit = new GeneratedData.ModelTrainerSplit(MODEL_TRAINER_DIR,
                counts(pool, train), counts(pool, validation), counts(testSet, test), mt.weakClasses(), capped);

        double[] featureStd = featureStd(pool);
        Map<String, List<Row>> finalRows = new LinkedHashMap<>();
        List<GeneratedData.OwnerFiles> ownerFiles = new ArrayList<>();
        for (int o = 0; o < scenario.owners().size(); o++) {
            Owner owner = scenario.owners().get(o);
            List<Row> rows = ownerRows(o, owner, ownerPool, featureStd, finalRows);
            finalRows.put(owner.id(), rows);
            ownerFiles.add(writeOwner(outDir, owner, rows));
        }
        GeneratedData manifest = new GeneratedData(scenario.name(), seed, scenario.dataset().fileName(), mtSplit,
                ownerFiles);
        JSON.writeValue(outDir.resolve(MANIFEST).toFile(), manifest);
        return manifest;
    }

    private static void flip(List<Row> rows, int i, int given) {
        Row r = rows.get(i);
        rows.set(i, new Row(r.features(), r.trueLabel(), given, r.sourceIndex(), true, r.corrupted(), Copy.FRESH, ""));
    }

    private List<Row> ownerRows(int index, Owner owner, List<List<Integer>> ownerPool, double[] featureStd,
                                                            Map<String, List<Row>> earlier) {
        String tag = "owner:" + owner.id();
        int shared = owner.overlap().map(d -> (int) Math.round(d.fraction() * owner.size())).orElse(0);
        int exact = (int) Math.round(owner.duplicates().exact() * owner.size());
        int rescaled = (int) Math.round(owner.duplicates().rescaled() * owner.size());
        int fresh = owner.size() - shared - exact - rescaled;
        int[] perClass = apportion(fresh, owner.classMix());
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            List<Integer> available = ownerPool.get(c);
            if (perClass[c] > available.size()) {
                throw new OwnerDataException("owners[" + index + "] (" + owner.id() + "): needs " + perClass[c]
                        + " samples of class " + classes.get(c) + ", only " + available.size()
                        + " are left after the model trainer's data and earlier owners; lower its size or that class's weight");
            }
            List<Integer> taken = available.subList(0, perClass[c]);
            for (int source : taken) {
                rows.add(new Row(data.pool().features()[source].clone(), c, c, source, false, false, Copy.FRESH, ""));
            }
            taken.clear();
        }
        boolean image = scenario.dataset().kind() == DatasetId.Kind.IMAGE;
        if (owner.domainShift() != 0) {
            for (Row r : rows) {
                shift(r.features(), owner.domainShift(), featureStd, image);
            }
        }
        Corruption corruption = owner.corruption();
        if (corruption.kind() != Corruption.Kind.NONE) {
            SeededRandom rng = SeededRandom.of(seed, tag + ":corruption");
            for (int i : rng.choose(rows.size(), (int) Math.round(corruption.fraction() * rows.size()))) {
                Row r = rows.get(i);
                corrupt(r.features(), corruption, featureStd, image, rng);
                rows.set(i, new Row(r.features(), r.trueLabel(), r.givenLabel(), r.sourceIndex(), false, true, Copy.FRESH,
                        ""));
            }
        }
        if (owner.labelNoise() > 0 && owner.labelFlips().isEmpty()) {
            SeededRandom rng = SeededRandom.of(seed, tag + ":labels");
            for (int i : rng.choose(rows.size(), (int) Math.round(owner.labelNoise() * rows.size()))) {
                int other = rng.nextInt(numClasses - 1);
                flip(rows, i, other >= rows.get(i).trueLabel() ? other + 1 : other); // uniform over the other classes
            }
        } else if (owner.labelNoise() > 0) {
            SeededRandom rng = SeededRandom.of(seed, tag + ":label-flips");
            int[] flippable = IntStream.range(0, rows.size())
                    .filter(i -> owner.labelFlips().containsKey(classes.get(rows.get(i).trueLabel()))).toArray();
            for (int i : rng.choose(flippable.length, (int) Math.round(owner.labelNoise() * flippable.length))) {
                Row r = rows.get(flippable[i]);
                flip(rows, flippable[i], classes.indexOf(owner.labelFlips().get(classes.get(r.trueLabel()))));
            }
        }
        int freshRows = rows.size();
        if (exact > 0) {
            for (int i : SeededRandom.of(seed, tag + ":exact-copies").choose(freshRows, exact)) {
                rows.add(rows.get(i).copied(rows.get(i).features().clone(), Copy.EXACT, owner.id()));
            }
        }
        if (rescaled > 0) {
            SeededRandom rng = SeededRandom.of(seed, tag + ":rescaled-copies");
            for (int i : rng.choose(freshRows, rescaled)) {
                double factor = Scenario.Duplicates.RESCALE_MIN
                        + (Scenario.Duplicates.RESCALE_MAX - Scenario.Duplicates.RESCALE_MIN) * rng.nextDouble();
                rows.add(rows.get(i).copied(rescale(rows.get(i).features(), factor, image), Copy.RESCALED, owner.id()));
            }
        }
        if (shared > 0) {
            String sourceId = owner.overlap().orElseThrow().owner();
            List<Row> source = earlier.get(sourceId);
            SeededRandom rng = SeededRandom.of(seed, tag + ":duplicates"); // its name before "overlap": same data as then
            for (int i : rng.choose(source.size(), shared)) {
                rows.add(source.get(i).copied(source.get(i).features().clone(), Copy.OVERLAP, sourceId));
            }
        }
        int[] order = new int[rows.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SeededRandom.of(seed, tag + ":arrival").shuffle(order);
        List<Row> arrival = new ArrayList<>(rows.size());
        for (int i : order) {
            arrival.add(rows.get(i));
        }
        return arrival;
    }

    /** Largest-remainder split of n over the classes by weight; ties go to the lower class id. */
    int[] apportion(int n, Map<String, Double> mix) {
        int[] counts = new int[numClasses];
        double[] remainder = new double[numClasses];
        int assigned = 0;
        for (int c = 0; c < numClasses; c++) {
            double exact = n * mix.getOrDefault(classes.get(c), 0.0);
            counts[c] = (int) Math.floor(exact + 1e-9);
            remainder[c] = mix.getOrDefault(classes.get(c), 0.0) > 0 ? exact - counts[c] : -1;
            assigned += counts[c];
        }
        for (; assigned < n; assigned++) {
            int best = 0;
            for (int c = 1; c < numClasses; c++) {
                if (remainder[c] > remainder[best]) {
                    best = c;
                }
            }
            counts[best]++;
            remainder[best] = -1;
        }
        return counts;
    }

    private static void shift(float[] x, double amount, double[] std, boolean image) {
        for (int j = 0; j < x.length; j++) {
            x[j] = image ? clampPixel(Math.rint(x[j] + amount * 255)) : (float) (x[j] + amount * std[j]);
        }
    }

    private static void corrupt(float[] x, Corruption c, double[] std, boolean image, SeededRandom rng) {
        if (c.kind() == Corruption.Kind.OCCLUSION) {
            int side = Math.max(1, (int) Math.round(c.severity() * IdxFiles.SIDE));
            int top = rng.nextInt(IdxFiles.SIDE - side + 1);
            int left = rng.nextInt(IdxFiles.SIDE - side + 1);
            for (int r = top; r < top + side; r++) {
                for (int col = left; col < left + side; col++) {
                    x[r * IdxFiles.SIDE + col] = 0;
                }
            }
            return;
        }
        for (int j = 0; j < x.length; j++) {
            double noise = rng.nextGaussian() * c.severity() * (image ? 255 : std[j]);
            x[j] = image ? clampPixel(Math.rint(x[j] + noise)) : (float) (x[j] + noise);
        }
    }

    private static float[] rescale(float[] x, double factor, boolean image) {
        float[] y = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            y[j] = image ? clampPixel(Math.rint(x[j] * factor)) : (float) (x[j] * factor);
        }
        return y;
    }

    private static float clampPixel(double v) {
        return (float) Math.max(0, Math.min(255, v));
    }

    private List<List<Integer>> shuffledByClass(Dataset d, String purpose) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < d.size(); i++) {
            byClass.get(d.labels()[i]).add(i);
        }
        for (int c = 0; c < numClasses; c++) {
            int[] idx = byClass.get(c).stream().mapToInt(Integer::intValue).toArray();
            SeededRandom.of(seed, purpose + ":" + c).shuffle(idx);
            List<Integer> shuffled = new ArrayList<>(idx.length);
            for (int i : idx) {
                shuffled.add(i);
            }
            byClass.set(c, shuffled);
        }
        return byClass;
    }

    private static double[] featureStd(Dataset d) {
        int dim = d.featureCount();
        double[] mean = new double[dim];
        double[] sq = new double[dim];
        for (float[] x : d.features()) {
            for (int j = 0; j < dim; j++) {
                mean[j] += x[j];
                sq[j] += (double) x[j] * x[j];
            }
        }
        double[] std = new double[dim];
        for (int j = 0; j < dim; j++) {
            double m = mean[j] / d.size();
            std[j] = Math.sqrt(Math.max(0, sq[j] / d.size() - m * m));
        }
        return std;
    }

    private Map<String, Integer> counts(Dataset d, List<Integer> indices) {
        int[] n = new int[numClasses];
        indices.forEach(i -> n[d.labels()[i]]++);
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int c = 0; c < numClasses; c++) {
            m.put(classes.get(c), n[c]);
        }
        return m;
    }

    private void writeSplit(Path dir, String split, Dataset d, List<Integer> indices) throws IOException {
        List<Integer> sorted = indices.stream().sorted().toList();
        float[][] x = sorted.stream().map(i -> d.features()[i]).toArray(float[][]::new);
        int[] y = sorted.stream().mapToInt(i -> d.labels()[i]).toArray();
        writeSamples(dir, split, x, y);
    }

    private List<String> writeSamples(Path dir, String prefix, float[][] x, int[] y) throws IOException {
        if (scenario.dataset().kind() == DatasetId.Kind.IMAGE) {
            String images = prefix + "-images-idx3-ubyte.gz";
            String labels = prefix + "-labels-idx1-ubyte.gz";
            IdxFiles.writeImages(dir.resolve(images), x);
            IdxFiles.writeLabels(dir.resolve(labels), y);
            return List.of(images, labels);
        }
        String csv = prefix + ".csv";
        CsvFiles.write(dir.resolve(csv), data.featureNames(), classes, x, y);
        return List.of(csv);
    }

    private GeneratedData.OwnerFiles writeOwner(Path outDir, Owner owner, List<Row> rows) throws IOException {
        Path dir = outDir.resolve(OWNERS_DIR).resolve(owner.id());
        Files.createDirectories(dir);
        float[][] x = rows.stream().map(Row::features).toArray(float[][]::new);
        int[] given = rows.stream().mapToInt(Row::givenLabel).toArray();
        List<String> files = scenario.dataset().kind() == DatasetId.Kind.IMAGE && layout == ImageLayout.PNG_FOLDERS
                ? PngFolders.write(dir, classes, x, given)
                : writeSamples(dir, "data", x, given);

        Path truthDir = outDir.resolve(TRUTH_DIR);
        Files.createDirectories(truthDir);
        try (Writer w = Files.newBufferedWriter(truthDir.resolve(owner.id() + ".csv"), StandardCharsets.UTF_8)) {
            w.write("position,source_index,true_label,given_label,label_flipped,corrupted,copy,copy_of\n");
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                w.write(i + "," + r.sourceIndex() + "," + classes.get(r.trueLabel()) + "," + classes.get(r.givenLabel()) + ","
                        + r.flipped() + "," + r.corrupted() + "," + r.copy().label + "," + r.copyOf() + "\n");
            }
        }
        Map<String, Integer> trueCounts = new LinkedHashMap<>();
        classes.forEach(c -> trueCounts.put(c, 0));
        rows.forEach(r -> trueCounts.merge(classes.get(r.trueLabel()), 1, Integer::sum));
        Map<Copy, Integer> kinds = new LinkedHashMap<>();
        rows.forEach(r -> kinds.merge(r.copy(), 1, Integer::sum));
        int flipped = (int) rows.stream().filter(r -> r.flipped() && r.copy() == Copy.FRESH).count();
        int corrupted = (int) rows.stream().filter(r -> r.corrupted() && r.copy() == Copy.FRESH).count();
        return new GeneratedData.OwnerFiles(owner.id(), OWNERS_DIR + "/" + owner.id(), files, rows.size(),
                owner.arrivalRate(), owner.startAfter(), trueCounts, flipped, corrupted, kinds.getOrDefault(Copy.EXACT, 0),
                kinds.getOrDefault(Copy.RESCALED, 0), kinds.getOrDefault(Copy.OVERLAP, 0),
                owner.overlap().map(Scenario.Overlap::owner).orElse(""));
    }
}
