package io.mycroft.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.mycroft.experiments.report.Charts;
import io.mycroft.experiments.report.Timelines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes {@code results.json} (every number) and {@code README.md} (the same, for people) into the report directory. */
final class DemoReport {
    /** The dashboard's screenshot in the report directory. */
    static final String SCREENSHOT = "dashboard.png";

    private DemoReport() {
    }

    /** The settled signal: when it fired, how much data had arrived, whether its order held; the data owners kept. */
    @SuppressWarnings("unchecked")
    private static String settled(DemoResult r) {
        Map<String, Object> s = r.settled();
        StringBuilder md = new StringBuilder("\n## Settled signal\n\n");
        md.append("A ranking is *settled* while the order of the owners whose score intervals do not overlap (class "
                + "bootstrap, 95 %) is non-empty and has had no pair reversed for the window of subset updates "
                + "(`mycroft.ranking.settled.window.updates`).\n\n");
        if (!Boolean.TRUE.equals(s.get("fired"))) {
            md.append("- The ranking never settled while the data streamed in.\n");
        } else {
            List<String> pairs = (List<String>) s.get("separated_pairs");
            md.append(String.format("- Fired at %s s (ranking #%s) with order %s and %d separated pair(s) among this run's owners: %s.%n",
                    s.get("at_seconds"), s.get("ranking_seq"), String.join(" > ", (List<String>) s.get("order")), pairs.size(),
                    String.join(", ", pairs)));
            md.append(String.format("- Share of the data ingested then: %s of all samples; per owner: %s.%n",
                    s.get("share_ingested_total"), s.get("share_ingested_per_owner")));
            md.append(String.format("- Pairs still in that order in the final live ranking: %s of %d; by the MT's measured gain: "
                            + "%s of %d (%s tied). Top owner then %s, at the end %s.%n", s.get("pairs_held_in_final_live_ranking"),
                    pairs.size(), s.get("pairs_held_by_measured_gain"), pairs.size(), s.get("pairs_tied_by_measured_gain"),
                    s.get("top_owner_when_settled"), Boolean.TRUE.equals(s.get("top_owner_unchanged_at_end")) ? "the same" : "another"));
        }
        md.append(String.format("- Owners stopped when settled (`--stop-when-settled`): %s; samples ingested %s of %s (%s not revealed).%n",
                Boolean.TRUE.equals(s.get("owners_stopped_when_settled")) ? "yes" : "no", s.get("samples_ingested_at_end"),
                s.get("samples_total"), s.get("samples_not_revealed")));
        return md.toString();
    }

    /**
     * Charts of the live phase (before the MT's evaluations reorder the ranking): each owner's rank, and for GRADIENT its
     * mean relative residual 1 − score/C = mean over the C weak classes of ‖r_c‖/‖y_c‖ (the live score is
     * Σ_c (1 − ‖r_c‖/‖y_c‖), DESIGN §3).
     */
    @SuppressWarnings("unchecked")
    private static String charts(DemoResult r, Path dir) throws IOException {
        List<Timelines.Snapshot> live = new ArrayList<>();
        for (Map<String, Object> t : r.rankingOverTime()) {
            if (Boolean.TRUE.equals(t.get("live"))) {
                live.add(new Timelines.Snapshot(((Number) t.get("at_seconds")).doubleValue(), (Map<String, Double>) t.get("scores")));
            }
        }
        List<String> owners = r.owners().stream().map(o -> (String) o.get("owner")).sorted().toList();
        if (live.size() < 2) {
            return "\nToo few live rankings (" + live.size() + ") for charts over time: the data went through within one "
                    + "ranking emit interval.\n";
        }
        StringBuilder md = new StringBuilder("\n## Charts\n\n");
        Charts.rankingOverTime(r.scenario() + ": live owner ranking as data arrives", Timelines.ranks(owners, live),
                dir.resolve("ranking-over-time.png"));
        md.append("![ranking over time](ranking-over-time.png)\n");
        if (r.method().equals("GRADIENT")) {
            List<Timelines.Snapshot> residuals = new ArrayList<>();
            for (Timelines.Snapshot s : live) {
                Map<String, Double> relative = new LinkedHashMap<>();
                s.scores().forEach((owner, score) -> relative.put(owner, 1 - score / r.weakClasses()));
                residuals.add(new Timelines.Snapshot(s.seconds(), relative));
            }
            Charts.residualNormOverTime(r.scenario() + ": residual per owner as data arrives",
                    "mean relative residual ‖r_c‖/‖y_c‖ over the weak classes", Timelines.values(owners, residuals),
                    dir.resolve("residual-over-time.png"));
            md.append("![residual over time](residual-over-time.png)\n");
        }
        return md.toString();
    }

    static void write(DemoResult r, Path dir) throws IOException {
        Files.createDirectories(dir);
        new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("results.json").toFile(), r);
        StringBuilder md = new StringBuilder();
        md.append("# Mycroft Streams demo: ").append(r.scenario()).append("\n\n");
        md.append(String.format("Request `%s`, seed %d, method %s, budget %d. The model trainer's model reaches test accuracy "
                + "%.3f; D_hard: %d shared hard samples, %d held out for evaluation. Total %.1f s.%n%n", r.requestId(), r.seed(),
                r.method(), r.budget(), r.mtTestAccuracy(), r.hardShared(), r.hardHeldOut(), r.totalSeconds()));
        md.append(String.format("- **Top owner of the live ranking: %s**; designed best (most clean weak-class samples): %s → %s.%n",
                r.topOwner(), r.designedBest(), r.topOwnerIsDesignedBest() ? "as designed" : "**not** the designed best"));
        md.append(String.format("- Top owner by the model trainer's measured gain: %s; Kendall τ-b between the live scores and the "
                + "measured gains over all owners: %.3f (one seed, one fine-tuning run each: noisy).%n", r.topOwnerByMeasuredGain(),
                r.kendallTauLiveVsMeasuredGain()));
        md.append(String.format("- Audit replay (%d input records): %s (digest `%s`).%n%n", r.auditInputRecords(),
                r.auditIdentical() ? "subsets and ranking bit-identical to the published ones" : "**differs**", r.auditDigest()));
        md.append("## Live ranking once all data was through\n\n| rank | owner | score | subset size | samples seen | of them copies |\n|---|---|---|---|---|---|\n");
        for (Map<String, Object> row : r.ranking()) {
            md.append(String.format("| %s | %s | %.4f | %s | %s | %s |%n", row.get("rank"), row.get("owner"), (Double) row.get("score"),
                    row.get("subset_size"), row.get("samples_seen"), row.getOrDefault("duplicate_samples", "–")));
        }
        md.append("\nOwners with no sample of a weak class never get a subset; the ranking does not list them (shown last, score 0).\n\n");
        md.append("## Measured by the model trainer\n\nFine-tuning a copy of the MT model on its own data ∪ the owner's useful "
                + "subset; gains are against fine-tuning on its own data alone (same seed and epochs).\n\n"
                + "| owner | size | clean weak-class samples | subset size | held-out D_hard acc. | gain | test acc. | gain |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> o : r.owners()) {
            md.append(String.format("| %s | %s | %s | %s | %.3f | %+.3f | %.3f | %+.3f |%n", o.get("owner"), o.get("size"),
                    o.get("clean_weak_class_samples"), o.get("subset_size"), (Double) o.get("held_out_hard_accuracy"),
                    (Double) o.get("held_out_hard_gain"), (Double) o.get("test_accuracy"), (Double) o.get("test_gain")));
        }
        md.append("\n## Ranking over time (as published on owner-rankings)\n\n| at (s) | seq | ranked by | order |\n|---|---|---|---|\n");
        for (Map<String, Object> t : r.rankingOverTime()) {
            @SuppressWarnings("unchecked")
            java.util.List<String> order = (java.util.List<String>) t.get("order");
            md.append(String.format("| %s | %s | %s | %s |%n", t.get("at_seconds"), t.get("seq"), t.get("phase"), String.join(" > ", order)));
        }
        md.append(settled(r));
        md.append("\n## The dashboard\n\n");
        md.append(r.screenshot().equals(SCREENSHOT) ? "The page at `http://127.0.0.1:<port>/` once all data was through "
                + "(headless Chromium):\n\n![dashboard](" + SCREENSHOT + ")\n" : r.screenshot() + "\n");
        md.append(charts(r, dir));
        md.append("\n## Timings (seconds since start)\n\n");
        r.phaseSeconds().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("\nData, owner directories and truth files: `").append(r.runDirectory()).append("`.\n");
        Files.writeString(dir.resolve("README.md"), md.toString());
    }
}
