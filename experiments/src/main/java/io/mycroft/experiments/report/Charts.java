package io.mycroft.experiments.report;

import io.mycroft.experiments.metrics.Spread;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
  * The report's charts as PNG files (JFreeChart, rendered off-screen), from plain data series: series name → points,
  * drawn in the map's iteration order (pass a LinkedHashMap to fix colours and legend order).
  */
public final class Charts {
    public static final int WIDTH = 900;
    public static final int HEIGHT = 560;

    static {
        // the report is written on servers and in CI: never try to open a display
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Colour-blind-safe palette (Okabe–Ito), series i takes colour i mod 8. */
    private static final Color[] PALETTE = {
            new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
            new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442)};

    /** One point of a line. */
    public record Point(double x, double y) {}

    /** A budget and the accuracy reached at it over seeds (drawn as mean with a ± one standard deviation band). */
    public record BudgetAccuracy(int budget, Spread accuracy) {}

    private Charts() {}

    /**
      * Accuracy (e.g. on the held-out D_hard, in [0, 1]) against the total budget, one line per method (Mycroft's
      * methods, random, K-Center, full information), with a shaded ± std band over seeds.
      */
    public static Path accuracyVsBudget(String title, String accuracyLabel, Map<String, List<BudgetAccuracy>> byMethod,
                                                                            Path png) throws IOException {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (Map.Entry<String, List<BudgetAccuracy>> e : byMethod.entrySet()) {
            YIntervalSeries s = new YIntervalSeries(e.getKey());
            for (BudgetAccuracy p : e.getValue()) {
                Spread a = p.accuracy();
                s.add(p.budget(), a.mean(), a.mean() - a.std(), a.mean() + a.std());
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "Total budget B (samples shared per owner)",
                accuracyLabel, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        renderer.setAlpha(0.15f);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesFillPaint(i, PALETTE[i % PALETTE.length]);
        }
        plot.setRenderer(renderer);
        plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return save(chart, png);
    }

    /**
      * Each owner's rank (1 = best) as data arrives; rank 1 is drawn at the top, and rank changes are steps because a
      * ranking holds until the next update.
      */
    public static Path rankingOverTime(String title, Map<String, List<Point>> rankByOwner, Path png) throws IOException {
        JFreeChart chart = ChartFactory.createXYLineChart(title, "Time since the request (s)", "Rank (1 = best)",
                collection(rankByOwner), PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYStepRenderer renderer = new XYStepRenderer();
        for (int i = 0; i < rankByOwner.size(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        plot.setRenderer(renderer);
        NumberAxis rank = (NumberAxis) plot.getRangeAxis();
        rank.setInverted(true);
        rank.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        rank.setRange(0.5, Math.max(1, rankByOwner.size()) + 0.5);
        return save(chart, png);
    }

    /** Each owner's OMP residual norm ‖r‖/‖y‖ (summed or averaged over classes, as labelled) as its data arrives. */
    public static Path residualNormOverTime(String title, String residualLabel, Map<String, List<Point>> byOwner, Path png)
            throws IOException {
        JFreeChart chart = ChartFactory.createXYLineChart(title, "Time since the request (s)", residualLabel,
                collection(byOwner), PlotOrientation.VERTICAL, true, false, false);
        for (int i = 0; i < byOwner.size(); i++) {
            chart.getXYPlot().getRenderer().setSeriesStroke(i, new BasicStroke(2f));
            chart.getXYPlot().getRenderer().setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        return save(chart, png);
    }

    private static XYSeriesCollection collection(Map<String, List<Point>> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, List<Point>> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            e.getValue().forEach(p -> s.add(p.x(), p.y()));
            data.addSeries(s);
        }
        return data;
    }

    private static Path save(JFreeChart chart, Path png) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getXYPlot().setBackgroundPaint(Color.WHITE);
        chart.getXYPlot().setDomainGridlinePaint(Color.LIGHT_GRAY);
        chart.getXYPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
        return png;
    }
}
