package io.mycroft.experiments;

import io.mycroft.experiments.data.HardSetSplit;
import io.mycroft.experiments.metrics.KCenterGreedy;
import io.mycroft.experiments.metrics.RankingMetrics;
import io.mycroft.experiments.metrics.RandomBaseline;
import io.mycroft.experiments.pipeline.ModelTrainerSetup;
import io.mycroft.experiments.pipeline.OwnerTruth;
import io.mycroft.experiments.pipeline.PipelineMonitor;
import io.mycroft.experiments.pipeline.SeedSetup;
import io.mycroft.experiments.report.ResultsCalculator;
import io.mycroft.experiments.report.SeedRun;
import io.mycroft.experiments.scenario.Scenario;
import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.MlpTrainer;
import io.mycroft.inference.trainer.Evaluator;
import io.mycroft.inference.vectors.SampleGradients;
import io.mycroft.processors.math.FacilityLocation;
import io.mycroft.processors.math.RetrieveTopK;
import io.mycroft.processors.math.SampleEmbedding;
import io.mycroft.schemas.Keys;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SubsetUpdate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * What the model trainer measures on one seed once every sample is through: full information on every owner (fine-tune
 * on all its data of the requested classes), every method and baseline at the headline budget on every owner holding
 * such data (so noisy and duplicated owners are judged too, not only the best), and the top owner's subsets over every
 * budget. Every accuracy is the mean of fine-tunes with {@link #FINE_TUNE_SEEDS} on MT data ∪ subset; a subset is
 * fine-tuned once however many rows name it.
 */
final class SeedMeasurement {
    /** Every accuracy is the mean of fine-tunes with these seeds: one fine-tune is noisy. */
    static final List<Long> FINE_TUNE_SEEDS = List.of(7L, 8L, 9L);
    /**
     * Random sampling is judged by its mean over this many independent draws: one draw's luck moved held-out D_hard by
     * ±4 points on fashion-mnist-six-owners (127 vs 128 random samples of one owner), as much as the differences measured.
     * Draw 0 is the draw of the reports before.
     */
    static final int RANDOM_DRAWS = 5;
    /** DIVERSE_FEATURE's ground set is RetrieveTopK's selection widened this many times (fixed before any run). */
    static final int DIVERSITY_WIDENING = 3;
    /** DIVERSE_FEATURE_THIRD's pool is at most 1/this of the class (set after the DIVERSE_FEATURE run, seeds 1–5). */
    static final int DIVERSITY_POOL_SHARE = 3;

    /** One request of the seed: its id, method name and budget per hard sample. */
    record Request(String id, String method, int k) {
    }

    /** An owner as streamed: its id on the pipeline, its samples in arrival order and their ids, its last subsets. */
    record StreamedOwner(String scenarioId, String key, Dataset data, List<String> sampleIds, OwnerTruth truth) {
    }

    private final SeedSetup setup;
    private final List<Request> requests;
    private final Map<String, SubsetUpdate> streamedSubsets;
    /** The clean-GRADIENT oracle's sample ids, by {@code gradientRequest|ownerKey}. */
    private final Map<String, List<String>> cleanGradient;
    private final Consumer<String> step;
    private final Map<String, SeedRun.Accuracy> fineTuned = new HashMap<>();
    private final SampleGradients vectors;
    private final SeedRun.Accuracy mtOnly;
    /** Each owner's samples under the model trainer's network, by owner key: the FEATURE baselines' embeddings and losses. */
    private final Map<String, SampleGradients.Vectors[]> ownerVectors = new HashMap<>();

    SeedMeasurement(SeedSetup setup, List<Request> requests, Map<String, SubsetUpdate> subsets,
                    Map<String, List<String>> cleanGradient, Consumer<String> step) {
        this.setup = setup;
        this.requests = requests;
        this.streamedSubsets = subsets;
        this.cleanGradient = cleanGradient;
        this.step = step;
        this.vectors = new SampleGradients(setup.network(), null);
        this.mtOnly = fineTune("MT alone", new Dataset(new float[0][], new int[0]));
    }

    /**
     * @param owners in the scenario's order
     * @param live the live ranking's score per owner key (absent: the owner never entered the ranking)
     * @param scores owner scores to judge like the live one, by name (method at the primary budget, or GGDA): owner key
     *               → score
     * @param headlineK the primary request's budget per hard sample: every owner is measured at its budget
     */
    SeedRun measure(List<StreamedOwner> owners, Map<String, Double> live, Map<String, Map<String, Double>> scores,
                    int headlineK, SeedRun.Pipeline pipeline) {
        Scenario scenario = setup.scenario();
        long seed = setup.seed();
        double[] liveScores = new double[owners.size()];
        double[] fullScores = new double[owners.size()];
        boolean[] requested = new boolean[owners.size()];
        List<SeedRun.Selection> selections = new ArrayList<>();
        for (int o = 0; o < owners.size(); o++) {
            StreamedOwner owner = owners.get(o);
            liveScores[o] = live.getOrDefault(owner.key(), 0.0); // owners without a weak-class sample never enter the ranking
            int[] relevant = relevantRows(owner.data());
            requested[o] = relevant.length > 0;
            // With no requested-class data full information adds nothing: it is the MT alone (no fine-tune needed).
            fullScores[o] = requested[o] ? fineTune(owner.key() + "|full", List.of(owner.data().select(relevant))).heldOutHard()
                    : mtOnly.heldOutHard();
            step.accept(String.format(Locale.ROOT, "seed %d: %-10s live score %.4f; full information (%d weak-class samples): "
                    + "held-out D_hard %.3f (MT alone %.3f)", seed, owner.scenarioId(), liveScores[o], relevant.length,
                    fullScores[o], mtOnly.heldOutHard()));
            if (requested[o]) {
                for (Subset s : subsets(owner, headlineK)) {
                    SeedRun.Accuracy a = fineTune(owner.key() + "|" + s.method() + "|" + s.budget(), s.draws());
                    selections.add(new SeedRun.Selection(owner.scenarioId(), s.method(), s.budget(), s.data().size(),
                            a.heldOutHard(), labelPurity(owner, s.draws()), null, owner.truth().copies(s.data())));
                    List<Dataset> matched = matchedRandom(owner, s);
                    if (matched != null) {
                        SeedRun.Accuracy r = fineTune(owner.key() + "|RANDOM for " + s.method() + "|" + s.budget(), matched);
                        selections.add(new SeedRun.Selection(owner.scenarioId(), ResultsCalculator.RANDOM, s.budget(),
                                matched.get(0).size(), r.heldOutHard(), labelPurity(owner, matched), s.method(),
                                owner.truth().copies(matched.get(0))));
                    }
                }
            }
        }
        int top = RankingMetrics.top(liveScores);
        StreamedOwner topOwner = owners.get(top);
        step.accept("seed " + seed + ": the live ranking's top owner is " + topOwner.scenarioId()
                + "; fine-tuning per method and budget on its data");
        List<SeedRun.Measurement> measurements = new ArrayList<>();
        for (Scenario.Budget b : scenario.budgets()) {
            for (Subset s : subsets(topOwner, b.kPerHard())) {
                SeedRun.Accuracy a = fineTune(topOwner.key() + "|" + s.method() + "|" + s.budget(), s.draws());
                step.accept(String.format(Locale.ROOT, "seed %d: %-16s budget %3d: %3d samples -> held-out D_hard %.3f, test %.3f",
                        seed, s.method(), s.budget(), s.data().size(), a.heldOutHard(), a.test()));
                measurements.add(new SeedRun.Measurement(s.method(), s.budget(), a, s.data().size(),
                        s.data().size() / (double) topOwner.data().size()));
            }
        }
        if (scenario.baselines().contains(Scenario.Baseline.FULL_INFORMATION)) {
            int relevant = relevantRows(topOwner.data()).length;
            measurements.add(new SeedRun.Measurement(ResultsCalculator.FULL_INFORMATION, SeedRun.Measurement.ALL_DATA,
                    fineTune(topOwner.key() + "|full", List.of(topOwner.data().select(relevantRows(topOwner.data())))), relevant,
                    relevant / (double) topOwner.data().size()));
        }
        Map<String, double[]> ownerScores = new LinkedHashMap<>();
        scores.forEach((name, byOwner) -> ownerScores.put(name,
                owners.stream().mapToDouble(o -> byOwner.getOrDefault(o.key(), 0.0)).toArray()));
        return new SeedRun(seed, liveScores, fullScores, requested, setup.hardSet().heldOut().length, mtOnly, measurements,
                selections, pipeline, ownerScores);
    }

    /**
     * A subset of one owner's data chosen by a method or a baseline at total budget {@code budget}: one draw, or
     * {@link #RANDOM_DRAWS} for random (all of one size per class).
     */
    private record Subset(String method, int budget, List<Dataset> draws) {
        Dataset data() {
            return draws.get(0);
        }
    }

    /** The streamed subsets of every request at {@code k}, then the scenario's random and K-Center baselines. */
    private List<Subset> subsets(StreamedOwner owner, int k) {
        HardSetSplit split = setup.split();
        // The request's B = k·|D_hard|, split over the classes as the processors split it: baselines get the same B_c.
        Map<Integer, Integer> budgets = split.budgets(split.budget(k));
        int total = budgets.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Integer> rowOf = new HashMap<>();
        for (int i = 0; i < owner.sampleIds().size(); i++) {
            rowOf.put(owner.sampleIds().get(i), i);
        }
        List<Subset> subsets = new ArrayList<>();
        for (Request r : requests) {
            if (r.k() == k) {
                SubsetUpdate update = streamedSubsets.get(Keys.requestOwner(r.id(), owner.key()));
                TreeSet<Integer> rows = new TreeSet<>();
                if (update != null) {
                    update.getClasses().forEach(c -> c.getSelected().forEach(s -> rows.add(rowOf.get(s.getSampleId()))));
                }
                subsets.add(new Subset(r.method(), total, List.of(rowsOf(owner.data(), rows))));
            }
        }
        long[] ids = IntStream.range(0, owner.data().size()).mapToLong(i -> i).toArray();
        for (Scenario.Baseline baseline : setup.scenario().baselines()) {
            switch (baseline) {
                case RANDOM -> subsets.add(new Subset(baseline.name(), total, randomDraws(owner, budgets)));
                case K_CENTER -> subsets.add(new Subset(baseline.name(), total, List.of(rowsOf(owner.data(),
                        KCenterGreedy.selectPerClass(embeddings(owner.data()), ids, owner.data().labels(), budgets, centers())
                                .values().stream().flatMap(List::stream).toList()))));
                case ORACLE_CLEAN_RANDOM -> subsets.add(new Subset(baseline.name(), total,
                        randomDraws(owner, budgets, cleanRows(owner))));
                case ORACLE_CLEAN_FEATURE -> subsets.add(new Subset(baseline.name(), total,
                        List.of(rowsOf(owner.data(), featureRowsAmong(owner, cleanRows(owner), budgets, topK(k))))));
                case UNCERTAIN_FEATURE -> subsets.add(new Subset(baseline.name(), total,
                        List.of(rowsOf(owner.data(), featureRowsAmong(owner, uncertainRows(owner), budgets, topK(k))))));
                case DIVERSE_FEATURE -> subsets.add(new Subset(baseline.name(), total, List.of(rowsOf(owner.data(),
                        featureRowsAmong(owner, IntStream.range(0, owner.data().size()).toArray(), budgets,
                                (budget, hard, candidates) -> FacilityLocation.retrieve(k, budget, DIVERSITY_WIDENING, hard,
                                        candidates))))));
                case DIVERSE_FEATURE_THIRD -> subsets.add(new Subset(baseline.name(), total, List.of(rowsOf(owner.data(),
                        featureRowsAmong(owner, IntStream.range(0, owner.data().size()).toArray(), budgets,
                                (budget, hard, candidates) -> FacilityLocation.retrieve(k, budget, DIVERSITY_WIDENING,
                                        DIVERSITY_POOL_SHARE, hard, candidates))))));
                case ORACLE_CLEAN_GRADIENT -> cleanGradientIds(owner, k).ifPresent(chosen -> subsets.add(new Subset(
                        baseline.name(), total, List.of(rowsOf(owner.data(), new TreeSet<>(chosen.stream().map(rowOf::get).toList()))))));
                case FULL_INFORMATION -> { }
            }
        }
        return subsets;
    }

    /** {@link #RANDOM_DRAWS} independent random subsets of the owner's rows with per-class {@code counts}. */
    private List<Dataset> randomDraws(StreamedOwner owner, Map<Integer, Integer> counts) {
        return randomDraws(owner, counts, IntStream.range(0, owner.data().size()).toArray());
    }

    /** {@link #RANDOM_DRAWS} independent random subsets of {@code rows} with per-class {@code counts}. */
    private List<Dataset> randomDraws(StreamedOwner owner, Map<Integer, Integer> counts, int[] rows) {
        return IntStream.range(0, RANDOM_DRAWS).mapToObj(draw -> rowsOf(owner.data(), randomRows(owner, counts, rows, draw)))
                .toList();
    }

    /** One class's selection by embeddings: B_c, the shared hard samples of c, the owner's candidates labelled c. */
    private interface ClassSelection {
        List<String> select(int budget, List<SampleEmbedding> hard, List<SampleEmbedding> candidates);
    }

    /** FEATURE's own per-class selection, {@link RetrieveTopK#batch} with the request's k. */
    private static ClassSelection topK(int k) {
        return (budget, hard, candidates) -> RetrieveTopK.batch(k, budget, hard, candidates).sampleIds();
    }

    /**
     * A selection by embeddings among {@code among}, some of the owner's rows: per class c, {@code select} with B_c over
     * the shared hard samples of c and the rows of {@code among} labelled c, on the embeddings the model trainer's
     * network gives (the worker's).
     */
    private List<Long> featureRowsAmong(StreamedOwner owner, int[] among, Map<Integer, Integer> budgets, ClassSelection select) {
        SampleGradients.Vectors[] computed = ownerVectors(owner);
        Map<String, Long> rowOf = new HashMap<>();
        Map<Integer, List<SampleEmbedding>> cleanByClass = new TreeMap<>();
        for (int row : among) {
            String id = owner.sampleIds().get(row);
            rowOf.put(id, (long) row);
            cleanByClass.computeIfAbsent(owner.data().labels()[row], c -> new ArrayList<>()).add(new SampleEmbedding(id, computed[row].embedding()));
        }
        Map<Integer, float[][]> hard = centers();
        List<Long> rows = new ArrayList<>();
        budgets.forEach((c, budget) -> {
            float[][] hardOfC = hard.get(c);
            List<SampleEmbedding> candidates = cleanByClass.getOrDefault(c, List.of());
            if (hardOfC == null || candidates.isEmpty()) {
                return;
            }
            List<SampleEmbedding> hardSamples = IntStream.range(0, hardOfC.length)
                    .mapToObj(i -> new SampleEmbedding("hard-" + c + "-" + i, hardOfC[i])).toList();
            select.select(budget, hardSamples, candidates).forEach(id -> rows.add(rowOf.get(id)));
        });
        return rows;
    }

    /** The clean-GRADIENT oracle's sample ids for the owner at {@code k}; empty without a GRADIENT request at k. */
    private Optional<List<String>> cleanGradientIds(StreamedOwner owner, int k) {
        return requests.stream().filter(r -> r.k() == k && r.method().equals(SelectionMethod.GRADIENT.name())).findFirst()
                .map(r -> cleanGradient.get(Keys.requestOwner(r.id(), owner.key())));
    }

    /**
     * The owner's rows whose given label y the model trainer's network finds plausible but not yet learnt: 0.05 ≤ p(y | x)
     * ≤ 0.5, i.e. a loss −ln p(y | x) in [ln 2, ln 20]. A confident contradiction (p < 0.05) is the likeliest flip; a
     * confident agreement (p > 0.5) teaches the model little. Uses only what the model trainer has (no truth).
     */
    private int[] uncertainRows(StreamedOwner owner) {
        SampleGradients.Vectors[] computed = ownerVectors(owner);
        return IntStream.range(0, computed.length)
                .filter(i -> computed[i].loss() >= Math.log(2) && computed[i].loss() <= Math.log(20)).toArray();
    }

    /** The owner's rows whose given label is the true class (the generator's truth). */
    private static int[] cleanRows(StreamedOwner owner) {
        Dataset data = owner.data();
        return IntStream.range(0, data.size()).filter(i -> owner.truth().cleanLabel(data.features()[i], data.labels()[i]))
                .toArray();
    }

    /**
     * The rows among {@code rows} that random sampling picks, per class {@code counts}. Rows are in streaming order,
     * which differs from run to run, so each row is drawn as its rank in sampleId order: the same seed picks the same
     * samples in every run.
     */
    private List<Long> randomRows(StreamedOwner owner, Map<Integer, Integer> counts, int[] rows, int draw) {
        int[] byId = Arrays.stream(rows).boxed()
                .sorted(Comparator.comparing(owner.sampleIds()::get)).mapToInt(Integer::intValue).toArray();
        long[] ranks = LongStream.range(0, byId.length).toArray();
        int[] labels = Arrays.stream(byId).map(row -> owner.data().labels()[row]).toArray();
        String stream = draw == 0 ? owner.scenarioId() : owner.scenarioId() + "#draw" + draw;
        return RandomBaseline.selectPerClass(ranks, labels, counts, setup.seed(), stream)
                .values().stream().flatMap(List::stream).map(rank -> (long) byId[rank.intValue()]).toList();
    }

    /**
     * Random with the per-class counts a method actually shared, when they fall short of the budget's (OMP's
     * non-negative drops, exact duplicates counted once): so the method is compared with random at the same number of
     * samples; the same for the clean-label oracle when an owner holds too few clean samples. Null for random itself,
     * or when every class was filled (the budget's random is then the match).
     */
    private List<Dataset> matchedRandom(StreamedOwner owner, Subset method) {
        if (method.method().equals(ResultsCalculator.RANDOM)) {
            return null;
        }
        Map<Integer, Integer> shared = new TreeMap<>();
        for (int label : method.data().labels()) {
            shared.merge(label, 1, Integer::sum);
        }
        HardSetSplit split = setup.split();
        Map<Integer, Integer> budgets = split.budgets(method.budget());
        Map<Integer, Integer> available = new TreeMap<>();
        for (int label : owner.data().labels()) {
            available.merge(label, 1, Integer::sum);
        }
        boolean filled = budgets.entrySet().stream().allMatch(e ->
                shared.getOrDefault(e.getKey(), 0) == Math.min(e.getValue(), available.getOrDefault(e.getKey(), 0)));
        if (filled) {
            return null;
        }
        Map<Integer, Integer> counts = new TreeMap<>();
        budgets.keySet().forEach(c -> counts.put(c, shared.getOrDefault(c, 0)));
        return randomDraws(owner, counts);
    }

    private static Dataset rowsOf(Dataset data, TreeSet<Integer> rows) {
        return data.select(rows.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Dataset rowsOf(Dataset data, List<Long> rows) {
        return rowsOf(data, new TreeSet<>(rows.stream().map(Long::intValue).toList()));
    }

    /** The mean label purity of the draws (null when the owner's truth has no labels to compare). */
    private static Double labelPurity(StreamedOwner owner, List<Dataset> draws) {
        double sum = 0;
        for (Dataset d : draws) {
            Double p = owner.truth().labelPurity(d);
            if (p == null) {
                return null;
            }
            sum += p;
        }
        return sum / draws.size();
    }

    /** Rows whose given label is a requested (weak) class with shared hard samples. */
    private int[] relevantRows(Dataset data) {
        Map<Integer, List<Long>> shared = setup.split().shared();
        return IntStream.range(0, data.size())
                .filter(i -> shared.containsKey(data.labels()[i]) && !shared.get(data.labels()[i]).isEmpty()).toArray();
    }

    /** The shared hard samples' embeddings per class: K-Center starts from them. */
    private Map<Integer, float[][]> centers() {
        Map<Integer, float[][]> centers = new TreeMap<>();
        setup.split().shared().forEach((c, rows) -> {
            if (!rows.isEmpty()) {
                centers.put(c, embeddings(setup.validation().select(rows.stream().mapToInt(Long::intValue).toArray())));
            }
        });
        return centers;
    }

    /** The owner's samples under the model trainer's network (embedding, loss of the given label), computed once. */
    private SampleGradients.Vectors[] ownerVectors(StreamedOwner owner) {
        return ownerVectors.computeIfAbsent(owner.key(), key -> vectors.compute(owner.data().features(), owner.data().labels()));
    }

    private float[][] embeddings(Dataset data) {
        return Arrays.stream(vectors.compute(data.features(), data.labels())).map(SampleGradients.Vectors::embedding)
                .toArray(float[][]::new);
    }

    /** The mean of {@link #fineTune(String, Dataset)} over the draws of one subset. */
    private SeedRun.Accuracy fineTune(String key, List<Dataset> draws) {
        if (draws.size() == 1) {
            return fineTune(key, draws.get(0));
        }
        double hard = 0;
        double test = 0;
        for (int d = 0; d < draws.size(); d++) {
            SeedRun.Accuracy a = fineTune(key + "#draw" + d, draws.get(d));
            hard += a.heldOutHard();
            test += a.test();
        }
        return new SeedRun.Accuracy(hard / draws.size(), test / draws.size());
    }

    /**
     * The model trainer's fine-tune on MT data ∪ {@code subset}, accuracies averaged over {@link #FINE_TUNE_SEEDS}; once
     * per {@code key} (owner | method | budget: the same subset whichever table it is measured for).
     */
    private SeedRun.Accuracy fineTune(String key, Dataset subset) {
        return fineTuned.computeIfAbsent(key, k -> {
            double hard = 0;
            double test = 0;
            for (long seed : FINE_TUNE_SEEDS) {
                Evaluator.Gain g = Evaluator.evaluate(setup.artifact(), setup.train(), subset, setup.heldOutHard(), setup.test(),
                        new MlpTrainer.Settings(ModelTrainerSetup.FINE_TUNE.epochs(), ModelTrainerSetup.FINE_TUNE.batchSize(),
                                ModelTrainerSetup.FINE_TUNE.learningRate(), seed));
                hard += g.hardAfter();
                test += g.testAfter();
            }
            return new SeedRun.Accuracy(hard / FINE_TUNE_SEEDS.size(), test / FINE_TUNE_SEEDS.size());
        });
    }
}
