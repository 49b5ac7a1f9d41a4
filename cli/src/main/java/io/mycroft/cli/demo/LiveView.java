package io.mycroft.cli.demo;

import io.mycroft.experiments.pipeline.OwnerFeeder;
import io.mycroft.experiments.pipeline.PipelineMonitor;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.RankedOwner;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The terminal view: per owner, files written / samples ingested / samples vectorised as progress bars, and the latest
 * ranking. On a terminal it redraws in place (ANSI cursor-up); otherwise (CI, pipes) it prints a compact status line
 * every few seconds.
 */
final class LiveView {
    private static final int BAR = 20;
    private final PrintStream out;
    private final boolean redraw;
    private final Map<String, String> scenarioIds = new LinkedHashMap<>();
    private final List<OwnerFeeder> feeders;
    private final PipelineMonitor monitor;
    private final String requestId;
    private int linesDrawn;
    private double lastPlain = -10;
    private String lastPlainLine = "";

    LiveView(PrintStream out, boolean redraw, Map<String, String> kafkaIds, List<OwnerFeeder> feeders, PipelineMonitor monitor,
             String requestId) {
        this.out = out;
        this.redraw = redraw;
        kafkaIds.forEach((s, k) -> scenarioIds.put(k, s));
        this.feeders = feeders;
        this.monitor = monitor;
        this.requestId = requestId;
    }

    void render(double seconds) {
        OwnerRanking ranking = monitor.latestRanking(requestId);
        if (!redraw) {
            if (seconds - lastPlain < 3) {
                return;
            }
            lastPlain = seconds;
            StringBuilder line = new StringBuilder(String.format("[%6.1fs] ", seconds));
            for (OwnerFeeder f : feeders) {
                line.append(String.format("%s %d/%d/%d  ", scenarioIds.get(f.ownerId()), f.written(), monitor.ingested(f.ownerId()),
                        monitor.vectorised(requestId, f.ownerId())));
            }
            line.append("(written/ingested/vectorised)");
            if (ranking != null) {
                line.append("  ranking: ").append(order(ranking));
            }
            if (!line.substring(10).equals(lastPlainLine)) {
                out.println(line);
                lastPlainLine = line.substring(10);
            }
            return;
        }
        StringBuilder s = new StringBuilder();
        if (linesDrawn > 0) {
            s.append("\033[").append(linesDrawn).append("A\033[J");
        }
        int lines = 0;
        s.append(String.format("  %-10s %-27s %-27s %-27s%n", "owner", "files written", "ingested (Connect)", "vectorised (worker)"));
        lines++;
        for (OwnerFeeder f : feeders) {
            s.append(String.format("  %-10s %s %s %s%n", scenarioIds.get(f.ownerId()), bar(f.written(), f.size()),
                    bar(monitor.ingested(f.ownerId()), f.size()), bar(monitor.vectorised(requestId, f.ownerId()), f.size())));
            lines++;
        }
        s.append(String.format("  ranking after %.1f s%s%n", seconds, ranking == null ? ": none yet" : " (seq " + ranking.getSeq() + "):"));
        lines++;
        if (ranking != null) {
            int position = 0;
            for (RankedOwner o : ranking.getOwners()) {
                String id = scenarioIds.get(o.getOwnerId());
                if (id != null) { // this run's owners only (see Demo: earlier runs' owners are backfilled too)
                    s.append(String.format("    %d. %-10s score %.3f  subset %3d  seen %4d  copies %3d%n", ++position, id,
                            o.getScore(), o.getSubsetSize(), o.getSamplesSeen(), o.getDuplicateSamples()));
                    lines++;
                }
            }
        }
        out.print(s);
        out.flush();
        linesDrawn = lines;
    }

    void finish() {
        linesDrawn = 0;
        lastPlain = -10;
    }

    private String order(OwnerRanking ranking) {
        StringBuilder b = new StringBuilder();
        for (RankedOwner o : ranking.getOwners()) {
            String id = scenarioIds.get(o.getOwnerId());
            if (id != null) {
                b.append(b.length() == 0 ? "" : " > ").append(id).append(String.format(" %.2f", o.getScore()));
            }
        }
        return b.toString();
    }

    private static String bar(int done, int total) {
        int filled = total == 0 ? BAR : (int) Math.round((double) Math.min(done, total) / total * BAR);
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + String.format("%4d", done);
    }
}
