package io.mycroft.topology;

import io.mycroft.processors.SelectionRecords;
import io.mycroft.processors.UsefulSubsetProcessor;
import io.mycroft.schemas.ExampleRecords;
import mycroft.schemas.ClassSubset;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.Evaluation;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SelectedSample;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CachingKeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.mycroft.processors.SelectionRecords.batch;
import static io.mycroft.processors.SelectionRecords.hardSet;
import static io.mycroft.processors.SelectionRecords.sample;
import static org.assertj.core.api.Assertions.assertThat;

class MycroftTopologyTest {
    private static final int[] ONE_CLASS = {3};
    private static final float[][] Y = {{1f, 0f, 0f}};
    private static final float[][][] HARD = {{{1f, 0f}}};

    /** y = e₁, budget k·|D_hard| = 2: OMP takes the sample along e₁ first; one orthogonal to y explains nothing. */
    @Test
    void aSmallHandCheckedSubsetAndRanking() {
        try (TopologyFixture f = new TopologyFixture()) {
            f.hardsets.pipeInput("r1", hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.send(batch("r1", "good", sample("a", 3, new float[]{2f, 0f, 0f}, null), sample("b", 3, new float[]{0f, 0f, 1f}, null)));
            f.send(batch("r1", "poor", sample("c", 3, new float[]{0f, 1f, 0f}, null)));
            f.send(batch("r1", "poor", sample("other-class", 7, new float[]{1f, 0f, 0f}, null)));

            List<SubsetUpdate> updates = f.updates.readValuesToList();
            assertThat(updates).extracting(SubsetUpdate::getOwnerId, SubsetUpdate::getSeq, SubsetUpdate::getSamplesSeen)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("good", 1L, 2L), org.assertj.core.groups.Tuple.tuple("poor", 1L, 1L));
            SubsetUpdate good = updates.get(0);
            ClassSubset c3 = good.getClasses().get(0);
            assertThat(c3.getLabel()).isEqualTo(3);
            assertThat(c3.getSelected()).extracting(SelectedSample::getSampleId).first().isEqualTo("a");
            // Unit column a = y, ridge λ = 0.5: w_a = 1/(1 + 0.5) = 2/3, ‖r‖ = 1/3 of ‖y‖ = 1.
            assertThat(c3.getSelected().get(0).getWeight()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(c3.getTargetNorm()).isEqualTo(1.0);
            assertThat(c3.getResidualNorm()).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(good.getScore()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(updates.get(1).getScore()).isLessThan(good.getScore());

            // The poor owner's second batch holds only a class the request does not ask for: nothing changes, no update.
            assertThat(f.subset("r1|poor").getSamplesSeen())
                    .isEqualTo(2);
            List<OwnerRanking> rankings = f.rankings.readValuesToList();
            OwnerRanking last = rankings.get(rankings.size() - 1);
            assertThat(last.getOwners()).extracting(o -> o.getOwnerId() + "#" + o.getRank()).containsExactly("good#1", "poor#2");
            assertThat(f.deadLetters.isEmpty()).isTrue();
        }
    }

    /**
     * The stores a record rewrites under keys it shares with other records keep a record cache, so RocksDB and the
     * changelog take one write a key a commit; the stores written once per key do not (a cache would only copy them).
     * The cache's effect shows under a broker only (the driver commits after every record): load-tests/reports/streams.md.
     */
    @Test
    void theStoresRewrittenRecordAfterRecordAreCachedAndNoOthers() {
        try (TopologyFixture f = new TopologyFixture()) {
            for (String store : List.of(UsefulSubsetProcessor.SUBSET_COUNTS, UsefulSubsetProcessor.TOPK,
                    UsefulSubsetProcessor.OMP_STATE, UsefulSubsetProcessor.SUBSETS)) {
                assertThat(cached(f.driver.getKeyValueStore(store))).as(store).isTrue();
            }
            for (String store : List.of(UsefulSubsetProcessor.CLAIM_LOG, UsefulSubsetProcessor.CANDIDATE_SOURCES,
                    UsefulSubsetProcessor.PENDING, UsefulSubsetProcessor.REVEALED, UsefulSubsetProcessor.CONTENT_CLAIMS)) {
                assertThat(cached(f.driver.getKeyValueStore(store))).as(store).isFalse();
            }
        }
    }

    /** Whether a record cache is one of the layers of {@code store}. */
    private static boolean cached(StateStore store) {
        StateStore layer = store;
        while (layer instanceof WrappedStateStore<?, ?, ?> wrapper && !(layer instanceof CachingKeyValueStore)) {
            layer = wrapper.wrapped();
        }
        return layer instanceof CachingKeyValueStore;
    }

    @Test
    void anEvaluationGainRanksFirst() {
        try (TopologyFixture f = new TopologyFixture()) {
            f.hardsets.pipeInput("r1", hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.send(batch("r1", "good", sample("a", 3, new float[]{2f, 0f, 0f}, null)));
            f.send(batch("r1", "poor", sample("c", 3, new float[]{0.1f, 1f, 0f}, null)));
            f.evaluations.pipeInput("r1|poor", new Evaluation("r1", "poor", 1L, 1, 0.2, 0.5, 0.8, 0.82, 1L, SelectionRecords.T0));

            List<OwnerRanking> rankings = f.rankings.readValuesToList();
            assertThat(rankings.get(rankings.size() - 1).getOwners()).extracting(o -> o.getOwnerId())
                    .containsExactly("poor", "good");
            assertThat(rankings.get(rankings.size() - 1).getOwners().get(0).getEvaluationGain()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void batchesBeforeTheirHardSetWaitAndGiveTheSameSubset() {
        SampleVectors first = batch("r1", "o", sample("a", 3, new float[]{2f, 0f, 0f}, null), sample("b", 3, new float[]{1f, 1f, 0f}, null));
        SampleVectors second = batch("r1", "o", sample("c", 3, new float[]{1f, 0f, 1f}, null));
        List<ClassSubset> inOrder;
        try (TopologyFixture f = new TopologyFixture()) {
            f.hardsets.pipeInput("r1", hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.send(first);
            f.send(second);
            List<SubsetUpdate> updates = f.updates.readValuesToList();
            inOrder = updates.get(updates.size() - 1).getClasses();
        }
        try (TopologyFixture f = new TopologyFixture()) {
            f.send(first);
            f.send(second);
            assertThat(f.updates.isEmpty()).isTrue();
            f.hardsets.pipeInput("r1", hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.driver.advanceWallClockTime(Duration.ofSeconds(1));
            List<SubsetUpdate> updates = f.updates.readValuesToList();
            assertThat(updates).isNotEmpty();
            assertThat(updates.get(updates.size() - 1).getClasses()).isEqualTo(inOrder);
            assertThat(f.subset("r1|o").getSamplesSeen()).isEqualTo(3);
            assertThat(f.deadLetters.isEmpty()).isTrue();
        }
    }

    @Test
    void aBatchWhoseRequestNeverArrivesIsDeadLetteredAfterTheTimeout() {
        try (TopologyFixture f = new TopologyFixture(Map.of(MycroftStreamsConfig.PENDING_TIMEOUT_MS, "5000"))) {
            f.send(batch("ghost", "o", sample("a", 3, new float[]{1f, 0f, 0f}, null)));
            f.driver.advanceWallClockTime(Duration.ofSeconds(2));
            assertThat(f.deadLetters.isEmpty()).isTrue();
            f.driver.advanceWallClockTime(Duration.ofSeconds(10));
            DeadLetter letter = f.deadLetters.readValue();
            assertThat(letter.getReason()).contains("request ghost is unknown");
            assertThat(f.topics.sampleVectors().valueSerde().deserializer()
                    .deserialize("x", letter.getOriginalValue().array()).getSamples()).extracting(SampleVector::getSampleId).containsExactly("a");
        }
    }

    @Test
    void aTombstoneCancelsTheRequestDeletesItsStateAndSaysSo() {
        try (TopologyFixture f = new TopologyFixture()) {
            f.hardsets.pipeInput("r1", hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.send(batch("r1", "o", sample("a", 3, new float[]{2f, 0f, 0f}, null)));
            assertThat(f.updates.readValue().getSeq()).isEqualTo(1);

            f.hardsets.pipeInput("r1", (HardSetVectors) null);
            f.driver.advanceWallClockTime(Duration.ofSeconds(1));

            SubsetUpdate last = f.updates.readValue();
            assertThat(last.getCancelled()).isTrue();
            assertThat(last.getSeq()).isEqualTo(2);
            assertThat(last.getClasses()).isEmpty();
            for (String store : List.of(UsefulSubsetProcessor.OMP_STATE, UsefulSubsetProcessor.CANDIDATE_SOURCES)) {
                KeyValueStore<String, Object> kv = f.driver.getKeyValueStore(store);
                assertThat(kv.approximateNumEntries()).as(store).isZero();
            }
            // The final update stays, so that late batches of r1 are lettered as cancelled.
            assertThat(f.driver.<String, SubsetUpdate>getKeyValueStore(UsefulSubsetProcessor.SUBSETS).get("r1|o").getCancelled()).isTrue();
            List<OwnerRanking> rankings = f.rankings.readValuesToList();
            assertThat(rankings.get(rankings.size() - 1).getOwners()).isEmpty();
        }
    }

    /**
     * The processor holds the hard sets it read until one changes on the global thread: a hard set re-issued between two
     * records (model version 2) is the one the second record is checked against.
     */
    @Test
    void aHardSetReissuedBetweenTwoRecordsIsTheOneTheSecondReads() {
        try (TopologyFixture f = new TopologyFixture()) {
            HardSetVectors first = hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD);
            f.hardsets.pipeInput("r1", first);
            f.send(batch("r1", "o", sample("a", 3, new float[]{2f, 0f, 0f}, null)));
            assertThat(f.updates.readValuesToList()).hasSize(1);

            f.hardsets.pipeInput("r1", HardSetVectors.newBuilder(first).setModelVersion(2)
                    .setComputedAt(first.getComputedAt().plusSeconds(1)).build());
            f.send(batch("r1", "o", sample("b", 3, new float[]{0f, 2f, 0f}, null)));

            assertThat(f.deadLetters.readValuesToList()).singleElement()
                    .satisfies(letter -> assertThat(letter.getReason()).contains("request r1 uses version 2"));
        }
    }

    /**
     * Issue 17: garbage on hardset-vectors stopped the app. Undecodable and unusable hard sets never enter the table,
     * and the app goes on. (TopologyTestDriver runs the global thread with its own log-and-continue handler, so the
     * letters are checked in DeadLetterDeserializationHandlerTest.)
     */
    @Test
    void garbageAndUnusableHardSetsNeverEnterTheTableAndTheAppKeepsGoing() {
        try (TopologyFixture f = new TopologyFixture()) {
            byte[] garbage = {0, 0, 0, 0, 42, 1, 2, 3};
            f.rawHardsets.pipeInput("r1".getBytes(), garbage);
            HardSetVectors noClasses = HardSetVectors.newBuilder(hardSet("r2", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD))
                    .setClasses(List.of()).build();
            f.hardsets.pipeInput("r2", noClasses);
            f.hardsets.pipeInput("r|3", hardSet("r|3", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.hardsets.pipeInput("r1", hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.send(batch("r1", "o", sample("a", 3, new float[]{2f, 0f, 0f}, null)));

            assertThat(f.driver.getKeyValueStore(UsefulSubsetProcessor.HARDSETS).get("r2")).isNull();
            assertThat(f.driver.getKeyValueStore(UsefulSubsetProcessor.HARDSETS).get("r|3")).isNull();
            assertThat(f.updates.readValuesToList()).hasSize(1);
            assertThat(f.deadLetters.isEmpty()).isTrue();
        }
    }

    /** Evaluations are checked where they enter: bad ones are lettered with their bytes, a tombstone is skipped. */
    @Test
    void badEvaluationsAreLetteredAndAGoodOneStillRanks() {
        try (TopologyFixture f = new TopologyFixture()) {
            var raw = f.driver.createInputTopic(f.topics.evaluations().name(), new org.apache.kafka.common.serialization.ByteArraySerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer(), SelectionRecords.T0, Duration.ZERO);
            byte[] garbage = {0, 0x7f, 1, 2, 3};
            raw.pipeInput("r1|o".getBytes(), garbage);
            raw.pipeInput("r1|o".getBytes(), (byte[]) null);
            f.evaluations.pipeInput("r1|a|b", new Evaluation("r1", "a|b", 1L, 1, 0.2, 0.5, 0.8, 0.82, 1L, SelectionRecords.T0));
            f.evaluations.pipeInput("r1|x", new Evaluation("r1", "o", 1L, 1, 0.2, 0.5, 0.8, 0.82, 1L, SelectionRecords.T0));
            f.evaluations.pipeInput("r1|o", new Evaluation("r1", "o", 1L, 1, Double.NaN, 0.5, 0.8, 0.82, 1L, SelectionRecords.T0));
            f.evaluations.pipeInput("r1|o", new Evaluation("r1", "o", 1L, 1, 0.2, 0.5, 0.8, 0.82, 1L, SelectionRecords.T0));

            List<DeadLetter> letters = f.deadLetters.readValuesToList();
            assertThat(letters).extracting(DeadLetter::getReason).satisfiesExactly(
                    r -> assertThat(r).startsWith("UNKNOWN_SCHEMA_ID"),
                    r -> assertThat(r).isEqualTo("ownerId 'a|b' contains '|', which separates key parts"),
                    r -> assertThat(r).isEqualTo("key 'r1|x' does not match the evaluation's request and owner ('r1|o')"),
                    r -> assertThat(r).isEqualTo("evaluation of r1|o has a non-finite accuracy"));
            assertThat(letters).extracting(DeadLetter::getOffset).containsExactly(0L, 2L, 3L, 4L);
            assertThat(letters.get(0).getOriginalValue().array()).isEqualTo(garbage);
            List<OwnerRanking> rankings = f.rankings.readValuesToList();
            assertThat(rankings).singleElement().satisfies(r -> assertThat(r.getOwners()).extracting(o -> o.getOwnerId()).containsExactly("o"));
        }
    }

    @Test
    void everyKindOfBadInputIsDeadLetteredAndTheAppKeepsGoing() {
        try (TopologyFixture f = new TopologyFixture()) {
            f.hardsets.pipeInput("r1", hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.rawSamples.pipeInput("r1|o".getBytes(), "{\"json\":true}".getBytes());
            byte[] otherType = f.topics.deadLetters().valueSerde().serializer().serialize(f.topics.sampleVectors().name(), ExampleRecords.deadLetter());
            f.rawSamples.pipeInput("r1|o".getBytes(), otherType);
            f.send(batch("r1", "o", sample("wrong-dim", 3, new float[]{1f, 0f}, null), sample("ok", 3, new float[]{1f, 0.5f, 0f}, null)));
            f.send(batch("r1", "o", sample("nan", 3, new float[]{Float.NaN, 0f, 0f}, null)));
            f.send(batch("r1", "o", sample("zero", 3, new float[]{0f, 0f, 0f}, null)));
            f.send(batch("r1", "o", sample("no-gradient", 3, null, null)));
            f.samples.pipeInput("r1|someone-else", batch("r1", "o", sample("x", 3, new float[]{1f, 0f, 0f}, null)));
            SampleVector[] many = new SampleVector[101];
            for (int i = 0; i < many.length; i++) {
                many[i] = sample("m" + i, 3, new float[]{1f, i, 0f}, null);
            }
            f.send(batch("r1", "o", many));
            f.send(new SampleVectors("r1", "o", 9, List.of(sample("old-model", 3, new float[]{1f, 0f, 0f}, null))));
            f.send(batch("r1", "o", sample("late-but-fine", 3, new float[]{3f, 0f, 0f}, null)));

            List<DeadLetter> letters = f.deadLetters.readValuesToList();
            assertThat(letters).extracting(DeadLetter::getReason).satisfiesExactly(
                    r -> assertThat(r).startsWith("BAD_MAGIC"),
                    r -> assertThat(r).startsWith("SCHEMA_MISMATCH"),
                    r -> assertThat(r).contains("wrong-dim").contains("dim 2").contains("expects 3"),
                    r -> assertThat(r).contains("nan").contains("non-finite"),
                    r -> assertThat(r).contains("zero").contains("zero norm"),
                    r -> assertThat(r).contains("no-gradient").contains("missing"),
                    r -> assertThat(r).contains("does not match"),
                    r -> assertThat(r).contains("101 samples exceeds"),
                    r -> assertThat(r).contains("model version 9"));
            assertThat(letters).allSatisfy(l -> assertThat(l.getTopic()).isEqualTo(f.topics.sampleVectors().name()));
            assertThat(letters).extracting(DeadLetter::getOffset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
            assertThat(letters.get(1).getOriginalValue().array()).isEqualTo(otherType);
            assertThat(f.topics.sampleVectors().valueSerde().deserializer().deserialize("x", letters.get(2).getOriginalValue().array())
                    .getSamples()).extracting(SampleVector::getSampleId).containsExactly("wrong-dim", "ok");

            List<SubsetUpdate> updates = f.updates.readValuesToList();
            SubsetUpdate last = updates.get(updates.size() - 1);
            assertThat(last.getClasses().get(0).getSelected()).extracting(SelectedSample::getSampleId)
                    .containsExactlyInAnyOrder("ok", "late-but-fine");
        }
    }
}
