package io.mycroft.experiments.report;

import io.mycroft.experiments.report.Charts.Point;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
  * Chart series from what the live pipeline publishes over time: a snapshot of every owner's score (the OwnerRanking
  * topic) or of a per-owner value (e.g. residual norm). Owners keep the order of {@code owners}, so colours stay the
  * same across charts.
  */
public final class Timelines {
    private Timelines() {}

    /**
      * One published ranking: seconds since the request and each owner's score; owners missing from a snapshot have no
      * data yet and are ranked after every owner that has a score.
      */
    public record Snapshot(double seconds, Map<String, Double> scores) {}

    /**
      * owner → (seconds, rank), rank 1 = highest score; equal scores rank by the owner's position in {@code owners} (the
      * OwnerRanking tie-break by ownerId when owners are listed by id).
      */
    public static Map<String, List<Point>> ranks(List<String> owners, List<Snapshot> snapshots) {
        Map<String, List<Point>> series = new LinkedHashMap<>();
        owners.forEach(o -> series.put(o, new ArrayList<>()));
        double previous = Double.NEGATIVE_INFINITY;
        for (Snapshot s : snapshots) {
            if (s.seconds() < previous) {
                throw new IllegalArgumentException("snapshots must be in time order: " + s.seconds() + " after " + previous);
            }
            previous = s.seconds();
            for (String unknown : s.scores().keySet()) {
                if (!series.containsKey(unknown)) {
                    throw new IllegalArgumentException("snapshot at " + s.seconds() + " s scores unknown owner " + unknown);
                }
            }
            List<String> order = new ArrayList<>(owners);
            order.sort((a, b) -> {
                Double x = s.scores().get(a);
                Double y = s.scores().get(b);
                if (x == null || y == null) {
                    return x == null && y == null ? Integer.compare(owners.indexOf(a), owners.indexOf(b)) : x == null ? 1 : -1;
                }
                int byScore = Double.compare(y, x);
                return byScore != 0 ? byScore : Integer.compare(owners.indexOf(a), owners.indexOf(b));
            });
            for (int r = 0; r < order.size(); r++) {
                series.get(order.get(r)).add(new Point(s.seconds(), r + 1));
            }
        }
        return series;
    }

    /** owner → (seconds, value) from snapshots of a per-owner value; an owner appears from its first value on. */
    public static Map<String, List<Point>> values(List<String> owners, List<Snapshot> snapshots) {
        Map<String, List<Point>> series = new LinkedHashMap<>();
        owners.forEach(o -> series.put(o, new ArrayList<>()));
        for (Snapshot s : snapshots) {
            s.scores().forEach((owner, v) -> {
                List<Point> points = series.get(owner);
                if (points == null) {
                    throw new IllegalArgumentException("snapshot at " + s.seconds() + " s has unknown owner " + owner);
                }
                points.add(new Point(s.seconds(), v));
            });
        }
        return series;
    }
}
