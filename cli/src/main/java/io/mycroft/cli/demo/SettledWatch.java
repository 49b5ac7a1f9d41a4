package io.mycroft.cli.demo;

import io.mycroft.experiments.pipeline.InProcessPipeline;
import io.mycroft.experiments.pipeline.OwnerFeeder;
import io.mycroft.experiments.pipeline.PipelineMonitor;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.RankedOwner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches the request's live ranking while the owners' data streams in: records the first moment it is settled (its
 * separated order, and how much of each owner's data had been ingested then) and, when asked to, lets the owners stop
 * there: their connectors are paused, so the rest of their data is never read.
 */
final class SettledWatch {
    /** The first settled ranking: when, its order and separated pairs, and per owner samples ingested of its size. */
    record Moment(double atSeconds, long seq, List<String> order, List<String> separatedPairs,
                  Map<String, Integer> ingested, Map<String, Integer> sizes) {
    }

    private final String requestId;
    private final Map<String, String> scenarioIds = new LinkedHashMap<>();
    private final boolean stopOwners;
    private Moment first;

    /** {@code kafkaIds}: scenario owner id → the id on the topics (this run's owners; others are left out). */
    SettledWatch(String requestId, Map<String, String> kafkaIds, boolean stopOwners) {
        this.requestId = requestId;
        kafkaIds.forEach((s, k) -> scenarioIds.put(k, s));
        this.stopOwners = stopOwners;
    }

    /** Looks at the latest ranking; returns true when it has just settled for the first time. */
    boolean tick(double seconds, PipelineMonitor monitor, InProcessPipeline pipeline) {
        OwnerRanking ranking = monitor.latestRanking(requestId);
        if (first != null || ranking == null || !ranking.getSettled()) {
            return false;
        }
        List<String> order = new ArrayList<>();
        for (RankedOwner o : ranking.getOwners()) {
            if (scenarioIds.containsKey(o.getOwnerId())) {
                order.add(scenarioIds.get(o.getOwnerId()));
            }
        }
        List<String> pairs = new ArrayList<>();
        for (String pair : ranking.getSeparatedPairs()) {
            String[] ab = pair.split(">", 2);
            if (scenarioIds.containsKey(ab[0]) && scenarioIds.containsKey(ab[1])) {
                pairs.add(scenarioIds.get(ab[0]) + ">" + scenarioIds.get(ab[1]));
            }
        }
        Map<String, Integer> ingested = new LinkedHashMap<>();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (OwnerFeeder f : pipeline.feeders()) {
            ingested.put(scenarioIds.get(f.ownerId()), monitor.ingested(f.ownerId()));
            sizes.put(scenarioIds.get(f.ownerId()), f.size());
        }
        first = new Moment(seconds, ranking.getSeq(), order, pairs, ingested, sizes);
        if (stopOwners) {
            pipeline.pauseOwners();
        }
        return true;
    }

    Moment first() {
        return first;
    }

    boolean stopOwners() {
        return stopOwners;
    }
}
