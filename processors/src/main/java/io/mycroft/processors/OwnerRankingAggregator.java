package io.mycroft.processors;

import io.mycroft.processors.math.OwnerOrder;
import io.mycroft.processors.math.OwnerScore;
import io.mycroft.processors.math.ScoreInterval;
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
 *
 * <p>Confidence: each owner's score carries its class-bootstrap interval ({@link ScoreInterval}); the ranking carries
 * its separated order (the pairs of owners whose intervals do not overlap) and its held pairs (every pair separated at
 * some point since the order last reversed); it is <em>settled</em> while the held pairs are non-empty and none has reversed for
 * {@link Settling#windowUpdates()} subset updates of the request. Only a reversal (b above a after a above b) is a change:
 * a pair that newly separates refines the order, one whose intervals touch again has not contradicted it; keeping every
 * pair seen since the last change means a flip through an unseparated state is still caught. The window counts
 * updates, not time or samples: an update is emitted only when a subset changes, so each one is a fresh chance for the
 * order to move, and counting them is replay-stable.
 */
public final class OwnerRankingAggregator implements Processor<String, RankingInput, String, OwnerRanking> {
    public static final String RANKINGS = "rankings";
    public static final String UNSENT = "rankings-unsent";

    private final Duration emitInterval;
    private final Settling settling;
    private ProcessorContext<String, OwnerRanking> context;
    private KeyValueStore<String, OwnerRanking> rankings;
    private KeyValueStore<String, Long> unsent;

    /**
     * When a ranking counts as settled.
     *
     * @param z             the normal quantile of the score intervals ({@link ScoreInterval#Z95} for 95 %)
     * @param windowUpdates subset updates the separated order must survive without a reversal (≥ 1)
     */
    public record Settling(double z, long windowUpdates) {
        public static final Settling DEFAULT = new Settling(ScoreInterval.Z95, 20);

        public Settling {
            if (!(z >= 0) || Double.isInfinite(z)) {
                throw new IllegalArgumentException("settling z must be finite and ≥ 0, was " + z);
            }
            if (windowUpdates < 1) {
                throw new IllegalArgumentException("settling window must be ≥ 1 update, was " + windowUpdates);
            }
        }
    }

    public OwnerRankingAggregator(Duration emitInterval) {
        this(emitInterval, Settling.DEFAULT);
    }

    public OwnerRankingAggregator(Duration emitInterval, Settling settling) {
        this.emitInterval = emitInterval;
        this.settling = settling;
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
        boolean subsetUpdate = record.value() instanceof RankingInput.Subset;
        if (record.value() instanceof RankingInput.Subset subset) {
            apply(owners, subset.update(), settling.z());
        } else if (record.value() instanceof RankingInput.Gain gain) {
            apply(owners, gain.evaluation());
        }
        List<RankedOwner> ranked = rank(owners);
        List<String> separated = separatedPairs(ranked);
        List<String> held = before == null ? List.of() : before.getHeldPairs();
        boolean reversed = separated.stream().anyMatch(pair -> held.contains(reverse(pair)));
        // Without a reversal the order only grew (or a pair's intervals touched again): keep every pair seen since.
        List<String> heldAfter = reversed ? separated : union(held, separated);
        // The window starts when the first pair separates and again at each reversal.
        long stableFor = before != null && !reversed && !held.isEmpty()
                ? before.getUpdatesSinceOrderChange() + (subsetUpdate ? 1 : 0) : 0;
        boolean settled = !heldAfter.isEmpty() && stableFor >= settling.windowUpdates();
        boolean changed = before == null || !before.getOwners().equals(ranked) || before.getSettled() != settled;
        long seq = before == null ? 1 : changed ? before.getSeq() + 1 : before.getSeq();
        Instant newest = before == null || asOf.isAfter(before.getAsOf()) ? asOf : before.getAsOf();
        OwnerRanking after = new OwnerRanking(requestId, seq, ranked, newest, separated, stableFor, settled, heldAfter);
        rankings.put(requestId, after);
        if (!changed) {
            return;
        }
        if (emitInterval.isZero()) {
            context.forward(new Record<>(requestId, after, record.timestamp()));
        } else {
            unsent.put(requestId, seq);
        }
    }

    private static void apply(List<RankedOwner> owners, SubsetUpdate update, double z) {
        RankedOwner previous = remove(owners, update.getOwnerId());
        if (update.getCancelled()) {
            return;
        }
        int size = update.getClasses().stream().mapToInt(c -> c.getSelected().size()).sum();
        Double coverage = meanCoverage(update.getClasses());
        ScoreInterval interval = interval(update, z);
        owners.add(new RankedOwner(update.getOwnerId(), 0, update.getScore(), size, coverage,
                previous == null ? null : previous.getEvaluationGain(), update.getSamplesSeen(), update.getDuplicateSamples(),
                interval == null ? null : interval.low(), interval == null ? null : interval.high()));
    }

    /** The class-bootstrap interval of the update's score; null for an update with no classes (nothing to resample). */
    private static ScoreInterval interval(SubsetUpdate update, double z) {
        List<ClassSubset> classes = update.getClasses();
        if (classes.isEmpty()) {
            return null;
        }
        boolean gradients = classes.stream().anyMatch(c -> c.getTargetNorm() > 0);
        boolean coverages = classes.stream().anyMatch(c -> c.getCoverage() != null);
        if (!gradients && !coverages) {
            return null;
        }
        double[] explained = gradients ? classes.stream()
                .mapToDouble(c -> c.getTargetNorm() > 0 ? 1 - c.getResidualNorm() / c.getTargetNorm() : 0).toArray() : null;
        double[] coverage = coverages ? classes.stream()
                .mapToDouble(c -> c.getCoverage() == null ? 0 : c.getCoverage()).toArray() : null;
        return ScoreInterval.classBootstrap(update.getScore(), ScoreInterval.classTerms(explained, coverage), z);
    }

    /** "a>b" → "b>a". */
    private static String reverse(String pair) {
        int at = pair.indexOf('>');
        return pair.substring(at + 1) + ">" + pair.substring(0, at);
    }

    /** The pairs of {@code held}, then those of {@code now} not yet in it (a stable order: replay-identical). */
    private static List<String> union(List<String> held, List<String> now) {
        List<String> all = new ArrayList<>(held);
        now.stream().filter(pair -> !held.contains(pair)).forEach(all::add);
        return all;
    }

    /** The separated order of a ranking (owners without an interval take no part). */
    private static List<String> separatedPairs(List<RankedOwner> ranked) {
        List<String> ids = new ArrayList<>();
        List<ScoreInterval> intervals = new ArrayList<>();
        for (RankedOwner owner : ranked) {
            if (owner.getScoreLow() != null && owner.getScoreHigh() != null) {
                ids.add(owner.getOwnerId());
                intervals.add(new ScoreInterval(owner.getScoreLow(), owner.getScoreHigh()));
            }
        }
        return ScoreInterval.separatedPairs(ids, intervals);
    }

    private static void apply(List<RankedOwner> owners, Evaluation evaluation) {
        RankedOwner previous = remove(owners, evaluation.getOwnerId());
        double gain = evaluation.getHardAccuracyAfter() - evaluation.getHardAccuracyBefore();
        owners.add(previous == null
                ? new RankedOwner(evaluation.getOwnerId(), 0, 0.0, evaluation.getSubsetSize(), null, gain, 0L, 0L, null, null)
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
