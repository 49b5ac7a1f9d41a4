package io.mycroft.experiments.report;

import io.mycroft.experiments.metrics.Spread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
  * The human-readable {@code reports/<name>/README.md}: headline numbers against issue 8's targets (met or not, said
  * plainly), the ranking beside full information, accuracy per method and budget with spread over seeds, where Mycroft
  * does not beat random, and the charts.
  */
public final class MarkdownReport {
    public static final String FILE_NAME = "README.md";

    private MarkdownReport() {}

    /**
      * @param description what the scenario is (its file's description)
      * @param charts chart file names relative to the report directory, with their captions, in display order
      */
    public static Path write(Results r, String description, List<Chart> charts, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, render(r, description, charts));
        return file;
    }

    /** A chart image in the report directory and its caption. */
    public record Chart(String fileName, String caption) {}

    public static String render(Results r, String description, List<Chart> charts) {
        StringBuilder md = new StringBuilder();
        md.append("# Scenario `").append(r.scenario()).append("`\n\n");
        if (!description.isBlank()) {
            md.append(description.strip()).append("\n\n");
        }
        md.append("Data set: ").append(r.dataset()).append(" · seeds: ").append(r.seeds()).append(" · owners: ")
                .append(r.owners().size()).append(" · primary method: ").append(r.primaryMethod())
                .append(" · headline budget: B = ").append(r.headlineBudget()).append(" (")
                .append(pct(r.gainRecoverySharedFraction())).append(" of an owner's data)\n\n");

        md.append("## Headline\n\n| Measure | Value | Target | Met |\n|---|---|---|---|\n");
        md.append("| Kendall τ vs full information (like with like) | ")
                .append(r.kendallTau() == null ? "n/a: needs ≥ 2 seeds" : num(r.kendallTau()) + " ± " + num(r.kendallTauBySeed().std()))
                .append(" | ≥ noise ceiling (").append(r.noiseCeilingTau() == null ? "n/a" : num(r.noiseCeilingTau())).append(") | ")
                .append(met(r.targets().tauAtLeastNoiseCeiling())).append(" |\n");
        md.append("| Top-1 owner correct | ").append(pct(r.top1CorrectRate())).append(" of seeds | ≥ 2/3 of seeds | ")
                .append(met(r.targets().top1Correct())).append(" |\n");
        md.append("| Held-out D_hard accuracy vs random (points) | ")
                .append(r.vsRandomPoints() == null ? "n/a: no random baseline" : spread(r.vsRandomPoints(), 1))
                .append(" | ≥ ").append(num(Results.VS_RANDOM_TARGET_POINTS, 0)).append(" | ")
                .append(met(r.targets().beatsRandomBy5Points())).append(" |\n");
        md.append("| Gain recovery | ").append(r.gainRecovery() == null ? "n/a" : pct(r.gainRecovery()))
                .append(" | ≥ ").append(pct(Results.GAIN_RECOVERY_TARGET)).append(" | ")
                .append(met(r.targets().gainRecoveryAtLeastHalf())).append(" |\n");
        md.append("| Budget honoured (no subset shares more than B) | ").append(r.budgetHonoured() ? "yes" : "no")
                .append(" | yes | ").append(met(r.targets().budgetHonoured())).append(" |\n\n");
        md.append("Like with like: for each seed s, τ_s compares s's live scores with FI_{−s}, the mean full-information "
                + "gain of the *other* seeds, and the noise ceiling τ_b(FI_s, FI_{−s}) is computed the same way; both over the "
                + "owners holding data of the requested classes (all owners: τ ")
                .append(opt(r.kendallTauAllOwners())).append(", ceiling ").append(opt(r.noiseCeilingTauAllOwners())).append(").");
        if (r.tauMinusCeiling() != null) {
            md.append(" τ − ceiling, paired by seed: ").append(interval(r.tauMinusCeiling(), 3)).append(".");
        }
        md.append(" Smallest difference vs random these seeds and held-out sizes can detect: ")
                .append(r.detectableDifferencePoints() == null ? "n/a (one seed)"
                        : num(r.detectableDifferencePoints(), 1) + " points").append(".\n\n");
        if (!r.rankingBySeed().isEmpty() && r.kendallTau() != null) {
            md.append("| Seed | τ | ceiling | τ (all owners) | ceiling (all owners) | top-1 right |\n|---|---|---|---|---|---|\n");
            for (Results.SeedRanking s : r.rankingBySeed()) {
                md.append("| ").append(s.seed()).append(" | ").append(opt(s.tau())).append(" | ").append(opt(s.noiseCeiling()))
                        .append(" | ").append(opt(s.tauAllOwners())).append(" | ").append(opt(s.noiseCeilingAllOwners()))
                        .append(" | ").append(s.top1Correct() == null ? "n/a" : s.top1Correct() ? "yes" : "no").append(" |\n");
            }
            md.append("\n");
        }
        if (!r.rankingByScore().isEmpty()) {
            md.append("Other owner scores judged the same way: each method's final score at the primary budget (what its "
                    + "live ranking shows), and GGDA, the group attribution φ = Σ_c Σ_i cos(a_i, y_c) over each owner's "
                    + "samples of the requested classes (near-copies once; `GroupAttribution`, in batch on the primary "
                    + "request's published vectors).\n\n| Score | τ | τ per seed | τ − live τ, paired [95%] | top-1 right |\n"
                    + "|---|---|---|---|---|\n");
            for (Results.ScoreRanking g : r.rankingByScore()) {
                md.append("| ").append(g.score()).append(" | ").append(opt(g.kendallTau())).append(" | ")
                        .append(g.kendallTauBySeed() == null ? "n/a" : spread(g.kendallTauBySeed(), 2)).append(" | ")
                        .append(g.tauMinusLive() == null ? "n/a" : interval(g.tauMinusLive(), 3)).append(" | ")
                        .append(pct(g.top1CorrectRate())).append(" |\n");
            }
            md.append("\n");
        }

        md.append("## Owner ranking (means over seeds)\n\n")
                .append("| Owner | Mycroft score | Mycroft rank | Full-information accuracy | Full-information rank |\n")
                .append("|---|---|---|---|---|\n");
        for (Results.OwnerRow o : r.ranking()) {
            md.append("| ").append(o.owner()).append(" | ").append(num(o.mycroftScore())).append(" | ")
                    .append(o.mycroftRank()).append(" | ").append(pct(o.fullInformationScore())).append(" | ")
                    .append(o.fullInformationRank()).append(" |\n");
        }

        md.append("\n## Accuracy after fine-tuning (mean ± std over seeds)\n\n")
                .append("MT alone: held-out D_hard ").append(spreadPct(r.modelTrainerOnly().heldOutHard())).append(", test ")
                .append(spreadPct(r.modelTrainerOnly().test())).append(".\n\n")
                .append("| Method | Budget | Held-out D_hard | Test | Data shared |\n|---|---|---|---|---|\n");
        for (Results.AccuracyRow a : r.accuracies()) {
            md.append("| ").append(a.method()).append(" | ").append(a.budget() == 0 ? "all" : a.budget()).append(" | ")
                    .append(spreadPct(a.heldOutHard())).append(" | ").append(spreadPct(a.test())).append(" | ")
                    .append(pct(a.sharedFraction().mean())).append(" |\n");
        }

        if (!r.vsRandomByBudget().isEmpty()) {
            md.append("\n## Versus random at equal budget (percentage points, paired by seed)\n\n")
                    .append("| Method | Budget | Mean | Std | Min | Max |\n|---|---|---|---|---|---|\n");
            for (Results.VsRandom v : r.vsRandomByBudget()) {
                md.append("| ").append(v.method()).append(" | ").append(v.budget()).append(" | ")
                        .append(num(v.points().mean(), 1)).append(" | ").append(num(v.points().std(), 1)).append(" | ")
                        .append(num(v.points().min(), 1)).append(" | ").append(num(v.points().max(), 1)).append(" |\n");
            }
            md.append("\n");
            if (r.notBetterThanRandom().isEmpty()) {
                md.append("Every method beats random on average at every budget.\n");
            } else {
                // K-Center is a baseline, not Mycroft: its losses to random are listed apart.
                List<Results.VsRandom> mycroft = r.notBetterThanRandom().stream().filter(v -> isMycroft(v.method())).toList();
                List<Results.VsRandom> baselines = r.notBetterThanRandom().stream().filter(v -> !isMycroft(v.method())).toList();
                if (!mycroft.isEmpty()) {
                    md.append("**Where Mycroft does not beat random:** ").append(losses(mycroft)).append(".\n");
                } else {
                    md.append("Every Mycroft method beats random on average at every budget.\n");
                }
                if (!baselines.isEmpty()) {
                    md.append("\n**Baselines that do not beat random:** ").append(losses(baselines)).append(".\n");
                }
            }
        }

        if (!r.vsRandomByOwner().isEmpty()) {
            md.append("\n## Every owner versus random at B = ").append(r.headlineBudget())
                    .append(" (percentage points of held-out D_hard, paired by seed, 95% bootstrap interval)\n\n")
                    .append("| Owner | Method | Mean | 95% interval | Seeds | Shared (method) | Shared (random) |\n")
                    .append("|---|---|---|---|---|---|---|\n");
            for (Results.OwnerVsRandom v : r.vsRandomByOwner()) {
                md.append("| ").append(v.owner()).append(" | ").append(v.method()).append(" | ").append(num(v.points().mean(), 1))
                        .append(" | [").append(num(v.points().low(), 1)).append(", ").append(num(v.points().high(), 1))
                        .append("] | ").append(v.points().n()).append(" | ").append(num(v.sharedMethod(), 1)).append(" | ")
                        .append(num(v.sharedRandom(), 1)).append(" |\n");
            }
        }

        if (!r.pipeline().isEmpty()) {
            md.append("\n## Through the pipeline: streamed vs batch, audit\n\n")
                    .append("Per seed: requests (one per method and budget), owner samples streamed through Connect, vectors the "
                            + "inference worker computed, (request, owner) subsets re-selected in batch form on exactly the published "
                            + "vectors and compared with the last streamed subset update, and the audit replay of one request.\n\n")
                    .append("| seed | requests | owners | samples streamed | vectors | streamed = batch | audit replay | stream time (s) |\n")
                    .append("|---|---|---|---|---|---|---|---|\n");
            for (Results.SeedPipeline p : r.pipeline()) {
                SeedRun.Pipeline x = p.run();
                md.append("| ").append(p.seed()).append(" | ").append(x.requests()).append(" | ").append(x.owners()).append(" | ")
                        .append(x.samplesStreamed()).append(" | ").append(x.vectorsComputed()).append(" | ")
                        .append(x.subsetsIdentical()).append(" of ").append(x.subsetsCompared()).append(" identical | ")
                        .append(x.auditIdentical() ? "identical" : "**differs**").append(" (`").append(x.auditedRequest()).append("`) | ")
                        .append(num(x.streamSeconds(), 1)).append(" |\n");
                x.differences().forEach(d -> md.append("\n- seed ").append(p.seed()).append(": ").append(d));
            }
            md.append("\n");
            for (Results.SeedPipeline p : r.pipeline()) {
                SeedRun.Privacy q = p.run().privacy();
                if (q != null) {
                    md.append("- seed ").append(p.seed()).append(": `").append(p.run().auditedRequest())
                            .append("` is (ε = ").append(num(q.epsilon(), 2)).append(", δ = ").append(q.delta())
                            .append(")-differentially private, C = ").append(num(q.clipNorm(), 2)).append(":")
                            .append(q.gradientSensitivity() == 0 ? "" : " gradient sums σ = " + num(q.gradientNoiseStd(), 3)
                                    + " (Δ = " + num(q.gradientSensitivity(), 2) + ")")
                            .append(q.gradientSensitivity() == 0 || q.embeddingNoiseStd() == null ? "" : ",")
                            .append(q.embeddingNoiseStd() == null ? "" : " embedding sums σ = " + num(q.embeddingNoiseStd(), 3)
                                    + " (Δ = " + num(q.embeddingSensitivity(), 2) + ")")
                            .append("; ").append(q.accountant()).append(".\n");
                }
            }
        }

        if (!charts.isEmpty()) {
            md.append("\n## Charts\n\n");
            for (Chart c : charts) {
                md.append("![").append(c.caption()).append("](").append(c.fileName()).append(")\n\n");
            }
        }
        md.append("\nEvery number above is in `").append(ResultsJson.FILE_NAME).append("`.\n");
        return md.toString();
    }

    private static String opt(Double v) {
        return v == null ? "n/a" : num(v);
    }

    private static String interval(io.mycroft.experiments.metrics.Bootstrap.Interval i, int decimals) {
        return num(i.mean(), decimals) + " [" + num(i.low(), decimals) + ", " + num(i.high(), decimals) + "]";
    }

    private static String met(Boolean met) {
        return met == null ? "not judged" : met ? "**met**" : "**not met**";
    }

    private static String num(double v) {
        return num(v, 3);
    }

    private static String num(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
    }

    private static String spreadPct(Spread s) {
        return String.format(Locale.ROOT, "%.1f ± %.1f %%", 100 * s.mean(), 100 * s.std());
    }

    private static String spread(Spread s, int decimals) {
        return num(s.mean(), decimals) + " ± " + num(s.std(), decimals) + " (min " + num(s.min(), decimals) + ", max "
                + num(s.max(), decimals) + ")";
    }

    private static boolean isMycroft(String method) {
        String base = method.endsWith("+LC") ? method.substring(0, method.length() - 3) : method;
        return base.equals("GRADIENT") || base.equals("FEATURE") || base.equals("FUNCFEAT");
    }

    private static String losses(List<Results.VsRandom> vs) {
        return String.join(", ", vs.stream()
                .map(v -> v.method() + " at B = " + v.budget() + " (" + num(v.points().mean(), 1) + " points)").toList());
    }
}
