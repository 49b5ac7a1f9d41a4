package io.mycroft.cli.demo;

import io.mycroft.experiments.pipeline.PipelineMonitor;
import io.mycroft.experiments.scenario.GeneratedData;
import io.mycroft.experiments.metrics.KendallTau;
import io.mycroft.experiments.scenario.Scenario;
import io.mycroft.topology.AuditReplay;
import mycroft.schemas.RankedOwner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the demo measured, as written to {@code results.json}. {@code designedBest} is the owner holding the most
 * weak-class samples that are neither corrupted nor mislabelled (counted from the generator's truth files, which the
 * pipeline never sees): the owner the scenario is built to be the most useful.
 */
public record DemoResult(String scenario, long seed, String requestId, String runDirectory, double mtTestAccuracy,
                         int hardShared, int hardHeldOut, int budget, String method, int weakClasses,
                         List<Map<String, Object>> ranking, List<Map<String, Object>> owners,
                         List<Map<String, Object>> rankingOverTime, String topOwner, String topOwnerByMeasuredGain,
                         double kendallTauLiveVsMeasuredGain,
                         String designedBest, boolean topOwnerIsDesignedBest, boolean auditIdentical, String auditDigest,
                         long auditInputRecords, Map<String, Double> phaseSeconds, double totalSeconds,
                         Map<String, Object> settled, String screenshot) {

    static DemoResult of(Scenario scenario, long seed, String requestId, Path runDir, double mtTest, int shared, int heldOut,
                         int budget, String method, List<Demo.RankingRow> rows, List<Demo.OwnerOutcome> outcomes,
                         List<PipelineMonitor.RankingSnapshot> history, Map<String, String> kafkaIds, AuditReplay.Result audit,
                         Map<String, Double> timings, double total, GeneratedData generated, Path generatedDir,
                         SettledWatch watch, Map<String, Integer> ingested, String noScreenshot) throws IOException {
        Map<String, Integer> cleanWeak = cleanWeakCounts(scenario, generatedDir);
        String designed = cleanWeak.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))).map(Map.Entry::getKey).orElse(null);
        List<Map<String, Object>> ranking = new ArrayList<>();
        for (Demo.RankingRow r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rank", r.rank());
            m.put("owner", r.owner());
            m.put("score", r.score());
            m.put("subset_size", r.subsetSize());
            m.put("samples_seen", r.samplesSeen());
            m.put("duplicate_samples", r.duplicateSamples());
            ranking.add(m);
        }
        List<Map<String, Object>> owners = new ArrayList<>();
        for (Demo.OwnerOutcome o : outcomes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("owner", o.owner());
            m.put("owner_id_on_topics", o.kafkaOwnerId());
            m.put("size", o.size());
            m.put("clean_weak_class_samples", cleanWeak.getOrDefault(o.owner(), 0));
            m.put("samples_seen", o.samplesSeen());
            m.put("subset_size", o.subsetSize());
            m.put("live_score", o.score());
            m.put("held_out_hard_accuracy", o.hardAccuracy());
            m.put("held_out_hard_gain", o.hardGain());
            m.put("test_accuracy", o.testAccuracy());
            m.put("test_gain", o.testGain());
            owners.add(m);
        }
        Map<String, String> back = new LinkedHashMap<>();
        kafkaIds.forEach((s, k) -> back.put(k, s));
        List<Map<String, Object>> overTime = new ArrayList<>();
        for (PipelineMonitor.RankingSnapshot snap : history) {
            List<String> order = new ArrayList<>();
            Map<String, Double> scores = new LinkedHashMap<>();
            boolean evaluated = false;
            for (RankedOwner o : snap.ranking().getOwners()) {
                if (back.containsKey(o.getOwnerId())) {
                    order.add(back.get(o.getOwnerId()));
                    scores.put(back.get(o.getOwnerId()), o.getScore());
                    evaluated |= o.getEvaluationGain() != null;
                }
            }
            if (order.isEmpty()) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at_seconds", Math.round(snap.atSeconds() * 10) / 10.0);
            m.put("seq", snap.ranking().getSeq());
            m.put("order", order);
            // Once the MT's evaluations arrive, the Streams app ranks by measured gain first (DESIGN §3).
            m.put("phase", evaluated ? "after MT evaluation (by measured gain)" : "live selection score");
            m.put("scores", scores);
            m.put("live", !evaluated);
            overTime.add(m);
        }
        String top = rows.isEmpty() ? null : rows.get(0).owner();
        String topByGain = outcomes.stream().sorted(Demo.byGain()).map(Demo.OwnerOutcome::owner).findFirst().orElse(null);
        // Kendall τ-b between the live selection scores and the measured held-out D_hard gains, over all owners.
        Map<String, Double> liveScore = new LinkedHashMap<>();
        rows.forEach(r -> liveScore.put(r.owner(), r.score()));
        double[] x = outcomes.stream().mapToDouble(o -> liveScore.getOrDefault(o.owner(), 0.0)).toArray();
        double[] y = outcomes.stream().mapToDouble(Demo.OwnerOutcome::hardGain).toArray();
        double tau = KendallTau.tauB(x, y);
        return new DemoResult(scenario.name(), seed, requestId, runDir.toString(), mtTest, shared, heldOut, budget, method,
                scenario.modelTrainer().weakClasses().size(), ranking,
                owners, overTime, top, topByGain, tau, designed, top != null && top.equals(designed), audit.identical(),
                audit.replayedDigest(), audit.inputRecords(), timings, Math.round(total * 10) / 10.0,
                settled(watch, rows, outcomes, ingested), noScreenshot == null ? DemoReport.SCREENSHOT : noScreenshot);
    }

    /**
     * The settled signal measured: when it fired, how much of each owner's data had been ingested then, and whether the
     * pairs it had separated still held in the final live ranking and in the order of the MT's measured gains; with
     * the owners stopped there, how much data they did not reveal.
     */
    private static Map<String, Object> settled(SettledWatch watch, List<Demo.RankingRow> rows, List<Demo.OwnerOutcome> outcomes,
                                               Map<String, Integer> ingestedAtEnd) {
        Map<String, Object> m = new LinkedHashMap<>();
        SettledWatch.Moment first = watch.first();
        m.put("fired", first != null);
        m.put("owners_stopped_when_settled", watch.stopOwners());
        int total = outcomes.stream().mapToInt(Demo.OwnerOutcome::size).sum();
        int revealed = ingestedAtEnd.values().stream().mapToInt(Integer::intValue).sum();
        m.put("samples_total", total);
        m.put("samples_ingested_at_end", revealed);
        m.put("samples_not_revealed", total - revealed);
        if (first == null) {
            return m;
        }
        m.put("at_seconds", Math.round(first.atSeconds() * 10) / 10.0);
        m.put("ranking_seq", first.seq());
        m.put("order", first.order());
        m.put("separated_pairs", first.separatedPairs());
        Map<String, Double> share = new LinkedHashMap<>();
        first.sizes().forEach((owner, size) -> share.put(owner, size == 0 ? 1.0
                : Math.round(1000.0 * first.ingested().getOrDefault(owner, 0) / size) / 1000.0));
        m.put("share_ingested_per_owner", share);
        int ingestedThen = first.ingested().values().stream().mapToInt(Integer::intValue).sum();
        m.put("share_ingested_total", total == 0 ? 1.0 : Math.round(1000.0 * ingestedThen / total) / 1000.0);
        Map<String, Integer> finalRank = new LinkedHashMap<>();
        rows.forEach(r -> finalRank.put(r.owner(), r.rank()));
        Map<String, Double> gain = new LinkedHashMap<>();
        outcomes.forEach(o -> gain.put(o.owner(), o.hardGain()));
        int heldLive = 0;
        int heldGain = 0;
        int tiedGain = 0;
        for (String pair : first.separatedPairs()) {
            String[] ab = pair.split(">", 2);
            if (finalRank.getOrDefault(ab[0], Integer.MAX_VALUE) < finalRank.getOrDefault(ab[1], Integer.MAX_VALUE)) {
                heldLive++;
            }
            int c = Double.compare(gain.getOrDefault(ab[0], 0.0), gain.getOrDefault(ab[1], 0.0));
            heldGain += c > 0 ? 1 : 0;
            tiedGain += c == 0 ? 1 : 0;
        }
        m.put("pairs_held_in_final_live_ranking", heldLive);
        m.put("pairs_held_by_measured_gain", heldGain);
        m.put("pairs_tied_by_measured_gain", tiedGain);
        String topThen = first.order().isEmpty() ? null : first.order().get(0);
        m.put("top_owner_when_settled", topThen);
        m.put("top_owner_unchanged_at_end", !rows.isEmpty() && rows.get(0).owner().equals(topThen));
        return m;
    }

    /** Per owner, samples whose true class is weak, whose label was not flipped and whose features were not corrupted. */
    private static Map<String, Integer> cleanWeakCounts(Scenario scenario, Path generatedDir) throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> weak = scenario.modelTrainer().weakClasses();
        for (Scenario.Owner o : scenario.owners()) {
            List<String> lines = Files.readAllLines(generatedDir.resolve("truth").resolve(o.id() + ".csv"));
            List<String> header = List.of(lines.get(0).split(","));
            int trueLabel = header.indexOf("true_label");
            int flipped = header.indexOf("label_flipped");
            int corrupted = header.indexOf("corrupted");
            int n = 0;
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", -1);
                if (weak.contains(f[trueLabel]) && !Boolean.parseBoolean(f[flipped]) && !Boolean.parseBoolean(f[corrupted])) {
                    n++;
                }
            }
            counts.put(o.id(), n);
        }
        return counts;
    }
}
