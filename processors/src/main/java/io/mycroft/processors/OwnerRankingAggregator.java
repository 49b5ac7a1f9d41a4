package io.mycroft.processors;

import io.mycroft.processors.math.OwnerOrder;
import io.mycroft.processors.math.OwnerScore;
import mycroft.schemas.ClassSubset;
import mycroft.schemas.Evaluation;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.RankedOwner;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Keeps each request's owner ranking (store {@value #RANKINGS}, key requestId) from the owners' subset updates and the
 * model trainer's evaluations, and emits it on {@code owner-rankings} when it changes. Order: measured gain first, then
 * live score, then ownerId ({@link OwnerOrder#BEST_FIRST}).
 *
 * <p>With an emit interval, a burst of changes becomes one ranking per interval: changed requests are marked in
 * {@value #UNSENT} (a store, so a mark survives a crash) and a wall-clock punctuator sends them. The final ranking of a
 * request is the same either way; only how many intermediate rankings are sent differs.
 */
public final class OwnerRankingAggregator implements Processor<String, RankingInput, String, OwnerRanking> {
    public static final String RANKINGS = "rankings";
    public static final String UNSENT = "rankings-unsent";

    private final Duration emitInterval;
    private ProcessorContext<String, OwnerRanking> context;
    private KeyValueStore<String, OwnerRanking> rankings;
    private KeyValueStore<String, Long> unsent;

    public OwnerRankingAggregator(Duration emitInterval) {
        this.emitInterval = emitInterval;
    }

    @Override
    public void init(ProcessorContext<String, OwnerRanking> context) {
        this.context = context;
        this.rankings = context.getStateStore(RANKINGS);
        this.unsent = context.getStateStore(UNSENT);
        if (!emitInterval.isZero()) {
            context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, now -> sendUnsent());
        }
    }

    @Override
    public void process(Record<String, RankingInput> record) {
        String requestId = record.key();
        OwnerRanking before = rankings.get(requestId);
        List<RankedOwner> owners = before == null ? new ArrayList<>() : new ArrayList<>(before.getOwners());
        Instant asOf = Instant.ofEpochMilli(record.timestamp());
        if (record.value() instanceof RankingInput.Subset subset) {
            apply(owners, subset.update());
        } else if (record.value() instanceof RankingInput.Gain gain) {
            apply(owners, gain.evaluation());
        }
        List<RankedOwner> ranked = rank(owners);
        if (before != null && before.getOwners().equals(ranked)) {
            return;
        }
        long seq = before == null ? 1 : before.getSeq() + 1;
        Instant newest = before == null || asOf.isAfter(before.getAsOf()) ? asOf : before.getAsOf();
        OwnerRanking after = new OwnerRanking(requestId, seq, ranked, newest);
        rankings.put(requestId, after);
        if (emitInterval.isZero()) {
            context.forward(new Record<>(requestId, after, record.timestamp()));
        } else {
            unsent.put(requestId, seq);
        }
    }

    private static void apply(List<RankedOwner> owners, SubsetUpdate update) {
        RankedOwner previous = remove(owners, update.getOwnerId());
        if (update.getCancelled()) {
            return;
        }
        int size = update.getClasses().stream().mapToInt(c -> c.getSelected().size()).sum();
        Double coverage = meanCoverage(update.getClasses());
        owners.add(new RankedOwner(update.getOwnerId(), 0, update.getScore(), size, coverage,
                previous == null ? null : previous.getEvaluationGain(), update.getSamplesSeen()));
    }

    private static void apply(List<RankedOwner> owners, Evaluation evaluation) {
        RankedOwner previous = remove(owners, evaluation.getOwnerId());
        double gain = evaluation.getHardAccuracyAfter() - evaluation.getHardAccuracyBefore();
        owners.add(previous == null
                ? new RankedOwner(evaluation.getOwnerId(), 0, 0.0, evaluation.getSubsetSize(), null, gain, 0L)
                : RankedOwner.newBuilder(previous).setEvaluationGain(gain).build());
    }

    private static RankedOwner remove(List<RankedOwner> owners, String ownerId) {
        for (int i = 0; i < owners.size(); i++) {
            if (owners.get(i).getOwnerId().equals(ownerId)) {
                return owners.remove(i);
            }
        }
        return null;
    }

    private static Double meanCoverage(List<ClassSubset> classes) {
        OptionalDouble mean = classes.stream().filter(c -> c.getCoverage() != null).mapToDouble(ClassSubset::getCoverage).average();
        return mean.isPresent() ? mean.getAsDouble() : null;
    }

    /** Sorts by the math's ranking order and numbers the places from 1. */
    private static List<RankedOwner> rank(List<RankedOwner> owners) {
        Comparator<RankedOwner> order = Comparator.comparing(OwnerRankingAggregator::score, OwnerOrder.BEST_FIRST);
        List<RankedOwner> sorted = new ArrayList<>(owners);
        sorted.sort(order);
        List<RankedOwner> ranked = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            ranked.add(RankedOwner.newBuilder(sorted.get(i)).setRank(i + 1).build());
        }
        return ranked;
    }

    private static OwnerScore score(RankedOwner owner) {
        return new OwnerScore(owner.getOwnerId(), owner.getScore(), OptionalDouble.empty(),
                owner.getCoverage() == null ? OptionalDouble.empty() : OptionalDouble.of(owner.getCoverage()),
                owner.getEvaluationGain() == null ? OptionalDouble.empty() : OptionalDouble.of(owner.getEvaluationGain()));
    }

    private void sendUnsent() {
        List<String> sent = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = unsent.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> entry = it.next();
                OwnerRanking ranking = rankings.get(entry.key);
                context.forward(new Record<>(entry.key, ranking, ranking.getAsOf().toEpochMilli()));
                sent.add(entry.key);
            }
        }
        sent.forEach(unsent::delete);
    }
}
