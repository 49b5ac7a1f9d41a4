package io.mycroft.experiments;

import io.mycroft.experiments.metrics.NearCopyCensus;
import io.mycroft.experiments.pipeline.InProcessPipeline;
import io.mycroft.experiments.pipeline.ModelTrainerSetup;
import io.mycroft.experiments.pipeline.OwnerFeeder;
import io.mycroft.experiments.pipeline.OwnerTruth;
import io.mycroft.experiments.pipeline.PipelineMonitor;
import io.mycroft.experiments.pipeline.SeedSetup;
import io.mycroft.experiments.report.Charts.Point;
import io.mycroft.experiments.report.ReportWriter;
import io.mycroft.experiments.report.Results;
import io.mycroft.experiments.report.ResultsCalculator;
import io.mycroft.experiments.report.SeedRun;
import io.mycroft.experiments.report.Timelines;
import io.mycroft.experiments.scenario.GeneratedData;
import io.mycroft.experiments.scenario.Scenario;
import io.mycroft.inference.DjlRuntime;
import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.trainer.Evaluator;
import io.mycroft.processors.BatchSelection;
import io.mycroft.processors.ContentClaims;
import io.mycroft.processors.OwnerSelection;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topics;
import io.mycroft.stack.StackAcls;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.StackSecurity;
import io.mycroft.topology.AuditReplay;
import mycroft.schemas.HardSetPrivacy;
import mycroft.schemas.PrivacyAccounting;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.ClassSubset;
import mycroft.schemas.RankedOwner;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SelectedSample;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SubsetUpdate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code mycroft experiment}: a scenario over its seeds, on the pipeline. Each seed is its own marketplace — a topic set
 * with its own prefix on the running local stack, its own inference worker and Streams app in this JVM: generate the
 * data, train the MT model ({@link ModelTrainerSetup}), select D_hard, publish the model and one request
 * per (method, budget), stream every owner's files in through its directory connector at the scenario's arrival rate,
 * and wait until every sample is vectorised and selected for every request. Then: the live ranking of the primary
 * method at the largest budget gives the owner scores; every (request, owner) subset is re-selected in batch form on
 * exactly the published vectors ({@link BatchSelection}) and compared with the streamed one; one request is
 * audit-replayed; and the MT fine-tunes ({@link Evaluator}, {@link SeedMeasurement#FINE_TUNE_SEEDS}) on the streamed subsets of the
 * top owner, on random and K-Center subsets of the same per-class budgets and on each owner's full relevant data.
 */
public final class ExperimentRunner {
    /** The name of the GGDA group score among the owner scores judged in a report. */
    static final String GROUP_ATTRIBUTION = "GGDA";

    /** Where one run writes and reads; {@code timeout} bounds each seed's streaming. */
    /** @param privacy differential privacy of every request's hard set but label-consistency ones (noise seeded by the seed), or null for none */
    public record Settings(Path dataDir, Path workDir, Path reportsRoot, List<Long> seeds, Duration timeout, HardSetPrivacy privacy) {
        public Settings(Path dataDir, Path workDir, Path reportsRoot, List<Long> seeds, Duration timeout) {
            this(dataDir, workDir, reportsRoot, seeds, timeout, null);
        }
    }


    private final Settings settings;
    private final StackProperties stack;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final Map<String, Double> timings = new LinkedHashMap<>();
    private final String runId = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
    private Map<String, List<Point>> rankOverTime = Map.of();
    private Map<String, List<Point>> residualOverTime = Map.of();

    public ExperimentRunner(Settings settings, StackProperties stack, PrintStream out) {
        this.settings = settings;
        this.stack = stack;
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
        List<SelectionMethod> methods = scenario.methods().isEmpty() ? List.of(SelectionMethod.GRADIENT) : scenario.methods();
        DjlRuntime.start();
        List<SeedRun> runs = new ArrayList<>();
        for (long seed : settings.seeds()) {
            double t0 = elapsed();
            runs.add(runSeed(scenario, seed, methods));
            timings.put("seed " + seed, Math.round((elapsed() - t0) * 10) / 10.0);
        }
        Results results = ResultsCalculator.compute(scenario.name(), scenario.dataset().name(),
                scenario.owners().stream().map(Scenario.Owner::id).toList(), methods.get(0).name(), runs);
        timings.put("total", Math.round(elapsed() * 10) / 10.0);
        Path dir = ReportWriter.write(settings.reportsRoot(), results, description(scenario, methods), rankOverTime, residualOverTime);
        step("report: " + dir.resolve("README.md") + " and " + dir.resolve("results.json"));
        return results;
    }

    private String description(Scenario scenario, List<SelectionMethod> methods) {
        StringBuilder d = new StringBuilder();
        if (scenario.description() != null && !scenario.description().isBlank()) {
            d.append(scenario.description().strip()).append("\n\n");
        }
        d.append("**How this was run.** `mycroft experiment` runs every seed *on the pipeline*: a topic set of its own on the "
                + "local stack (real broker, schema registry and Kafka Connect), owners streaming their files in through the "
                + "directory connector at the scenario's arrival rates, an inference worker computing gradients and "
                + "embeddings, and the Streams app keeping every owner's OMP / RetrieveTopK state and the live ranking. Per "
                + "seed it generates the scenario's data, trains the MT's model (")
                .append(scenario.modelTrainer().model().equals(Scenario.ModelTrainerData.CNN) ? "the small image CNN"
                        : "an MLP with hidden layers " + String.join("-", ModelTrainerSetup.HIDDEN.stream().map(String::valueOf).toList()))
                .append(", ").append(scenario.modelTrainer().training().epochs()).append(" epochs), takes D_hard from its wrong weak-class "
                        + "validation samples and publishes one request per method (")
                .append(String.join(", ", methods.stream().map(Enum::name).toList()))
                .append(") and budget, with the default selection options")
                .append(scenario.labelConsistencyNeighbours() == null ? "" : ", and the same requests with label consistency over "
                        + scenario.labelConsistencyNeighbours() + " hard neighbours (methods named <METHOD>+LC)")
                .append(". When every sample is through, the streamed "
                        + "subsets are compared with a batch re-selection on exactly the published vectors, and one request "
                        + "is audit-replayed (table below).\n\n");
        d.append("**What is measured.** The owner ranking is the live ranking (owner-rankings topic) of the primary method at "
                + "the largest budget. Full information fine-tunes the MT model on its own data plus each owner's samples of "
                + "the weak classes (by the owner's given labels) and measures held-out D_hard accuracy; the ranking is judged "
                + "like with like against the other seeds' full information (below). A request's budget B = k·|D_hard| is "
                + "split over the weak classes in proportion to |D_hard_c|; no method shares more than B. On every owner "
                + "holding weak-class data, every method's streamed subset at the primary budget is compared with a "
                + "per-class random subset (its accuracy and label purity the mean over ").append(SeedMeasurement.RANDOM_DRAWS)
                .append(" independent draws) and K-Center (starting from the D_hard embeddings), of the same per-class "
                + "budgets; label purity is the share of a subset whose label is its true class. The accuracy-vs-budget "
                + "rows are for the owner the live ranking puts first on each seed. Every fine-tune: MT data ∪ subset, ").append(ModelTrainerSetup.FINE_TUNE.epochs()).append(" epochs, accuracies averaged over fine-tune seeds ")
                .append(String.join(", ", SeedMeasurement.FINE_TUNE_SEEDS.stream().map(String::valueOf).toList()))
                .append("; \"MT alone\" is the same fine-tune with no owner data. The charts over time are the first seed's "
                        + "live ranking of the primary request, in seconds since its owners started streaming.\n\n");
        d.append("**Timings (s):** ");
        List<String> parts = new ArrayList<>();
        timings.forEach((k, v) -> parts.add(k + " " + v));
        d.append(String.join(", ", parts)).append('.');
        return d.toString();
    }

    /** One request of a seed: its method and budget per hard sample. */
    /** @param labelConsistency null, or the request's labelConsistencyNeighbours (its results name the method {@code <METHOD>+LC}) */
    private record Request(String id, SelectionMethod method, int k, Integer labelConsistency) {
        String methodName() {
            return labelConsistency == null ? method.name() : method.name() + Scenario.LABEL_CONSISTENCY;
        }
    }

    /**
     * {@code request} with the settings' privacy (its noise seeded by {@code seed}), unless it asks for label consistency
     * (which needs the hard embeddings a private request does not share).
     */
    private HardSetRequest privately(HardSetRequest request, long seed) {
        if (settings.privacy() == null || request.getOptions().getLabelConsistencyNeighbours() != null) {
            return request;
        }
        return HardSetRequest.newBuilder(request).setPrivacy(HardSetPrivacy.newBuilder(settings.privacy()).setSeed(seed).build()).build();
    }

    /**
     * One seed's marketplace: its prepared data, model and D_hard, its requests (the primary one's live ranking ranks the
     * owners) and, per scenario owner id, the id its samples carry (unique to the run).
     */
    private record Marketplace(SeedSetup setup, String tag, List<Request> requests, Request primary,
                               Map<String, String> ownerKeys) {
        long seed() {
            return setup.seed();
        }

        List<String> requestIds() {
            return requests.stream().map(Request::id).toList();
        }
    }

    private SeedRun runSeed(Scenario scenario, long seed, List<SelectionMethod> methods) throws Exception {
        String tag = scenario.name() + "-s" + seed + "-" + runId;
        Path seedDir = settings.workDir().resolve(scenario.name()).resolve("seed-" + seed + "-" + runId);
        step("seed " + seed + ": generating scenario '" + scenario.name() + "' under " + seedDir);
        try (SeedSetup setup = SeedSetup.prepare(scenario, seed, settings.dataDir(), seedDir, "experiment-" + tag)) {
            step(String.format(Locale.ROOT, "seed %d: MT model (%s) test accuracy %.3f; D_hard %d shared, %d held out",
                    seed, ModelTrainerSetup.describe(setup.architecture()), setup.testAccuracy(),
                    setup.hardSet().shared().length, setup.hardSet().heldOut().length));
            List<Request> requests = new ArrayList<>();
            int kMax = scenario.budgets().stream().mapToInt(Scenario.Budget::kPerHard).max().orElseThrow();
            for (SelectionMethod m : methods) {
                for (Scenario.Budget b : scenario.budgets()) {
                    requests.add(new Request(tag + "-" + m.name().toLowerCase(Locale.ROOT) + "-k" + b.kPerHard(), m, b.kPerHard(), null));
                    if (scenario.labelConsistencyNeighbours() != null) {
                        requests.add(new Request(tag + "-" + m.name().toLowerCase(Locale.ROOT) + "-lc-k" + b.kPerHard(), m,
                                b.kPerHard(), scenario.labelConsistencyNeighbours()));
                    }
                }
            }
            Request primary = requests.stream().filter(r -> r.method() == methods.get(0) && r.k() == kMax && r.labelConsistency() == null).findFirst().orElseThrow();
            Map<String, String> ownerKeys = new LinkedHashMap<>();
            scenario.owners().forEach(o -> ownerKeys.put(o.id(), o.id() + "." + tag));
            Marketplace market = new Marketplace(setup, tag, requests, primary, ownerKeys);

            Streamed streamed = stream(market, seedDir);
            if (seed == settings.seeds().get(0)) {
                chartsOverTime(streamed.primaryHistory(), ownerKeys, setup.hardSet().weakClasses().size(), primary.method());
            }
            return measure(market, streamed);
        }
    }

    /**
     * What a seed's streaming left: per owner its samples (arrival order) and their ids, per request|owner key the last
     * subset update.
     *
     * @param groupScores   owner key → the primary request's {@link BatchSelection#groupAttribution} (empty when the
     *                      primary method matches no gradients)
     * @param cleanGradient the ORACLE_CLEAN_GRADIENT selection's sample ids by {@code gradientRequest|ownerKey} (empty
     *                      unless the scenario asks for it)
     */
    private record Streamed(Map<String, PipelineMonitor.Sample[]> samples, Map<String, List<String>> sampleIds,
                            Map<String, SubsetUpdate> subsets, List<PipelineMonitor.RankingSnapshot> primaryHistory,
                            Map<String, Double> groupScores, Map<String, List<String>> cleanGradient,
                            SeedRun.Pipeline pipeline) {
    }

    private Streamed stream(Marketplace market, Path seedDir) throws Exception {
        SeedSetup setup = market.setup();
        long seed = market.seed();
        String tag = market.tag();
        Map<String, String> ownerKeys = market.ownerKeys();
        InProcessPipeline.Settings pipelineSettings = new InProcessPipeline.Settings("x." + tag + ".", StackAcls.STREAMS_APPLICATION_ID + "-x-" + tag,
                seedDir.resolve("streams-state"), seedDir.resolve("owners"), 0);
        List<String> requestIds = market.requestIds();
        try (InProcessPipeline pipeline = new InProcessPipeline(stack, pipelineSettings, out);
             PipelineMonitor monitor = new PipelineMonitor(stack.clientConfig(StackSecurity.Principal.ADMIN), pipeline.topics(), new LinkedHashSet<>(requestIds),
                     new LinkedHashSet<>(ownerKeys.values()), true)) {
            Topics topics = pipeline.topics();
            pipeline.start();
            pipeline.publish(topics.models(), setup.artifact().getModelId(), setup.artifact());
            for (Request r : market.requests()) {
                pipeline.publish(topics.hardsetRequests(), r.id(),
                        privately(setup.request(r.id(), r.method(), r.k(), r.labelConsistency()), setup.seed()));
            }
            pipeline.addOwners(setup, ownerKeys);
            int total = pipeline.feeders().stream().mapToInt(OwnerFeeder::size).sum();
            step(String.format(Locale.ROOT, "seed %d: %d requests (%s), %d owners streaming %d samples on topics %s*",
                    seed, requestIds.size(), String.join(", ", requestIds.stream().map(id -> id.substring(tag.length() + 1)).toList()),
                    ownerKeys.size(), total, pipelineSettings.topicPrefix()));
            long streamStart = System.nanoTime();
            pipeline.startFeeding();
            double[] lastPrint = {-10};
            pipeline.awaitThrough(monitor, requestIds, settings.timeout(), seconds -> {
                if (seconds - lastPrint[0] >= 5) {
                    lastPrint[0] = seconds;
                    step(progress(seed, pipeline.feeders(), monitor, requestIds));
                }
            });
            double streamSeconds = (System.nanoTime() - streamStart) / 1e9;
            step(String.format(Locale.ROOT, "seed %d: all through in %.1f s: %s", seed, streamSeconds,
                    progress(seed, pipeline.feeders(), monitor, requestIds)));

            Map<String, PipelineMonitor.Sample[]> samples = new LinkedHashMap<>();
            Map<String, List<String>> sampleIds = new LinkedHashMap<>();
            for (String key : ownerKeys.values()) {
                Map<String, PipelineMonitor.Sample> s = monitor.samples(key);
                samples.put(key, s.values().toArray(PipelineMonitor.Sample[]::new));
                sampleIds.put(key, List.copyOf(s.keySet()));
            }
            Map<String, SubsetUpdate> subsets = new LinkedHashMap<>();
            int compared = 0;
            int identical = 0;
            long vectors = 0;
            List<String> differences = new ArrayList<>();
            for (String r : requestIds) {
                Function<SampleVector, String> firstClaim = ContentClaims.first(r, monitor.vectors(r));
                for (String o : ownerKeys.values()) {
                    SubsetUpdate update = monitor.subset(r, o);
                    subsets.put(Keys.requestOwner(r, o), update);
                    vectors += monitor.vectorised(r, o);
                    OwnerSelection batch = BatchSelection.select(monitor.hardSet(r), o, monitor.vectors(r, o), null, firstClaim);
                    compared++;
                    String difference = difference(batch, update);
                    if (difference == null) {
                        identical++;
                    } else {
                        differences.add(r + " / " + o + ": " + difference);
                    }
                }
            }
            step(String.format(Locale.ROOT, "seed %d: batch selection on the published vectors: %d of %d (request, owner) subsets "
                    + "identical to the streamed ones", seed, identical, compared));
            String primary = market.primary().id();
            Map<String, Double> groupScores = new LinkedHashMap<>();
            Function<SampleVector, String> primaryClaims = ContentClaims.first(primary, monitor.vectors(primary));
            for (String o : ownerKeys.values()) {
                Double phi = BatchSelection.groupAttribution(monitor.hardSet(primary), o, monitor.vectors(primary, o), primaryClaims);
                if (phi != null) {
                    groupScores.put(o, phi);
                }
            }
            for (String o : ownerKeys.values()) {
                List<SampleVectors> published = monitor.vectors(primary, o);
                for (Map.Entry<String, NearCopyCensus.Census> census : List.of(Map.entry("embeddings", NearCopyCensus.ofEmbeddings(published)),
                        Map.entry("gradients", NearCopyCensus.ofGradients(published)))) {
                    if (census.getValue().samples() > 0) {
                        step("seed " + seed + ": near-copy census of " + o + "'s " + census.getKey() + " (" + primary + "): "
                                + census.getValue().describe());
                    }
                }
            }
            Map<String, List<String>> cleanGradient = setup.scenario().baselines().contains(Scenario.Baseline.ORACLE_CLEAN_GRADIENT)
                    ? cleanGradientSelections(market, monitor) : Map.of();
            AuditReplay.Result audit = AuditReplay.replay(pipeline.streamsConfig(), primary);
            step("seed " + seed + ": audit replay of " + primary + " (" + audit.inputRecords() + " input records): "
                    + (audit.identical() ? "identical" : "DIFFERS " + audit.differences()));
            List<PipelineMonitor.RankingSnapshot> history = monitor.rankings(primary);
            for (String r : requestIds) {
                pipeline.publish(topics.hardsetRequests(), r, null); // cancel: the worker and app forget the request
            }
            PrivacyAccounting p = monitor.hardSet(primary).getPrivacy();
            SeedRun.Privacy privacy = p == null ? null : new SeedRun.Privacy(p.getEpsilon(), p.getDelta(), p.getClipNorm(),
                    p.getSensitivity(), p.getNoiseStd(), p.getEmbeddingSensitivity(), p.getEmbeddingNoiseStd(), p.getAccountant());
            return new Streamed(samples, sampleIds, subsets, history, groupScores, cleanGradient, new SeedRun.Pipeline(requestIds.size(),
                    ownerKeys.size(), total, vectors, compared, identical, differences, primary, audit.identical(),
                    Math.round(streamSeconds * 10) / 10.0, privacy));
        }
    }

    /**
     * ORACLE_CLEAN_GRADIENT: for each plain GRADIENT request and owner, the batch selection ({@link BatchSelection}, the
     * streamed subset's reference) on the gradients the worker published for the owner's samples whose given label is
     * the true class only; claims as the whole partition made them. By {@code request|ownerKey}.
     */
    private static Map<String, List<String>> cleanGradientSelections(Marketplace market, PipelineMonitor monitor) throws IOException {
        Map<String, List<String>> selections = new LinkedHashMap<>();
        for (GeneratedData.OwnerFiles files : market.setup().generated().owners()) {
            String o = market.ownerKeys().get(files.id());
            OwnerTruth truth = OwnerTruth.load(market.setup(), files);
            Map<String, PipelineMonitor.Sample> samples = monitor.samples(o);
            for (Request r : market.requests()) {
                if (!r.methodName().equals(SelectionMethod.GRADIENT.name())) {
                    continue;
                }
                List<SampleVectors> clean = monitor.vectors(r.id(), o).stream().map(b -> SampleVectors.newBuilder(b)
                        .setSamples(b.getSamples().stream().filter(v -> {
                            PipelineMonitor.Sample sample = samples.get(v.getSampleId());
                            return sample != null && truth.cleanLabel(sample.features(), sample.label());
                        }).toList()).build()).toList();
                OwnerSelection selection = BatchSelection.select(monitor.hardSet(r.id()), o, clean, null,
                        ContentClaims.first(r.id(), monitor.vectors(r.id())));
                selections.put(Keys.requestOwner(r.id(), o), selection.classes().stream()
                        .flatMap(c -> c.getSelected().stream()).map(SelectedSample::getSampleId).toList());
            }
        }
        return selections;
    }

    private static String progress(long seed, List<OwnerFeeder> feeders, PipelineMonitor monitor, List<String> requests) {
        int written = 0;
        int ingested = 0;
        int size = 0;
        long vectorised = 0;
        int subsets = 0;
        for (OwnerFeeder f : feeders) {
            size += f.size();
            written += f.written();
            ingested += monitor.ingested(f.ownerId());
            for (String r : requests) {
                vectorised += monitor.vectorised(r, f.ownerId());
                subsets += monitor.subset(r, f.ownerId()) == null ? 0 : 1;
            }
        }
        return String.format(Locale.ROOT, "seed %d: written %d/%d, ingested %d/%d, vectorised %d/%d, (request, owner) subsets %d/%d",
                seed, written, size, ingested, size, vectorised, (long) size * requests.size(), subsets, feeders.size() * requests.size());
    }

    /** Null when the batch selection equals the streamed update (classes and score, bit for bit); else what differs. */
    private static String difference(OwnerSelection batch, SubsetUpdate streamed) {
        if (streamed == null) {
            boolean empty = batch.classes().stream().allMatch(c -> c.getSelected().isEmpty());
            return empty ? null : "no streamed update, batch selects " + batch.classes().stream().mapToInt(c -> c.getSelected().size()).sum();
        }
        if (!batch.classes().equals(streamed.getClasses())) {
            return "classes differ: batch " + ids(batch.classes()) + ", streamed " + ids(streamed.getClasses());
        }
        return batch.score() == streamed.getScore() ? null : "score differs: batch " + batch.score() + ", streamed " + streamed.getScore();
    }

    private static String ids(List<ClassSubset> classes) {
        return classes.stream().map(c -> c.getLabel() + "=" + c.getSelected().stream().map(SelectedSample::getSampleId).toList()).toList().toString();
    }

    /** Rank and (GRADIENT) mean relative residual 1 − score/C of every owner over the live phase of the primary request. */
    private void chartsOverTime(List<PipelineMonitor.RankingSnapshot> history, Map<String, String> ownerKeys, int weakClasses,
                                SelectionMethod method) {
        Map<String, String> back = new LinkedHashMap<>();
        ownerKeys.forEach((id, key) -> back.put(key, id));
        List<Timelines.Snapshot> scores = new ArrayList<>();
        List<Timelines.Snapshot> residuals = new ArrayList<>();
        for (PipelineMonitor.RankingSnapshot s : history) {
            Map<String, Double> score = new LinkedHashMap<>();
            Map<String, Double> residual = new LinkedHashMap<>();
            for (RankedOwner o : s.ranking().getOwners()) {
                String id = back.get(o.getOwnerId());
                if (id != null) {
                    score.put(id, o.getScore());
                    residual.put(id, 1 - o.getScore() / weakClasses);
                }
            }
            scores.add(new Timelines.Snapshot(s.atSeconds(), score));
            residuals.add(new Timelines.Snapshot(s.atSeconds(), residual));
        }
        if (scores.size() < 2) {
            return;
        }
        List<String> owners = List.copyOf(ownerKeys.keySet());
        rankOverTime = Timelines.ranks(owners, scores);
        residualOverTime = method == SelectionMethod.GRADIENT ? Timelines.values(owners, residuals) : Map.of();
    }

    /** The model trainer's measurements of the seed ({@link SeedMeasurement}) on the streamed owners and subsets. */
    private SeedRun measure(Marketplace market, Streamed streamed) throws IOException {
        SeedSetup setup = market.setup();
        Map<String, Double> live = new LinkedHashMap<>();
        List<PipelineMonitor.RankingSnapshot> history = streamed.primaryHistory();
        if (!history.isEmpty()) {
            history.get(history.size() - 1).ranking().getOwners().forEach(o -> live.put(o.getOwnerId(), o.getScore()));
        }
        List<SeedMeasurement.StreamedOwner> owners = new ArrayList<>();
        for (GeneratedData.OwnerFiles o : setup.generated().owners()) {
            String key = market.ownerKeys().get(o.id());
            PipelineMonitor.Sample[] samples = streamed.samples().get(key);
            Dataset data = new Dataset(Arrays.stream(samples).map(PipelineMonitor.Sample::features).toArray(float[][]::new),
                    Arrays.stream(samples).mapToInt(PipelineMonitor.Sample::label).toArray());
            owners.add(new SeedMeasurement.StreamedOwner(o.id(), key, data, streamed.sampleIds().get(key),
                    OwnerTruth.load(setup, o)));
        }
        List<SeedMeasurement.Request> requests = market.requests().stream()
                .map(r -> new SeedMeasurement.Request(r.id(), r.methodName(), r.k())).toList();
        // Every owner score judged like the live one: each method's final score at the primary budget (what its live
        // ranking would show), and the primary request's GGDA group score.
        Map<String, Map<String, Double>> scores = new LinkedHashMap<>();
        for (Request r : market.requests()) {
            if (r.k() == market.primary().k()) {
                Map<String, Double> byOwner = new LinkedHashMap<>();
                market.ownerKeys().values().forEach(o -> {
                    SubsetUpdate u = streamed.subsets().get(Keys.requestOwner(r.id(), o));
                    byOwner.put(o, u == null ? 0.0 : u.getScore());
                });
                scores.put(r.methodName(), byOwner);
            }
        }
        if (!streamed.groupScores().isEmpty()) {
            scores.put(GROUP_ATTRIBUTION, streamed.groupScores());
        }
        return new SeedMeasurement(setup, requests, streamed.subsets(), streamed.cleanGradient(), this::step)
                .measure(owners, live, scores, market.primary().k(), streamed.pipeline());
    }
}
