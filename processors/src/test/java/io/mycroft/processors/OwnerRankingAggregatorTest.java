package io.mycroft.processors;

import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.InMemorySchemaRegistry;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.processors.math.ScoreInterval;
import mycroft.schemas.ClassSubset;
import mycroft.schemas.Evaluation;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.RankedOwner;
import mycroft.schemas.SelectedSample;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.mycroft.processors.SelectionRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@link OwnerRankingAggregator} alone on a {@link MockProcessorContext}: the exact rankings it forwards, in order. */
class OwnerRankingAggregatorTest {

    @Test
    void ranksOwnersByScoreDescendingThenOwnerIdAndForwardsEveryChange() {
        try (Harness f = new Harness(Duration.ZERO)) {
            f.process(subset("b", 0.5, 2), 1);
            f.process(subset("a", 0.5, 1), 2);
            f.process(subset("c", 0.9, 3), 3);

            List<Record<String, OwnerRanking>> sent = f.forwarded();
            assertThat(sent).extracting(Record::key).containsExactly("r1", "r1", "r1");
            assertThat(sent).extracting(Record::timestamp).containsExactly(at(1), at(2), at(3));
            assertThat(sent).extracting(r -> r.value().getSeq()).containsExactly(1L, 2L, 3L);
            assertThat(sent).extracting(r -> places(r.value())).containsExactly(
                    List.of("1.b"),
                    List.of("1.a", "2.b"), // equal scores: by ownerId
                    List.of("1.c", "2.a", "3.b"));
            OwnerRanking last = sent.get(2).value();
            assertThat(last.getRequestId()).isEqualTo("r1");
            assertThat(last.getAsOf()).isEqualTo(T0.plusMillis(3));
            assertThat(last.getOwners().get(0)).isEqualTo(new RankedOwner("c", 1, 0.9, 3, null, null, 3L, 0L, 0.9, 0.9));
            assertThat(f.rankings.get("r1")).isEqualTo(last);
        }
    }

    @Test
    void aNewUpdateReplacesTheOwnersEntryAndAnUnchangedRankingIsNotForwarded() {
        try (Harness f = new Harness(Duration.ZERO)) {
            f.process(subset("a", 0.4, 1), 1);
            f.process(subset("b", 0.6, 2), 2);
            f.process(subset("a", 0.8, 4), 3);
            f.process(subset("a", 0.8, 4), 4); // the same subset again: the ranking does not change

            List<Record<String, OwnerRanking>> sent = f.forwarded();
            assertThat(sent).extracting(r -> places(r.value())).containsExactly(
                    List.of("1.a"), List.of("1.b", "2.a"), List.of("1.a", "2.b"));
            assertThat(sent.get(2).value().getOwners()).containsExactly(
                    new RankedOwner("a", 1, 0.8, 4, null, null, 4L, 0L, 0.8, 0.8),
                    new RankedOwner("b", 2, 0.6, 2, null, null, 2L, 0L, 0.6, 0.6));
        }
    }

    /** The measured gain (hard accuracy after − before) ranks first, and survives the owner's next subset update. */
    @Test
    void anEvaluationGainRanksFirstAndIsKeptAcrossSubsetUpdates() {
        try (Harness f = new Harness(Duration.ZERO)) {
            f.process(subset("a", 0.9, 1), 1);
            f.process(subset("b", 0.1, 1), 2);
            f.process(RankingInput.of(new Evaluation("r1", "b", 1L, 1, 0.2, 0.5, 0.8, 0.82, 1L, T0)), 3);
            f.process(subset("b", 0.2, 2), 4);

            List<Record<String, OwnerRanking>> sent = f.forwarded();
            assertThat(sent).extracting(r -> places(r.value())).containsExactly(
                    List.of("1.a"), List.of("1.a", "2.b"), List.of("1.b", "2.a"), List.of("1.b", "2.a"));
            RankedOwner b = sent.get(3).value().getOwners().get(0);
            assertThat(b.getEvaluationGain()).isCloseTo(0.3, within(1e-12));
            assertThat(b.getScore()).isEqualTo(0.2);
            assertThat(b.getSubsetSize()).isEqualTo(2);
        }
    }

    @Test
    void aCancelledSubsetRemovesTheOwner() {
        try (Harness f = new Harness(Duration.ZERO)) {
            f.process(subset("a", 0.9, 1), 1);
            f.process(subset("b", 0.1, 1), 2);
            SubsetUpdate cancelled = SubsetUpdate.newBuilder(subset("a", 0.0, 0).update()).setClasses(List.of())
                    .setCancelled(true).build();
            f.process(RankingInput.of(cancelled), 3);

            List<Record<String, OwnerRanking>> sent = f.forwarded();
            assertThat(sent).extracting(r -> places(r.value())).containsExactly(List.of("1.a"), List.of("1.a", "2.b"), List.of("1.b"));
            assertThat(sent.get(2).value().getSeq()).isEqualTo(3);
        }
    }

    /** With an emit interval, changes are only marked; the wall-clock punctuator sends each changed request's latest ranking once. */
    @Test
    void anEmitIntervalFoldsABurstIntoOneRankingPerRequest() {
        try (Harness f = new Harness(Duration.ofSeconds(1))) {
            f.process(subset("a", 0.4, 1), 1);
            f.process(subset("b", 0.6, 1), 2);
            f.process(subset("x", 0.5, 1).update(), "r2", 3);
            assertThat(f.forwarded()).isEmpty();

            MockProcessorContext.CapturedPunctuator punctuator = f.context.scheduledPunctuators().get(0);
            assertThat(punctuator.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
            assertThat(punctuator.getInterval()).isEqualTo(Duration.ofSeconds(1));
            punctuator.getPunctuator().punctuate(at(1_000));

            List<Record<String, OwnerRanking>> sent = f.forwarded();
            assertThat(sent).extracting(Record::key).containsExactly("r1", "r2");
            assertThat(sent).extracting(r -> places(r.value())).containsExactly(List.of("1.b", "2.a"), List.of("1.x"));
            assertThat(sent).extracting(Record::timestamp).containsExactly(at(2), at(3));
            assertThat(sent.get(0).value().getSeq()).isEqualTo(2);

            f.context.resetForwards();
            punctuator.getPunctuator().punctuate(at(2_000));
            assertThat(f.forwarded()).isEmpty();
        }
    }

    /**
     * Two classes per owner, so each score has a class-bootstrap interval S ± 1.96·√2·σ. The ranking settles once its
     * separated order has survived the window (3 updates here) without a reversal; new pairs refine the order, pairs that
     * touch again are kept, and a reversal unsettles it.
     */
    @Test
    void aRankingSettlesWhenItsSeparatedOrderSurvivesTheWindowAndUnsettlesWhenItChanges() {
        try (Harness f = new Harness(Duration.ZERO, new OwnerRankingAggregator.Settling(ScoreInterval.Z95, 3))) {
            f.process(twoClasses("a", 0.9, 0.8, 10), 1); // a: 1.7 ± 1.96·√2·0.05 = [1.561, 1.839]
            f.process(twoClasses("b", 0.3, 0.2, 10), 2); // b: [0.361, 0.639] — a>b separates
            RankedOwner a = f.rankings.get("r1").getOwners().get(0);
            assertThat(a.getScoreLow()).isCloseTo(1.7 - 1.96 * Math.sqrt(2) * 0.05, within(1e-12));
            assertThat(a.getScoreHigh()).isCloseTo(1.7 + 1.96 * Math.sqrt(2) * 0.05, within(1e-12));
            assertThat(f.rankings.get("r1").getSeparatedPairs()).containsExactly("a>b");
            assertThat(f.rankings.get("r1").getUpdatesSinceOrderChange()).isZero();

            f.process(twoClasses("a", 0.9, 0.85, 20), 3);
            f.process(twoClasses("b", 0.35, 0.2, 20), 4);
            assertThat(f.rankings.get("r1").getSettled()).isFalse();
            f.process(twoClasses("a", 0.95, 0.85, 30), 5); // third update with the order unchanged: settled
            OwnerRanking settled = f.rankings.get("r1");
            assertThat(settled.getUpdatesSinceOrderChange()).isEqualTo(3);
            assertThat(settled.getSettled()).isTrue();

            f.process(twoClasses("c", 0.6, 0.6, 5), 6); // c (width 0) sits between a and b: the order only grows
            OwnerRanking refined = f.rankings.get("r1");
            assertThat(refined.getSeparatedPairs()).containsExactly("a>c", "a>b", "c>b");
            assertThat(refined.getHeldPairs()).containsExactly("a>b", "a>c", "c>b");
            assertThat(refined.getSettled()).isTrue();

            f.process(twoClasses("b", 0.7, 0.4, 30), 7); // b [0.684, 1.516] now touches c (1.2): c>b is held, still settled
            assertThat(f.rankings.get("r1").getSeparatedPairs()).containsExactly("a>c", "a>b");
            assertThat(f.rankings.get("r1").getHeldPairs()).containsExactly("a>b", "a>c", "c>b");
            assertThat(f.rankings.get("r1").getSettled()).isTrue();

            f.process(twoClasses("b", 0.99, 0.99, 40), 8); // b (1.98, width 0) now above a [1.661, 1.939]: reversed
            OwnerRanking moved = f.rankings.get("r1");
            assertThat(moved.getSeparatedPairs()).containsExactly("b>a", "b>c", "a>c");
            assertThat(moved.getHeldPairs()).containsExactly("b>a", "b>c", "a>c");
            assertThat(moved.getUpdatesSinceOrderChange()).isZero();
            assertThat(moved.getSettled()).isFalse();
            assertThat(f.forwarded()).extracting(r -> r.value().getSettled())
                    .containsExactly(false, false, false, false, true, true, true, false);
        }
    }

    /** A ranking whose intervals all overlap has an empty separated order: its window never starts and it never settles. */
    @Test
    void aRankingWithNoSeparatedPairNeverSettles() {
        try (Harness f = new Harness(Duration.ZERO, new OwnerRankingAggregator.Settling(ScoreInterval.Z95, 1))) {
            for (int i = 1; i <= 4; i++) {
                f.process(twoClasses("a", 0.9, 0.1, i), 2 * i);
                f.process(twoClasses("b", 0.8, 0.1, i), 2 * i + 1);
            }
            assertThat(f.rankings.get("r1").getSeparatedPairs()).isEmpty();
            assertThat(f.rankings.get("r1").getUpdatesSinceOrderChange()).isZero(); // starts at the first separated pair
            assertThat(f.rankings.get("r1").getSettled()).isFalse();
        }
    }

    private static long at(long millis) {
        return T0.toEpochMilli() + millis;
    }

    private static List<String> places(OwnerRanking ranking) {
        return ranking.getOwners().stream().map(o -> o.getRank() + "." + o.getOwnerId()).toList();
    }

    /** Owner {@code ownerId}'s update for request r1: {@code size} selected samples of class 0, all seen so far. */
    private static RankingInput.Subset subset(String ownerId, double score, int size) {
        List<SelectedSample> selected = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            selected.add(new SelectedSample(ownerId + i, 1.0));
        }
        return new RankingInput.Subset(SubsetUpdate.newBuilder().setRequestId("r1").setOwnerId(ownerId).setSeq(1)
                .setSamplesSeen(size).setClasses(List.of(new ClassSubset(0, selected, 1 - score, 1.0, null)))
                .setScore(score).setAsOf(T0).build());
    }

    /** Owner {@code ownerId}'s update with two gradient classes explaining {@code e0} and {@code e1} of their targets. */
    private static RankingInput.Subset twoClasses(String ownerId, double e0, double e1, long seen) {
        List<ClassSubset> classes = List.of(new ClassSubset(0, List.of(new SelectedSample(ownerId + "0", 1.0)), 1 - e0, 1.0, null),
                new ClassSubset(1, List.of(new SelectedSample(ownerId + "1", 1.0)), 1 - e1, 1.0, null));
        return new RankingInput.Subset(SubsetUpdate.newBuilder().setRequestId("r1").setOwnerId(ownerId).setSeq(seen)
                .setSamplesSeen(seen).setClasses(classes).setScore(e0 + e1).setAsOf(T0).build());
    }

    /** The aggregator on a mock context with in-memory stores under the topology's names and a private registry. */
    private static final class Harness implements AutoCloseable {
        final String scope = "rankings-" + UUID.randomUUID();
        final Topics topics = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, "mock://" + scope));
        final MockProcessorContext<String, OwnerRanking> context = new MockProcessorContext<>();
        final KeyValueStore<String, OwnerRanking> rankings;
        final OwnerRankingAggregator aggregator;

        Harness(Duration emitInterval) {
            this(emitInterval, OwnerRankingAggregator.Settling.DEFAULT);
        }

        Harness(Duration emitInterval, OwnerRankingAggregator.Settling settling) {
            rankings = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(OwnerRankingAggregator.RANKINGS),
                    Serdes.String(), topics.ownerRankings().valueSerde()).withLoggingDisabled().build();
            register(rankings);
            register(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(OwnerRankingAggregator.UNSENT),
                    Serdes.String(), Serdes.Long()).withLoggingDisabled().build());
            aggregator = new OwnerRankingAggregator(emitInterval, settling);
            aggregator.init(context);
        }

        private void register(StateStore store) {
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }

        void process(RankingInput input, long millis) {
            aggregator.process(new Record<>("r1", input, at(millis)));
        }

        void process(SubsetUpdate update, String requestId, long millis) {
            SubsetUpdate forRequest = SubsetUpdate.newBuilder(update).setRequestId(requestId).build();
            aggregator.process(new Record<>(requestId, RankingInput.of(forRequest), at(millis)));
        }

        @SuppressWarnings("unchecked")
        List<Record<String, OwnerRanking>> forwarded() {
            return context.forwarded().stream().map(c -> (Record<String, OwnerRanking>) c.record()).toList();
        }

        @Override
        public void close() {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }
}
