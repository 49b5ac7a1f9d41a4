package io.mycroft.cli.experiment;

import io.mycroft.cli.demo.Demo;
import io.mycroft.experiments.data.CsvFiles;
import io.mycroft.experiments.data.DatasetId;
import io.mycroft.experiments.data.DatasetLoader;
import io.mycroft.experiments.data.GeneratedData;
import io.mycroft.experiments.data.HardSetSplit;
import io.mycroft.experiments.data.OwnerDataGenerator;
import io.mycroft.experiments.metrics.KCenterGreedy;
import io.mycroft.experiments.metrics.RandomBaseline;
import io.mycroft.experiments.report.ReportWriter;
import io.mycroft.experiments.report.Results;
import io.mycroft.experiments.report.ResultsCalculator;
import io.mycroft.experiments.report.SeedRun;
import io.mycroft.experiments.scenario.Scenario;
import io.mycroft.inference.DjlRuntime;
import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.IdxFiles;
import io.mycroft.inference.model.MlpSpec;
import io.mycroft.inference.model.MlpTrainer;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.model.Predictions;
import io.mycroft.inference.trainer.Evaluator;
import io.mycroft.inference.trainer.HardSetRequests;
import io.mycroft.inference.vectors.LastLayerGradient;
import io.mycroft.inference.vectors.RandomProjection;
import io.mycroft.inference.vectors.SampleGradients;
import io.mycroft.processors.math.Candidate;
import io.mycroft.processors.math.ClassResidual;
import io.mycroft.processors.math.FuncFeat;
import io.mycroft.processors.math.OmpOptions;
import io.mycroft.processors.math.OmpPath;
import io.mycroft.processors.math.OrthogonalMatchingPursuit;
import io.mycroft.processors.math.OwnerScore;
import io.mycroft.processors.math.PerClassOmp;
import io.mycroft.processors.math.RetrieveTopK;
import io.mycroft.processors.math.SampleEmbedding;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code mycroft experiment}: a scenario over its seeds, in process and without Kafka. Per seed: generate the data,
 * train the MT model ({@link Demo#HIDDEN}, {@link Demo#TRAIN}), select D_hard, compute every hard and owner sample's
 * gradient and embedding with the inference module's closed form ({@link SampleGradients}, as the worker does), select
 * per owner and per budget with the processors' math in batch form (per-class OMP for GRADIENT/FUNCFEAT,
 * RetrieveTopK for FEATURE, options mapped as the Streams app's request plan maps them), score owners with
 * {@link OwnerScore}, and fine-tune ({@link Evaluator}, {@link Demo#FINE_TUNE}) on every subset, on the random and
 * K-Center baselines and on each owner's full relevant data. Batch equals streamed selection by the topology's tests
 * and the audit replay; the streaming path end to end is {@code mycroft demo}.
 */
public final class ExperimentRunner {
    /** Where one run writes and reads. */
    public record Settings(Path dataDir, Path workDir, Path reportsRoot, List<Long> seeds) {
    }

    private final Settings settings;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final Map<String, Double> timings = new LinkedHashMap<>();

    public ExperimentRunner(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    private double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }

    private void step(String what) {
        out.printf(Locale.ROOT, "[%6.1fs] %s%n", elapsed(), what);
    }

    /** Runs every seed and writes {@code <reportsRoot>/<scenario>/}; returns the results. */
    public Results run(Scenario scenario) throws Exception {
        if (scenario.owners().size() < 2) {
            throw new IllegalArgumentException("an experiment ranks owners: it needs at least 2, scenario has " + scenario.owners().size());
        }
        SelectionOptions options = HardSetRequests.defaultOptions();
        if (!options.getPerClass()) {
            throw new IllegalStateException("the experiment runner selects per class only");
        }
        List<SelectionMethod> methods = scenario.methods().isEmpty() ? List.of(SelectionMethod.GRADIENT) : scenario.methods();
        String primary = methods.get(0).name();
        DjlRuntime.start();
        List<SeedRun> runs = new ArrayList<>();
        for (long seed : settings.seeds()) {
            double t0 = elapsed();
            runs.add(runSeed(scenario, seed, methods, options));
            timings.put("seed " + seed, Math.round((elapsed() - t0) * 10) / 10.0);
        }
        Results results = ResultsCalculator.compute(scenario.name(), scenario.dataset().name(),
                scenario.owners().stream().map(Scenario.Owner::id).toList(), primary, runs);
        timings.put("total", Math.round(elapsed() * 10) / 10.0);
        Path dir = ReportWriter.write(settings.reportsRoot(), results, description(scenario), Map.of(), Map.of());
        step("report: " + dir.resolve("README.md") + " and " + dir.resolve("results.json"));
        return results;
    }

    private String description(Scenario scenario) {
        StringBuilder d = new StringBuilder();
        if (scenario.description() != null && !scenario.description().isBlank()) {
            d.append(scenario.description().strip()).append("\n\n");
        }
        d.append("**How this was run.** `mycroft experiment` runs selection in *batch form*, in one process without Kafka: "
                + "per seed it generates the scenario's data, trains the MT's MLP (hidden layers ")
                .append(String.join("-", Demo.HIDDEN.stream().map(String::valueOf).toList()))
                .append(", ").append(Demo.TRAIN.epochs()).append(" epochs; images as pixels / 255, tabular rows as their raw "
                        + "column values), takes D_hard from its wrong weak-class "
                        + "validation samples, computes every sample's last-layer gradient and penultimate embedding with the "
                        + "inference module's closed form (as the inference worker does), and selects per owner and budget with "
                        + "the same math the Streams app uses: per-class OMP (GRADIENT, FUNCFEAT) and RetrieveTopK (FEATURE), "
                        + "with the request's default selection options; owners are scored with OwnerScore. That batch "
                        + "selection equals the streamed one is shown by the topology tests (incremental vs batch OMP, "
                        + "streaming vs batch RetrieveTopK) and by the audit replay, and this runner's own selection is checked against "
                        + "the streaming primitives fed in arrival batches (cli's BatchSelectionTest: same subsets, bit-identical "
                        + "scores); `mycroft demo` runs the streaming pipeline end to end.\n\n");
        d.append("**What is measured.** The owner ranking uses the primary method's score at the largest budget. "
                + "Full information fine-tunes the MT model on its own data plus each owner's samples of the weak classes "
                + "(by the owner's given labels) and measures held-out D_hard accuracy. Per seed, the accuracy-vs-budget rows "
                + "are for the owner Mycroft ranks first on that seed: its Mycroft subset, a per-class random subset and a "
                + "per-class K-Center subset (starting from the D_hard embeddings) of the same per-class budgets, and all its "
                + "weak-class data (full information). Every fine-tune: MT data ∪ subset, ")
                .append(Demo.FINE_TUNE.epochs()).append(" epochs, seed ").append(Demo.FINE_TUNE.seed())
                .append("; \"MT alone\" is the same fine-tune with no owner data. No ranking-over-time or residual charts: "
                        + "this path has no stream.\n\n");
        d.append("**Timings (s):** ");
        List<String> parts = new ArrayList<>();
        timings.forEach((k, v) -> parts.add(k + " " + v));
        d.append(String.join(", ", parts)).append('.');
        return d.toString();
    }

    private SeedRun runSeed(Scenario scenario, long seed, List<SelectionMethod> methods, SelectionOptions options) throws Exception {
        Path seedDir = settings.workDir().resolve(scenario.name()).resolve("seed-" + seed);
        step("seed " + seed + ": generating scenario '" + scenario.name() + "' under " + seedDir);
        GeneratedData generated = OwnerDataGenerator.generate(scenario, DatasetLoader.load(settings.dataDir(), scenario.dataset()),
                seed, seedDir);
        Path mtDir = seedDir.resolve(OwnerDataGenerator.MODEL_TRAINER_DIR);
        Dataset train = read(mtDir, "train", scenario.dataset());
        Dataset validation = read(mtDir, "validation", scenario.dataset());
        Dataset test = read(mtDir, "test", scenario.dataset());
        List<String> ownerIds = scenario.owners().stream().map(Scenario.Owner::id).toList();
        Map<String, Dataset> ownerData = new LinkedHashMap<>();
        for (GeneratedData.OwnerFiles o : generated.owners()) {
            Path dir = Path.of(o.directory()).isAbsolute() ? Path.of(o.directory()) : seedDir.resolve(o.directory());
            ownerData.put(o.id(), read(dir, "data", scenario.dataset()));
        }

        List<String> classNames = scenario.dataset().classNames();
        MlpSpec spec = new MlpSpec(train.featureCount(), Demo.HIDDEN, classNames.size());
        List<Integer> weak = scenario.modelTrainer().weakClasses().stream().map(classNames::indexOf).sorted().toList();
        ModelArtifact artifact;
        HardSetSplit split;
        Map<Integer, List<float[]>> hardGradients = new TreeMap<>();
        Map<Integer, List<SampleEmbedding>> hardEmbeddings = new TreeMap<>();
        Map<String, SampleGradients.Vectors[]> ownerVectors = new LinkedHashMap<>();
        try (Network network = MlpTrainer.train("experiment-mlp", spec, train, Demo.TRAIN)) {
            artifact = ModelArtifacts.djl("experiment-" + scenario.name() + "-" + seed, 1, spec, network, Instant.now());
            float[][] logits = Predictions.logits(network, validation);
            int[] predicted = new int[logits.length];
            for (int i = 0; i < logits.length; i++) {
                predicted[i] = Predictions.argmax(logits[i]);
            }
            long[] ids = new long[validation.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i;
            }
            split = HardSetSplit.select(ids, validation.labels(), predicted, weak, scenario.hardSet().sharedPerClass(), seed);
            RandomProjection projection = options.getProjectionDim() == null ? null
                    : new RandomProjection(LastLayerGradient.dim(network.classes(), network.embeddingDim()),
                    options.getProjectionDim(), options.getProjectionSeed());
            SampleGradients gradients = new SampleGradients(network, projection);
            for (Map.Entry<Integer, List<Long>> e : split.shared().entrySet()) {
                if (e.getValue().isEmpty()) {
                    continue;
                }
                int[] rows = e.getValue().stream().mapToInt(Long::intValue).toArray();
                Dataset hard = validation.select(rows);
                SampleGradients.Vectors[] v = gradients.compute(hard.features(), hard.labels());
                List<float[]> g = new ArrayList<>();
                List<SampleEmbedding> emb = new ArrayList<>();
                for (int i = 0; i < v.length; i++) {
                    g.add(v[i].gradient());
                    emb.add(new SampleEmbedding("v" + rows[i], v[i].embedding()));
                }
                hardGradients.put(e.getKey(), g);
                hardEmbeddings.put(e.getKey(), emb);
            }
            for (Map.Entry<String, Dataset> e : ownerData.entrySet()) {
                ownerVectors.put(e.getKey(), gradients.compute(e.getValue().features(), e.getValue().labels()));
            }
            step(String.format(Locale.ROOT, "seed %d: MT model test accuracy %.3f; D_hard %d shared, %d held out",
                    seed, Predictions.accuracy(network, test), hardGradients.values().stream().mapToInt(List::size).sum(),
                    split.heldOutIds().length));
        }
        int[] heldOut = java.util.Arrays.stream(split.heldOutIds()).mapToInt(l -> (int) l).toArray();
        if (hardGradients.isEmpty() || heldOut.length == 0) {
            throw new IllegalStateException("seed " + seed + ": the MT model gets too few weak-class validation samples wrong ("
                    + hardGradients.size() + " weak classes with a shared sample, " + heldOut.length + " held out)");
        }
        Dataset heldOutHard = validation.select(heldOut);

        // The MT alone: the same fine-tune without owner data.
        Evaluator.Gain alone = Evaluator.evaluate(artifact, train, new Dataset(new float[0][], new int[0]), heldOutHard, test, Demo.FINE_TUNE);
        SeedRun.Accuracy mtOnly = new SeedRun.Accuracy(alone.hardAfter(), alone.testAfter());

        // Owner scores (primary method, largest budget) and full information.
        int kMax = scenario.budgets().stream().mapToInt(Scenario.Budget::kPerHard).max().orElseThrow();
        SelectionMethod primary = methods.get(0);
        double[] mycroftScores = new double[ownerIds.size()];
        double[] fullScores = new double[ownerIds.size()];
        Map<String, SeedRun.Accuracy> fullAccuracy = new LinkedHashMap<>();
        for (int o = 0; o < ownerIds.size(); o++) {
            String id = ownerIds.get(o);
            Dataset data = ownerData.get(id);
            mycroftScores[o] = select(primary, kMax, data, ownerVectors.get(id), hardGradients, hardEmbeddings, options, id).score();
            int[] relevant = java.util.stream.IntStream.range(0, data.size())
                    .filter(i -> hardGradients.containsKey(data.labels()[i])).toArray();
            Evaluator.Gain full = Evaluator.evaluate(artifact, train, data.select(relevant), heldOutHard, test, Demo.FINE_TUNE);
            fullScores[o] = full.hardAfter();
            fullAccuracy.put(id, new SeedRun.Accuracy(full.hardAfter(), full.testAfter()));
            step(String.format(Locale.ROOT, "seed %d: %-10s %s score %.4f; full information (%d weak-class samples): "
                    + "held-out D_hard %.3f (MT alone %.3f)", seed, id, primary, mycroftScores[o], relevant.length,
                    full.hardAfter(), alone.hardAfter()));
        }
        int top = 0;
        for (int o = 1; o < mycroftScores.length; o++) {
            if (mycroftScores[o] > mycroftScores[top]) {
                top = o;
            }
        }
        String topId = ownerIds.get(top);
        Dataset topData = ownerData.get(topId);
        SampleGradients.Vectors[] topVectors = ownerVectors.get(topId);
        step("seed " + seed + ": Mycroft's top owner " + topId + "; fine-tuning per method and budget on its data");

        List<SeedRun.Measurement> measurements = new ArrayList<>();
        long[] ids = new long[topData.size()];
        float[][] embeddings = new float[topData.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
            embeddings[i] = topVectors[i].embedding();
        }
        for (Scenario.Budget b : scenario.budgets()) {
            Map<Integer, Integer> budgets = new TreeMap<>();
            hardGradients.forEach((c, g) -> budgets.put(c, PerClassOmp.budget(b.kPerHard(), g.size())));
            int total = budgets.values().stream().mapToInt(Integer::intValue).sum();
            for (SelectionMethod m : methods) {
                Selection s = select(m, b.kPerHard(), topData, topVectors, hardGradients, hardEmbeddings, options, topId);
                measurements.add(measure(m.name(), total, s.rows(), topData, artifact, train, heldOutHard, test, seed));
            }
            for (Scenario.Baseline baseline : scenario.baselines()) {
                List<Long> chosen = switch (baseline) {
                    case RANDOM -> RandomBaseline.selectPerClass(ids, topData.labels(), budgets, seed, topId)
                            .values().stream().flatMap(List::stream).toList();
                    case K_CENTER -> {
                        Map<Integer, float[][]> centers = new TreeMap<>();
                        hardEmbeddings.forEach((c, e) -> centers.put(c, e.stream().map(SampleEmbedding::vector).toArray(float[][]::new)));
                        yield KCenterGreedy.selectPerClass(embeddings, ids, topData.labels(), budgets, centers)
                                .values().stream().flatMap(List::stream).toList();
                    }
                    case FULL_INFORMATION -> null;
                };
                if (chosen != null) {
                    measurements.add(measure(baseline.name(), total, new TreeSet<>(chosen.stream().map(Long::intValue).toList()),
                            topData, artifact, train, heldOutHard, test, seed));
                }
            }
        }
        if (scenario.baselines().contains(Scenario.Baseline.FULL_INFORMATION)) {
            long relevant = java.util.Arrays.stream(topData.labels()).filter(hardGradients::containsKey).count();
            measurements.add(new SeedRun.Measurement(ResultsCalculator.FULL_INFORMATION, SeedRun.Measurement.ALL_DATA,
                    fullAccuracy.get(topId), relevant / (double) topData.size()));
        }
        return new SeedRun(seed, mycroftScores, fullScores, mtOnly, measurements);
    }

    private SeedRun.Measurement measure(String method, int budget, TreeSet<Integer> rows, Dataset owner, ModelArtifact artifact,
                                        Dataset train, Dataset heldOutHard, Dataset test, long seed) {
        Dataset subset = owner.select(rows.stream().mapToInt(Integer::intValue).toArray());
        Evaluator.Gain g = Evaluator.evaluate(artifact, train, subset, heldOutHard, test, Demo.FINE_TUNE);
        step(String.format(Locale.ROOT, "seed %d: %-16s budget %3d: %3d samples -> held-out D_hard %.3f, test %.3f",
                seed, method, budget, subset.size(), g.hardAfter(), g.testAfter()));
        return new SeedRun.Measurement(method, budget, new SeedRun.Accuracy(g.hardAfter(), g.testAfter()),
                subset.size() / (double) owner.size());
    }

    /** One owner's selection: the chosen rows of its data and its live score. */
    record Selection(TreeSet<Integer> rows, double score) {
    }

    /** Sample ids as the pipeline orders them: zero-padded row numbers, so string order = arrival order. */
    static String sampleId(int row) {
        return String.format(Locale.ROOT, "s%07d", row);
    }

    /**
     * Batch selection of one owner with the Streams app's math: per weak class c, OMP on the gradients against
     * y_c = Σ g_hard with budget k·|D_hard_c| (FUNCFEAT: penalty = distance of the embedding to the D_hard_c geometric
     * median) and/or RetrieveTopK on the embeddings; scored with {@link OwnerScore}.
     */
    static Selection select(SelectionMethod method, int k, Dataset data, SampleGradients.Vectors[] vectors,
                            Map<Integer, List<float[]>> hardGradients, Map<Integer, List<SampleEmbedding>> hardEmbeddings,
                            SelectionOptions o, String ownerId) {
        boolean gradients = method != SelectionMethod.FEATURE;
        boolean embeddings = method != SelectionMethod.GRADIENT;
        TreeSet<String> chosen = new TreeSet<>();
        List<ClassResidual> residuals = new ArrayList<>();
        List<RetrieveTopK.Selection> selections = new ArrayList<>();
        for (Map.Entry<Integer, List<float[]>> e : hardGradients.entrySet()) {
            int c = e.getKey();
            List<SampleEmbedding> hard = hardEmbeddings.get(c);
            FuncFeat funcFeat = method == SelectionMethod.FUNCFEAT ? FuncFeat.fit(hard) : null;
            List<Candidate> candidates = new ArrayList<>();
            List<SampleEmbedding> ownerEmbeddings = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                if (data.labels()[i] != c) {
                    continue;
                }
                SampleEmbedding emb = new SampleEmbedding(sampleId(i), vectors[i].embedding());
                if (gradients) {
                    candidates.add(new Candidate(sampleId(i), vectors[i].gradient(), funcFeat == null ? 0 : funcFeat.distance(emb)));
                }
                ownerEmbeddings.add(emb);
            }
            if (gradients) {
                OmpOptions options = OmpOptions.gradMatch(PerClassOmp.budget(k, hard.size())).withLambda(o.getRidgeLambda())
                        .withNonNegative(o.getNonNegative()).withNormalize(o.getNormalize()).withPaperSteps(!o.getFillToBudget())
                        .withEpsilon(o.getEpsilon() == null ? 0 : o.getEpsilon());
                if (funcFeat != null) {
                    options = options.withFuncFeat(o.getFuncFeatLambda());
                }
                OmpPath path = OrthogonalMatchingPursuit.solve(PerClassOmp.target(e.getValue()), candidates, options);
                chosen.addAll(path.subset().sampleIds());
                residuals.add(new ClassResidual(path.residualNorm(), path.targetNorm()));
            }
            if (embeddings) {
                RetrieveTopK.Selection s = RetrieveTopK.batch(k, hard, ownerEmbeddings);
                selections.add(s);
                if (!gradients) {
                    chosen.addAll(s.sampleIds());
                }
            }
        }
        OwnerScore score = switch (method) {
            case GRADIENT -> OwnerScore.gradient(ownerId, residuals);
            case FEATURE -> OwnerScore.feature(ownerId, RetrieveTopK.coverage(selections));
            case FUNCFEAT -> OwnerScore.funcFeat(ownerId, residuals, RetrieveTopK.coverage(selections));
        };
        TreeSet<Integer> rows = new TreeSet<>();
        chosen.forEach(id -> rows.add(Integer.parseInt(id.substring(1))));
        return new Selection(rows, score.score());
    }

    /**
     * A split as the model sees it: images from IDX (pixels / 255, as the inference worker decodes them), tabular rows
     * from CSV with their raw column values (as an owner sample's {@code features} vector carries them).
     */
    static Dataset read(Path dir, String kind, DatasetId id) throws IOException {
        if (id.kind() == DatasetId.Kind.IMAGE) {
            return IdxFiles.read(dir, kind);
        }
        io.mycroft.experiments.data.Dataset d = CsvFiles.read(dir.resolve(kind + ".csv"), id);
        return new Dataset(d.features(), d.labels());
    }
}
