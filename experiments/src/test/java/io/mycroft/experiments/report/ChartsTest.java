package io.mycroft.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycroft.experiments.metrics.Spread;
import io.mycroft.experiments.report.Charts.BudgetAccuracy;
import io.mycroft.experiments.report.Charts.Point;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    private static BufferedImage read(Path png) throws IOException {
        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(5_000); // axes, legend and lines, not an empty canvas
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
        assertThat(image.getHeight()).isEqualTo(Charts.HEIGHT);
        return image;
    }

    @Test
    void accuracyVsBudget(@TempDir Path tmp) throws IOException {
        Map<String, List<BudgetAccuracy>> series = new LinkedHashMap<>();
        series.put("Mycroft (gradient)", List.of(new BudgetAccuracy(16, Spread.of(0.41, 0.45, 0.43)),
                new BudgetAccuracy(32, Spread.of(0.52, 0.55, 0.50)), new BudgetAccuracy(64, Spread.of(0.60, 0.63, 0.61))));
        series.put("random", List.of(new BudgetAccuracy(16, Spread.of(0.30, 0.35, 0.33)),
                new BudgetAccuracy(32, Spread.of(0.38, 0.41, 0.36)), new BudgetAccuracy(64, Spread.of(0.47, 0.50, 0.45))));
        series.put("full information", List.of(new BudgetAccuracy(16, Spread.of(0.7)), new BudgetAccuracy(64,
                Spread.of(0.7))));
        BufferedImage image = read(Charts.accuracyVsBudget("Accuracy vs budget", "Held-out D_hard accuracy", series,
                tmp.resolve("charts/accuracy.png")));
        assertThat(distinctColours(image)).isGreaterThan(10);
    }

    @Test
    void rankingAndResidualOverTime(@TempDir Path tmp) throws IOException {
        Map<String, List<Point>> ranks = new LinkedHashMap<>();
        ranks.put("owner-a", List.of(new Point(0, 2), new Point(5, 1), new Point(12, 1)));
        ranks.put("owner-b", List.of(new Point(0, 1), new Point(5, 2), new Point(12, 3)));
        ranks.put("owner-c", List.of(new Point(0, 3), new Point(5, 3), new Point(12, 2)));
        read(Charts.rankingOverTime("Owner ranking as data arrives", ranks, tmp.resolve("ranking.png")));
        Map<String, List<Point>> residuals = new LinkedHashMap<>();
        residuals.put("owner-a", List.of(new Point(0, 1), new Point(4, 0.7), new Point(9, 0.55)));
        residuals.put("owner-b", List.of(new Point(0, 1), new Point(4, 0.9), new Point(9, 0.85)));
        read(Charts.residualNormOverTime("Residual norm", "‖r‖ / ‖y‖ (mean over weak classes)", residuals,
                tmp.resolve("residual.png")));
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
