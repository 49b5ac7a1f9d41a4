package io.mycroft.cli.demo;

import io.mycroft.experiments.pipeline.InProcessPipeline;
import io.mycroft.experiments.pipeline.ModelTrainerSetup;
import io.mycroft.experiments.pipeline.OwnerFeeder;
import io.mycroft.experiments.pipeline.PipelineMonitor;
import io.mycroft.experiments.pipeline.SeedSetup;
import io.mycroft.experiments.scenario.Scenario;
import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.MlpTrainer;
import io.mycroft.inference.trainer.Evaluator;
import io.mycroft.processors.DefaultMethod;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topics;
import io.mycroft.stack.StackAcls;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.StackSecurity;
import io.mycroft.topology.AuditReplay;
import io.mycroft.cli.StackRestTokens;
import io.mycroft.topology.MycroftStreamsConfig;
import mycroft.schemas.ClassSubset;
import mycroft.schemas.Evaluation;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.RankedOwner;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The demo end to end against a running stack: scenario data → MT model → D_hard → request → owners streaming through
 * the directory connector → inference worker and Streams app in this JVM → live progress → MT evaluation of every
 * owner's useful subset → audit replay → report. {@link DemoCommand} is its command line; the IT calls it directly.
 *
 * <p>Owner ids carry the run id ({@code owner-a.20261126-010221}) so runs on a reused stack never mix samples. The
 * inference worker backfills every sample already on owner-samples for a new request, so on a reused stack the request
 * also vectorises and ranks earlier runs' owners: the demo shows and reports this run's owners only, and the REST
 * ranking lists the others too. {@code --fresh} starts from an empty stack.
 */
public final class Demo {
    /** Everything a run needs besides the stack. */
    public record Settings(Path dataDir, Path runDir, Path reportDir, long seed,
                           int kPerHard, int httpPort, Duration timeout, boolean live, boolean stopWhenSettled,
                           int settledWindowUpdates) {
        public Settings(Path dataDir, Path runDir, Path reportDir, long seed, int kPerHard, int httpPort, Duration timeout,
                        boolean live) {
            this(dataDir, runDir, reportDir, seed, kPerHard, httpPort, timeout, live, false, 0);
        }

        /** The Streams app's settings the demo sets: the settled window when given (0 = the app's default). */
        Map<String, String> streamsOverrides() {
            return settledWindowUpdates > 0
                    ? Map.of(MycroftStreamsConfig.RANKING_SETTLED_WINDOW_UPDATES, String.valueOf(settledWindowUpdates)) : Map.of();
        }
    }

    private static final MlpTrainer.Settings FINE_TUNE = ModelTrainerSetup.FINE_TUNE;
    /** Under the Streams principal's prefix, so the demo's app is let in on a secure stack. */
    private static final String APPLICATION_ID = StackAcls.STREAMS_APPLICATION_ID + "-demo";

    private final Settings settings;
    private final StackProperties stack;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final Map<String, Double> timings = new LinkedHashMap<>();

    public Demo(Settings settings, StackProperties stack, PrintStream out) {
        this.settings = settings;
        this.stack = stack;
        this.out = out;
    }

    private double elapsed() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void step(String what) {
        out.printf("[%6.1fs] %s%n", elapsed(), what);
    }

    private void mark(String phase) {
        timings.put(phase, Math.round(elapsed() * 10) / 10.0);
    }

    /** This run's request, its model trainer's side and, per scenario owner id, the id its samples carry. */
    private record Run(SeedSetup setup, String runId, Path runDir, HardSetRequest request, Map<String, String> kafkaIds) {
        String requestId() {
            return request.getRequestId();
        }
    }

    /** What the pipeline left when every sample was through: the live ranking, the MT's evaluations, the audit. */
    private record Streamed(List<RankingRow> finalRows, List<OwnerOutcome> outcomes,
                            List<PipelineMonitor.RankingSnapshot> history, AuditReplay.Result audit,
                            SettledWatch settled, Map<String, Integer> ingested, String screenshot) {
    }

    public DemoResult run(Scenario scenario) throws Exception {
        String runId = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path runDir = settings.runDir().resolve(runId);
        try (SeedSetup setup = prepare(scenario, runId, runDir)) {
            Run run = new Run(setup, runId, runDir, request(setup, "demo-" + scenario.name() + "-" + runId), kafkaIds(scenario, runId));
            return report(run, stream(run));
        }
    }

    /** Steps 1–2: the scenario's data and the model trainer's model and D_hard. */
    private SeedSetup prepare(Scenario scenario, String runId, Path runDir) throws IOException {
        step("generating scenario '" + scenario.name() + "' (seed " + settings.seed() + ") from " + settings.dataDir()
                + " and training the model trainer's model (" + String.join(", ", scenario.modelTrainer().weakClasses())
                + " scarce)");
        SeedSetup setup = SeedSetup.prepare(scenario, settings.seed(), settings.dataDir(), runDir,
                "demo-" + scenario.modelTrainer().model() + "-" + runId);
        step(String.format("model trained (%s on %d samples): test accuracy %.3f",
                ModelTrainerSetup.describe(setup.architecture()), setup.train().size(), setup.testAccuracy()));
        mark("train");
        return setup;
    }

    /**
     * Step 3: the request for D_hard, with the demo's method and budget per hard sample. The method is the product's
     * default ({@link DefaultMethod}) when the scenario lists it, so the demo shows what a model trainer gets by default;
     * otherwise the scenario's first method.
     */
    private HardSetRequest request(SeedSetup setup, String requestId) {
        Scenario scenario = setup.scenario();
        int k = settings.kPerHard() > 0 ? settings.kPerHard()
                : scenario.budgets().stream().mapToInt(Scenario.Budget::kPerHard).max().orElse(1);
        SelectionMethod method = scenario.methods().isEmpty() || scenario.methods().contains(DefaultMethod.METHOD)
                ? DefaultMethod.METHOD : scenario.methods().get(0);
        return setup.request(requestId, method, k);
    }

    /** Scenario owner id → the id its samples carry: unique per run, so runs on a reused stack never mix samples. */
    private static Map<String, String> kafkaIds(Scenario scenario, String runId) {
        Map<String, String> kafkaIds = new LinkedHashMap<>();
        for (Scenario.Owner o : scenario.owners()) {
            kafkaIds.put(o.id(), Keys.requireId(o.id() + "." + runId, "owner id"));
        }
        return kafkaIds;
    }

    /** Steps 4–8 on the pipeline: publish, stream the owners in with live progress, evaluate, audit; then cancel. */
    private Streamed stream(Run run) throws Exception {
        SeedSetup setup = run.setup();
        String requestId = run.requestId();
        // On a secure stack the REST API and the page need the operator's token (stack up issued it).
        Optional<String> token = stack.security().isPresent() ? StackRestTokens.operatorToken(stack.workDir()) : Optional.empty();
        Map<String, String> streamsOverrides = new LinkedHashMap<>(settings.streamsOverrides());
        if (token.isPresent()) {
            streamsOverrides.put(MycroftStreamsConfig.REST_TOKENS_FILE, StackRestTokens.tokenFile(stack.workDir()).toString());
        }
        String login = token.map(t -> "token=" + t).orElse("");
        try (InProcessPipeline pipeline = new InProcessPipeline(stack, new InProcessPipeline.Settings("", APPLICATION_ID,
                settings.runDir().resolve("streams-state"), run.runDir().resolve("owners"), settings.httpPort(),
                streamsOverrides), out);
             PipelineMonitor monitor = new PipelineMonitor(stack.clientConfig(StackSecurity.Principal.ADMIN), pipeline.topics(), Set.of(requestId),
                     new LinkedHashSet<>(run.kafkaIds().values()), false)) {
            Topics topics = pipeline.topics();
            pipeline.publish(topics.models(), setup.artifact().getModelId(), setup.artifact());
            pipeline.publish(topics.hardsetRequests(), requestId, run.request());
            step(String.format("D_hard: %d shared (%d per weak class), %d held out; published model %s and request %s "
                            + "(%s, budget %d = %d per hard sample)", setup.hardSet().shared().length,
                    setup.scenario().hardSet().sharedPerClass(), setup.hardSet().heldOut().length,
                    setup.artifact().getModelId(), requestId, run.request().getMethod(), run.request().getBudget(),
                    run.request().getPerHardSample()));
            mark("request");
            try {
                int port = pipeline.start();
                String rest = "http://127.0.0.1:" + port + "/requests/" + requestId + "/ranking";
                // The token goes to this terminal only (the page trades it for a cookie), never into the report.
                String page = "http://127.0.0.1:" + port + "/" + (login.isEmpty() ? "" : "?" + login) + "#" + requestId;
                step("inference worker and Streams app running; dashboard: " + page);
                step("ranking: " + rest + "  (live: " + rest + "/stream)"
                        + (login.isEmpty() ? "" : "; send Authorization: Bearer <token of " + stack.workDir().resolve(StackRestTokens.OPERATOR_TOKEN_FILE) + ">"));
                pipeline.addOwners(setup, run.kafkaIds());
                step("created " + pipeline.feeders().size() + " owners (directory connectors under "
                        + run.runDir().resolve("owners") + "); their files arrive over time");
                mark("owners");
                SettledWatch settled = new SettledWatch(requestId, run.kafkaIds(), settings.stopWhenSettled());
                List<RankingRow> finalRows = feed(run, pipeline, monitor, settled);
                Map<String, Integer> ingested = new LinkedHashMap<>();
                run.kafkaIds().forEach((owner, key) -> ingested.put(owner, monitor.ingested(key)));
                Optional<String> noScreenshot = PageScreenshot.take("http://127.0.0.1:" + port + "/?snapshot" + (login.isEmpty() ? "" : "&" + login) + "#" + requestId, settings.reportDir().resolve(DemoReport.SCREENSHOT));
                noScreenshot.ifPresent(reason -> step(reason));
                List<OwnerOutcome> outcomes = evaluate(run, pipeline, monitor);
                List<PipelineMonitor.RankingSnapshot> history = monitor.rankings(requestId);
                return new Streamed(finalRows, outcomes, history, audit(pipeline, requestId), settled, ingested,
                        noScreenshot.orElse(null));
            } finally {
                // Cancel the request (tombstone) so later runs' workers do not keep computing vectors for it.
                pipeline.publish(topics.hardsetRequests(), requestId, null);
            }
        }
    }

    /** Steps 5–6: the owners' files over time, with live progress until every sample is through; the live ranking. */
    private List<RankingRow> feed(Run run, InProcessPipeline pipeline, PipelineMonitor monitor, SettledWatch settled)
            throws Exception {
        String requestId = run.requestId();
        pipeline.startFeeding();
        LiveView view = new LiveView(out, settings.live(), run.kafkaIds(), pipeline.feeders(), monitor, requestId);
        try {
            pipeline.awaitThrough(monitor, List.of(requestId), settings.timeout(), seconds -> {
                view.render(elapsed());
                if (settled.tick(elapsed(), monitor, pipeline)) {
                    SettledWatch.Moment m = settled.first();
                    out.printf("[%6.1fs] ranking settled (seq %d): %s%s%n", elapsed(), m.seq(), String.join(" > ", m.order()),
                            settled.stopOwners() ? "; the owners stop here (connectors paused)" : "");
                }
            });
        } finally {
            view.render(elapsed());
        }
        view.finish();
        mark("streamed");
        List<RankingRow> rows = RankingRow.of(monitor.latestRanking(requestId), run.kafkaIds(), monitor, requestId);
        int total = pipeline.feeders().stream().mapToInt(OwnerFeeder::size).sum();
        if (pipeline.ownersPaused()) {
            int ingested = pipeline.feeders().stream().mapToInt(f -> monitor.ingested(f.ownerId())).sum();
            step("owners stopped when the ranking settled: " + ingested + " of " + total
                    + " samples ingested, all of them vectorised and selected; live ranking:");
        } else {
            step("all " + total + " samples ingested, vectorised and selected; live ranking:");
        }
        RankingRow.print(out, rows);
        return rows;
    }

    /** Step 7: the MT fine-tunes on its data ∪ each owner's useful subset and publishes the evaluations. */
    private List<OwnerOutcome> evaluate(Run run, InProcessPipeline pipeline, PipelineMonitor monitor) throws Exception {
        SeedSetup setup = run.setup();
        String requestId = run.requestId();
        Dataset heldOutHard = setup.heldOutHard();
        step("model trainer evaluates each owner's useful subset (fine-tune " + FINE_TUNE.epochs() + " epochs on MT data ∪ D_useful)");
        Evaluator.Gain alone = Evaluator.evaluate(setup.artifact(), setup.train(), new Dataset(new float[0][], new int[0]),
                heldOutHard, setup.test(), FINE_TUNE);
        List<OwnerOutcome> outcomes = new ArrayList<>();
        for (Scenario.Owner o : setup.scenario().owners()) {
            String key = run.kafkaIds().get(o.id());
            SubsetUpdate update = monitor.subset(requestId, key);
            Dataset useful = useful(update, monitor.samples(key));
            Evaluator.Gain gain = Evaluator.evaluate(setup.artifact(), setup.train(), useful, heldOutHard, setup.test(), FINE_TUNE);
            if (update != null) {
                pipeline.publish(pipeline.topics().evaluations(), Keys.requestOwner(requestId, key), new Evaluation(requestId, key,
                        update.getSeq(), gain.subsetSize(), gain.hardBefore(), gain.hardAfter(), gain.testBefore(),
                        gain.testAfter(), FINE_TUNE.seed(), Instant.now()));
            }
            outcomes.add(new OwnerOutcome(o.id(), key, o.size(), update == null ? 0 : update.getSamplesSeen(),
                    useful.size(), update == null ? null : update.getScore(), gain.hardAfter() - alone.hardAfter(),
                    gain.testAfter() - alone.testAfter(), gain.hardAfter(), gain.testAfter()));
            out.printf("           %-10s %3d samples selected: held-out D_hard %.3f -> %.3f (gain %+.3f vs MT alone), test %.3f (%+.3f)%n",
                    o.id(), useful.size(), alone.hardBefore(), gain.hardAfter(), gain.hardAfter() - alone.hardAfter(),
                    gain.testAfter(), gain.testAfter() - alone.testAfter());
        }
        out.printf("           MT alone (fine-tuned on its own data): held-out D_hard %.3f, test %.3f%n", alone.hardAfter(), alone.testAfter());
        mark("evaluated");
        waitForEvaluatedRanking(monitor, requestId, outcomes, Duration.ofSeconds(20));
        return outcomes;
    }

    /** Step 8: replay the request's inputs offline and compare with what was published. */
    private AuditReplay.Result audit(InProcessPipeline pipeline, String requestId) throws Exception {
        step("audit: replaying request " + requestId + " from offset 0 offline");
        AuditReplay.Result audit = AuditReplay.replay(pipeline.streamsConfig(), requestId);
        step("audit replay: " + audit.inputRecords() + " input records: "
                + (audit.identical() ? "subsets and ranking bit-identical to the published ones" : "DIFFERS " + audit.differences()));
        mark("audited");
        return audit;
    }

    /** Step 9: README.md and results.json, and the one-line verdict. */
    private DemoResult report(Run run, Streamed streamed) throws IOException {
        SeedSetup setup = run.setup();
        DemoResult result = DemoResult.of(setup.scenario(), settings.seed(), run.requestId(), run.runDir(), setup.testAccuracy(),
                setup.hardSet().shared().length, setup.hardSet().heldOut().length, run.request().getBudget(),
                run.request().getMethod().name(), streamed.finalRows(), streamed.outcomes(), streamed.history(), run.kafkaIds(),
                streamed.audit(), timings, elapsed(), setup.generated(), setup.generatedDir(), streamed.settled(),
                streamed.ingested(), streamed.screenshot());
        DemoReport.write(result, settings.reportDir());
        step("report: " + settings.reportDir().resolve("README.md") + " and " + settings.reportDir().resolve("results.json"));
        out.printf("top owner %s (designed best: %s) -> %s; audit %s; total %.0f s%n", result.topOwner(), result.designedBest(),
                result.topOwnerIsDesignedBest() ? "as designed" : "NOT the designed best",
                streamed.audit().identical() ? "identical" : "NOT identical", elapsed());
        return result;
    }

    private static Dataset useful(SubsetUpdate update, Map<String, PipelineMonitor.Sample> samples) {
        if (update == null) {
            return new Dataset(new float[0][], new int[0]);
        }
        TreeSet<String> wanted = new TreeSet<>();
        for (ClassSubset c : update.getClasses()) {
            c.getSelected().stream().map(SelectedSample::getSampleId).forEach(wanted::add);
        }
        List<PipelineMonitor.Sample> chosen = new ArrayList<>();
        for (String id : wanted) {
            PipelineMonitor.Sample s = samples.get(id);
            if (s == null) {
                throw new IllegalStateException("selected sample " + id + " of " + update.getOwnerId() + " was not seen on owner-samples");
            }
            chosen.add(s);
        }
        // Fine-tuning depends on sample order: order by content, so the same subset always trains the same way.
        chosen.sort(Comparator.comparingInt(PipelineMonitor.Sample::label)
                .thenComparing(PipelineMonitor.Sample::features, java.util.Arrays::compare));
        List<float[]> f = new ArrayList<>();
        List<Integer> l = new ArrayList<>();
        for (PipelineMonitor.Sample s : chosen) {
            f.add(s.features());
            l.add(s.label());
        }
        return new Dataset(f.toArray(new float[0][]), l.stream().mapToInt(Integer::intValue).toArray());
    }

    private void waitForEvaluatedRanking(PipelineMonitor monitor, String requestId, List<OwnerOutcome> outcomes, Duration timeout)
            throws InterruptedException {
        long evaluated = outcomes.stream().filter(o -> o.score() != null).count();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            OwnerRanking r = monitor.latestRanking(requestId);
            if (r != null && r.getOwners().stream().filter(o -> o.getEvaluationGain() != null).count() >= evaluated) {
                Thread.sleep(1500); // the evaluations repartition: let the last one land
                return;
            }
            Thread.sleep(250);
        }
        out.println("           (the ranking did not show every evaluation within " + timeout + ")");
    }

    /**
     * One line of the ranking as the demo shows it: scenario owner id, rank, score, subset size, samples seen, of them
     * the duplicates (copies of content an earlier sample of the request had), evaluation gain.
     */
    record RankingRow(int rank, String owner, double score, int subsetSize, long samplesSeen, long duplicateSamples,
                      Double evaluationGain) {
        static List<RankingRow> of(OwnerRanking ranking, Map<String, String> kafkaIds, PipelineMonitor monitor, String requestId) {
            Map<String, String> back = new LinkedHashMap<>();
            kafkaIds.forEach((s, kid) -> back.put(kid, s));
            List<RankingRow> rows = new ArrayList<>();
            Set<String> listed = new LinkedHashSet<>();
            if (ranking != null) {
                for (RankedOwner o : ranking.getOwners()) {
                    if (back.containsKey(o.getOwnerId())) {
                        rows.add(new RankingRow(rows.size() + 1, back.get(o.getOwnerId()), o.getScore(), o.getSubsetSize(),
                                o.getSamplesSeen(), o.getDuplicateSamples(), o.getEvaluationGain()));
                        listed.add(o.getOwnerId());
                    }
                }
            }
            // Owners with no sample of a weak class never get a subset, so the ranking does not list them: last, score 0.
            kafkaIds.forEach((s, kid) -> {
                if (!listed.contains(kid)) {
                    rows.add(new RankingRow(rows.size() + 1, s, 0.0, 0, monitor.vectorised(requestId, kid), 0, null));
                }
            });
            return rows;
        }

        static void print(PrintStream out, List<RankingRow> rows) {
            out.println("           rank  owner       score   subset  seen  copies");
            for (RankingRow r : rows) {
                out.printf("           %4d  %-10s %6.3f  %6d  %4d  %6d%n", r.rank(), r.owner(), r.score(), r.subsetSize(), r.samplesSeen(),
                        r.duplicateSamples());
            }
        }
    }

    /** What the MT measured for one owner. Gains are against fine-tuning on the MT's data alone, same seed and epochs. */
    record OwnerOutcome(String owner, String kafkaOwnerId, int size, long samplesSeen, int subsetSize, Double score,
                        double hardGain, double testGain, double hardAccuracy, double testAccuracy) {
    }

    static Comparator<OwnerOutcome> byGain() {
        return Comparator.comparingDouble(OwnerOutcome::hardGain).reversed().thenComparing(OwnerOutcome::owner);
    }
}
