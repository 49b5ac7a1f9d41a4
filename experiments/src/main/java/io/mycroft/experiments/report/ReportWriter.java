package io.mycroft.experiments.report;

import io.mycroft.experiments.scenario.Scenario;

import io.mycroft.experiments.report.Charts.BudgetAccuracy;
import io.mycroft.experiments.report.Charts.Point;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
  * Writes a scenario's report directory {@code <reportsRoot>/<scenario>/}: {@code results.json}, the charts as PNG and
  * {@code README.md} linking them. Full information is drawn as a flat line across the budgets (it uses all the data).
  */
public final class ReportWriter {
    public static final String ACCURACY_HARD_PNG = "accuracy-vs-budget-held-out-hard.png";
    public static final String ACCURACY_TEST_PNG = "accuracy-vs-budget-test.png";
    public static final String RANKING_PNG = "ranking-over-time.png";
    public static final String RESIDUAL_PNG = "residual-norm-over-time.png";

    private ReportWriter() {}

    /**
      * @param rankOverTime owner → (seconds since the request, rank) from the live ranking topic; may be empty
      * @param residualOverTime owner → (seconds, ‖r‖/‖y‖ averaged over weak classes); may be empty
      * @return the report directory
      */
    public static Path write(Path reportsRoot, Results results, String description,
                                                      Map<String, List<Point>> rankOverTime, Map<String, List<Point>> residualOverTime)
            throws IOException {
        Path dir = reportsRoot.resolve(results.scenario());
        ResultsJson.write(results, dir.resolve(ResultsJson.FILE_NAME));
        List<MarkdownReport.Chart> charts = new ArrayList<>();
        Charts.accuracyVsBudget(results.scenario() + ": held-out D_hard accuracy after fine-tuning",
                "Held-out D_hard accuracy", byMethod(results, Results.AccuracyRow::heldOutHard), dir.resolve(ACCURACY_HARD_PNG));
        charts.add(new MarkdownReport.Chart(ACCURACY_HARD_PNG, "Held-out D_hard accuracy vs budget"));
        Charts.accuracyVsBudget(results.scenario() + ": test accuracy after fine-tuning", "Test accuracy",
                byMethod(results, Results.AccuracyRow::test), dir.resolve(ACCURACY_TEST_PNG));
        charts.add(new MarkdownReport.Chart(ACCURACY_TEST_PNG, "Test accuracy vs budget"));
        if (!rankOverTime.isEmpty()) {
            Charts.rankingOverTime(results.scenario() + ": owner ranking as data arrives", rankOverTime,
                    dir.resolve(RANKING_PNG));
            charts.add(new MarkdownReport.Chart(RANKING_PNG, "Owner ranking over time"));
        }
        if (!residualOverTime.isEmpty()) {
            Charts.residualNormOverTime(results.scenario() + ": OMP residual per owner", "‖r‖ / ‖y‖ (mean over weak classes)",
                    residualOverTime, dir.resolve(RESIDUAL_PNG));
            charts.add(new MarkdownReport.Chart(RESIDUAL_PNG, "Residual norm over time per owner"));
        }
        MarkdownReport.write(results, description, charts, dir.resolve(MarkdownReport.FILE_NAME));
        return dir;
    }

    static Map<String, List<BudgetAccuracy>> byMethod(Results results,
                                                                                                      Function<Results.AccuracyRow, io.mycroft.experiments.metrics.Spread> f) {
        List<Integer> budgets = results.accuracies().stream().map(Results.AccuracyRow::budget)
                .filter(b -> b != SeedRun.Measurement.ALL_DATA).distinct().sorted().toList();
        Map<String, List<BudgetAccuracy>> series = new LinkedHashMap<>();
        for (Results.AccuracyRow row : results.accuracies()) {
            List<BudgetAccuracy> points = series.computeIfAbsent(label(row.method()), k -> new ArrayList<>());
            if (row.budget() == SeedRun.Measurement.ALL_DATA) {
                budgets.forEach(b -> points.add(new BudgetAccuracy(b, f.apply(row))));
            } else {
                points.add(new BudgetAccuracy(row.budget(), f.apply(row)));
            }
        }
        return series;
    }

    private static String label(String method) {
        return switch (method) {
            case "GRADIENT", "FEATURE", "FUNCFEAT" -> "Mycroft " + method.toLowerCase(java.util.Locale.ROOT);
            case "RANDOM" -> "random";
            case "K_CENTER" -> "K-Center";
            case "ORACLE_CLEAN_RANDOM" -> "random among clean labels (oracle)";
            case "ORACLE_CLEAN_FEATURE" -> "Mycroft feature among clean labels (oracle)";
            case "ORACLE_CLEAN_GRADIENT" -> "Mycroft gradient among clean labels (oracle)";
            case "UNCERTAIN_FEATURE" -> "Mycroft feature among uncertain labels";
            case "DIVERSE_FEATURE" -> "Mycroft feature, diverse (facility location)";
            case "DIVERSE_FEATURE_THIRD" -> "Mycroft feature, diverse within a third of the class";
            case "FULL_INFORMATION" -> "full information (all data)";
            default -> method.endsWith(Scenario.LABEL_CONSISTENCY)
                    ? label(method.substring(0, method.length() - Scenario.LABEL_CONSISTENCY.length())) + " + label consistency" : method;
        };
    }
}
