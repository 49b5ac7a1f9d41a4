package io.mycroft.processors;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mycroft.processors.math.Candidate;
import io.mycroft.processors.math.OmpPath;
import io.mycroft.processors.math.OmpStateCodec;
import io.mycroft.processors.math.OmpStep;
import io.mycroft.processors.math.OrthogonalMatchingPursuit;
import io.mycroft.processors.math.RetrieveCentroidTopK;
import io.mycroft.processors.math.RetrieveTopK;
import io.mycroft.processors.math.SampleEmbedding;
import io.mycroft.schemas.FloatVectors;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.InMemorySchemaRegistry;
import io.mycroft.schemas.serde.SerdeConfig;
import mycroft.schemas.ClassSubset;
import mycroft.schemas.ClassTarget;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.ExposureEntry;
import mycroft.schemas.ExposureKind;
import mycroft.schemas.ExposureReason;
import mycroft.schemas.HardSampleVector;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.PrivacyAccounting;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SelectedSample;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SubsetUpdate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.mycroft.processors.SelectionRecords.T0;
import static io.mycroft.processors.SelectionRecords.batch;
import static io.mycroft.processors.SelectionRecords.hardSet;
import static io.mycroft.processors.SelectionRecords.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@link UsefulSubsetProcessor} alone on a {@link MockProcessorContext}: the exact records it forwards, in order. */
class UsefulSubsetProcessorTest {
    private static final int[] ONE_CLASS = {3};
    private static final float[][] Y = {{1f, 0f, 0f}};
    private static final float[][][] HARD = {{{1f, 0f}}};
    private static final int MAX_BATCH = 100;
    private static final long PENDING_TIMEOUT_MS = 60_000;
    /** Claim-index bounds: every claim in memory, or none (each goes to the {@code content-claims} store). */
    private static final long CLAIMS_IN_MEMORY = 64L * 1024 * 1024;
    private static final long CLAIMS_IN_THE_STORE = 0;

    /**
     * y = e₁ and one unit column a ∥ y, ridge λ = 0.5: w_a = 1/(1 + 0.5) = 2/3, ‖r‖ = 1/3, score 1 − ‖r‖/‖y‖ = 2/3.
     * A sample of a class the request does not ask for changes nothing, so nothing is forwarded for it.
     */
    @Test
    void forwardsOneUpdatePerChangedSubsetAndNothingForAnUnaskedClass() {
        try (Harness f = new Harness()) {
            f.hardSet(hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.send(batch("r1", "o", sample("a", 3, new float[]{2f, 0f, 0f}, null)), 10);
            f.send(batch("r1", "o", sample("other-class", 7, new float[]{1f, 0f, 0f}, null)), 20);

            // The update, then the exposure-ledger entry of what it revealed, keyed by owner.
            assertThat(f.context.forwarded()).hasSize(2);
            Record<?, ?> only = f.context.forwarded().get(0).record();
            Record<?, ?> ledger = f.context.forwarded().get(1).record();
            assertThat(ledger.key()).isEqualTo("o");
            assertThat(ledger.timestamp()).isEqualTo(T0.toEpochMilli() + 10);
            assertThat(ledger.value()).isEqualTo(new ExposureEntry("o", "r1", "operator", ExposureReason.SUBSET,
                    ExposureKind.IDS_AND_WEIGHTS, 1L, List.of("a"), List.of("a"), 1, null, T0.plusMillis(10)));
            assertThat(only.key()).isEqualTo("r1|o");
            assertThat(only.timestamp()).isEqualTo(T0.toEpochMilli() + 10);
            SubsetUpdate update = (SubsetUpdate) only.value();
            assertThat(update.getRequestId()).isEqualTo("r1");
            assertThat(update.getOwnerId()).isEqualTo("o");
            assertThat(update.getSeq()).isEqualTo(1);
            assertThat(update.getSamplesSeen()).isEqualTo(1);
            assertThat(update.getCancelled()).isFalse();
            assertThat(update.getAsOf()).isEqualTo(T0.plusMillis(10));
            assertThat(update.getClasses()).hasSize(1);
            ClassSubset c3 = update.getClasses().get(0);
            assertThat(c3.getLabel()).isEqualTo(3);
            assertThat(c3.getSelected()).extracting(SelectedSample::getSampleId).containsExactly("a");
            assertThat(c3.getSelected().get(0).getWeight()).isCloseTo(2.0 / 3, within(1e-12));
            assertThat(c3.getTargetNorm()).isEqualTo(1.0);
            assertThat(c3.getResidualNorm()).isCloseTo(1.0 / 3, within(1e-12));
            assertThat(c3.getCoverage()).isNull();
            assertThat(update.getScore()).isCloseTo(2.0 / 3, within(1e-12));
            // The unasked sample still counts as seen, in the store only.
            assertThat(f.subset("r1|o").getSamplesSeen()).isEqualTo(2);
            assertThat(f.subset("r1|o").getSeq()).isEqualTo(1);
        }
    }

    /** A bad sample is dead-lettered alone (its own bytes, where it came from), before the update of the good ones. */
    @Test
    void aBadSampleIsDeadLetteredBeforeTheUpdateOfItsBatch() {
        try (Harness f = new Harness()) {
            f.hardSet(hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.offset = 41;
            f.send(batch("r1", "o", sample("wrong-dim", 3, new float[]{1f, 0f}, null), sample("ok", 3, new float[]{1f, 0.5f, 0f}, null)), 5);

            List<Object> values = f.context.forwarded().stream().map(c -> (Object) c.record().value()).toList();
            assertThat(values).hasSize(3);
            assertThat(values.get(2)).isInstanceOf(ExposureEntry.class);
            DeadLetter letter = (DeadLetter) values.get(0);
            assertThat(letter.getStage()).isEqualTo(UsefulSubsetProcessor.STAGE);
            assertThat(letter.getReason()).isEqualTo("gradient of sample wrong-dim has dim 2, the request expects 3");
            assertThat(letter.getOriginalValue().array()).isEqualTo(f.lastValue);
            assertThat(letter.getTopic()).isEqualTo(f.topics.sampleVectors().name());
            assertThat(letter.getPartition()).isEqualTo(0);
            assertThat(letter.getOffset()).isEqualTo(41L);
            assertThat(new String(letter.getOriginalKey().array())).isEqualTo("r1|o");
            SubsetUpdate update = (SubsetUpdate) values.get(1);
            assertThat(update.getClasses().get(0).getSelected()).extracting(SelectedSample::getSampleId).containsExactly("ok");
            assertThat(update.getSamplesSeen()).isEqualTo(2);
        }
    }

    @Test
    void aBatchWhoseKeyIsNotItsRequestAndOwnerOrThatIsTooLargeIsLetteredBeforeAnyStateChanges() {
        try (Harness f = new Harness()) {
            f.hardSet(hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.send("r1|someone-else".getBytes(StandardCharsets.UTF_8), f.bytes(batch("r1", "o", sample("x", 3, new float[]{1f, 0f, 0f}, null))));
            SampleVector[] many = new SampleVector[MAX_BATCH + 1];
            for (int i = 0; i < many.length; i++) {
                many[i] = sample("m" + i, 3, new float[]{1f, i, 0f}, null);
            }
            f.send(batch("r1", "o", many), 1);
            assertThat(f.letters()).extracting(DeadLetter::getReason).containsExactly(
                    "key 'r1|someone-else' does not match the batch's request and owner ('r1|o')",
                    "batch of 101 samples exceeds mycroft.max.batch.samples = 100");
            assertThat(f.subsets.approximateNumEntries()).isZero();
        }
    }

    /** Issue 17: an owner id holding the key separator, or an empty one, once stopped the app on every restart. */
    @Test
    void badIdsUndecodableBytesBadKeysAndTombstonesAreEachLetteredOnceWithTheirBytesAndTheNextRecordIsUsed() {
        try (Harness f = new Harness()) {
            f.hardSet(hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            byte[] pipe = f.bytes(batch("r1", "a|b", sample("x", 3, new float[]{1f, 0f, 0f}, null)));
            f.send("r1|a|b".getBytes(StandardCharsets.UTF_8), pipe);
            f.send("r1|".getBytes(StandardCharsets.UTF_8), f.bytes(batch("r1", "", sample("x", 3, new float[]{1f, 0f, 0f}, null))));
            f.send("|o".getBytes(StandardCharsets.UTF_8), f.bytes(batch("", "o", sample("x", 3, new float[]{1f, 0f, 0f}, null))));
            f.send("r1|o".getBytes(StandardCharsets.UTF_8), f.bytes(batch("r1", "o", sample("", 3, new float[]{1f, 0f, 0f}, null))));
            byte[] truncated = java.util.Arrays.copyOf(pipe, pipe.length - 3);
            f.send("r1|o".getBytes(StandardCharsets.UTF_8), truncated);
            f.send(new byte[]{(byte) 0xff, (byte) 0xfe}, f.bytes(batch("r1", "o", sample("x", 3, new float[]{1f, 0f, 0f}, null))));
            f.send("r1|o".getBytes(StandardCharsets.UTF_8), null);
            f.send(batch("r1", "o", sample("fine", 3, new float[]{1f, 0f, 0f}, null)));

            List<DeadLetter> letters = f.letters();
            assertThat(letters).extracting(DeadLetter::getReason).satisfiesExactly(
                    r -> assertThat(r).isEqualTo("ownerId 'a|b' contains '|', which separates key parts"),
                    r -> assertThat(r).isEqualTo("ownerId must not be empty"),
                    r -> assertThat(r).isEqualTo("requestId must not be empty"),
                    r -> assertThat(r).isEqualTo("sampleId must not be empty"),
                    r -> assertThat(r).matches("(TRUNCATED|CORRUPT_BODY): .*"),
                    r -> assertThat(r).isEqualTo("the key is not UTF-8 text"),
                    r -> assertThat(r).startsWith("a tombstone"));
            assertThat(letters).extracting(DeadLetter::getOffset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(letters.get(0).getOriginalValue().array()).isEqualTo(pipe);
            assertThat(letters.get(4).getOriginalValue().array()).isEqualTo(truncated);
            assertThat(letters.get(5).getOriginalKey().array()).isEqualTo(new byte[]{(byte) 0xff, (byte) 0xfe});
            assertThat(letters.get(6).getOriginalValue()).isNull();
            assertThat(f.updates()).singleElement().satisfies(u -> assertThat(u.getClasses().get(0).getSelected())
                    .extracting(SelectedSample::getSampleId).containsExactly("fine"));
        }
    }

    /** A batch that arrives before its hard set waits; the sweep applies it with its own timestamp once the hard set is there. */
    @Test
    void aBatchWaitsForItsHardSetAndTheSweepAppliesIt() {
        try (Harness f = new Harness()) {
            f.send(batch("r1", "o", sample("a", 3, new float[]{2f, 0f, 0f}, null)), 7);
            f.sweep(T0.toEpochMilli() + 1_000);
            assertThat(f.context.forwarded()).isEmpty();

            f.hardSet(hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.sweep(T0.toEpochMilli() + 2_000);

            assertThat(f.updates()).extracting(SubsetUpdate::getSeq, SubsetUpdate::getSamplesSeen, SubsetUpdate::getAsOf)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 1L, T0.plusMillis(7)));
            assertThat(f.context.forwarded().get(0).record().timestamp()).isEqualTo(T0.toEpochMilli() + 7);
        }
    }

    @Test
    void aBatchWhoseHardSetNeverArrivesIsDeadLetteredAfterTheTimeout() {
        try (Harness f = new Harness()) {
            f.send(batch("ghost", "o", sample("a", 3, new float[]{1f, 0f, 0f}, null)), 0);
            f.sweep(T0.toEpochMilli() + PENDING_TIMEOUT_MS);
            assertThat(f.context.forwarded()).isEmpty();
            f.sweep(T0.toEpochMilli() + PENDING_TIMEOUT_MS + 1);
            assertThat(f.context.forwarded()).singleElement().satisfies(c -> {
                assertThat(c.record().key()).isEqualTo("ghost|o");
                DeadLetter letter = (DeadLetter) c.record().value();
                assertThat(letter.getReason()).isEqualTo("request ghost is unknown: no hard set arrived within 60000 ms");
                assertThat(letter.getPartition()).isEqualTo(0);
                assertThat(letter.getOffset()).isEqualTo(0L);
                assertThat(letter.getOriginalValue().array()).isEqualTo(f.lastValue);
            });
        }
    }

    /** The hard set's tombstone (request cancelled): the sweep deletes the owner's state and forwards a final, empty update. */
    @Test
    void aCancelledRequestForwardsAFinalEmptyUpdateAndForgetsTheOwner() {
        try (Harness f = new Harness()) {
            f.hardSet(hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.send(batch("r1", "o", sample("a", 3, new float[]{2f, 0f, 0f}, null)), 3);
            f.context.resetForwards();

            f.withdrawHardSet("r1");
            long now = T0.toEpochMilli() + 5_000;
            f.sweep(now);

            assertThat(f.context.forwarded()).singleElement().satisfies(c -> {
                assertThat(c.record().key()).isEqualTo("r1|o");
                assertThat(c.record().timestamp()).isEqualTo(now);
                SubsetUpdate last = (SubsetUpdate) c.record().value();
                assertThat(last.getCancelled()).isTrue();
                assertThat(last.getSeq()).isEqualTo(2);
                assertThat(last.getClasses()).isEmpty();
                assertThat(last.getScore()).isEqualTo(0.0);
                assertThat(last.getAsOf()).isEqualTo(Instant.ofEpochMilli(now));
            });
            for (KeyValueStore<String, ?> store : List.of(f.store(UsefulSubsetProcessor.OMP_STATE),
                    f.store(UsefulSubsetProcessor.CANDIDATE_SOURCES))) {
                assertThat(store.approximateNumEntries()).isZero();
            }
            assertThat(f.subset("r1|o").getCancelled()).isTrue();
        }
    }

    /** Batches of a cancelled request, late or waiting, are lettered as cancelled, not as unknown; a re-issued request starts afresh. */
    @Test
    void lateBatchesOfACancelledRequestAreLetteredAsCancelled() {
        try (Harness f = new Harness()) {
            f.hardSet(hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.send(batch("r1", "o", sample("a", 3, new float[]{2f, 0f, 0f}, null)), 3);
            f.withdrawHardSet("r1");
            f.sweep(T0.toEpochMilli() + 5_000);
            f.context.resetForwards();

            f.send(batch("r1", "o", sample("late", 3, new float[]{1f, 0f, 0f}, null)), 6_000);
            assertThat(f.letters()).extracting(DeadLetter::getReason, DeadLetter::getOffset)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("request r1 was cancelled", 1L));

            f.context.resetForwards();
            f.hardSet(hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.send(batch("r1", "o", sample("again", 3, new float[]{2f, 0f, 0f}, null)), 7_000);
            assertThat(f.updates()).singleElement().satisfies(u -> {
                assertThat(u.getCancelled()).isFalse();
                assertThat(u.getSeq()).isEqualTo(3);
                assertThat(u.getSamplesSeen()).isEqualTo(1);
            });
        }
    }

    /**
     * Copies across owners (issue 13): a copy of content another owner's sample brought first (by offset) is never
     * offered; the copier's subset and score are exactly those of its own samples, and its update counts both that copy
     * and its copy of its own sample. Reversed, the first arrival is credited whichever owner it is.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aCopyOfAnotherOwnersContentIsCreditedToTheOwnerWhoseCopyArrivedFirst(boolean copierFirst) {
        SampleVectors honest = batch("r1", "honest", sample("h1", 3, new float[]{2f, 0f, 0f}, null));
        SampleVectors copier = batch("r1", "copier", sample("c1", 3, new float[]{2f, 0f, 0f}, null),
                sample("c2", 3, new float[]{0.5f, 1f, 0f}, null), sample("c3", 3, new float[]{0.5f, 1f, 0f}, null));
        try (Harness f = new Harness(); Harness alone = new Harness()) {
            f.hardSet(hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            for (SampleVectors b : copierFirst ? List.of(copier, honest) : List.of(honest, copier)) {
                f.send(b);
            }
            SubsetUpdate honestLast = last(f.updates(), "honest");
            SubsetUpdate copierLast = last(f.updates(), "copier");
            if (copierFirst) {
                assertThat(honestLast.getClasses().get(0).getSelected()).isEmpty();
                assertThat(honestLast.getScore()).isEqualTo(0.0);
                assertThat(honestLast.getDuplicateSamples()).isEqualTo(1);
                assertThat(copierLast.getDuplicateSamples()).isEqualTo(1);
                assertThat(copierLast.getClasses().get(0).getSelected()).extracting(SelectedSample::getSampleId).contains("c1");
            } else {
                assertThat(honestLast.getClasses().get(0).getSelected()).extracting(SelectedSample::getSampleId).containsExactly("h1");
                assertThat(honestLast.getDuplicateSamples()).isZero();
                assertThat(copierLast.getDuplicateSamples()).isEqualTo(2);
                assertThat(copierLast.getSamplesSeen()).isEqualTo(3);
                alone.hardSet(hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
                alone.send(batch("r1", "copier", copier.getSamples().get(1), copier.getSamples().get(2)));
                SubsetUpdate own = last(alone.updates(), "copier");
                assertThat(copierLast.getClasses()).isEqualTo(own.getClasses());
                assertThat(copierLast.getScore()).isEqualTo(own.getScore());
            }
        }
    }

    /**
     * A source connector that restarts from an earlier offset re-sends samples in a later record: each copy is counted
     * once, and the re-sent samples change nothing else.
     */
    @Test
    void aReSentCopyIsCountedOnce() {
        SampleVectors honest = batch("r1", "honest", sample("h1", 3, new float[]{2f, 0f, 0f}, null));
        SampleVectors copier = batch("r1", "copier", sample("c1", 3, new float[]{2f, 0f, 0f}, null),
                sample("c2", 3, new float[]{0.5f, 1f, 0f}, null), sample("c3", 3, new float[]{0.5f, 1f, 0f}, null));
        try (Harness f = new Harness()) {
            f.hardSet(hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.send(honest);
            f.send(copier);
            SubsetUpdate first = last(f.updates(), "copier");
            assertThat(first.getDuplicateSamples()).isEqualTo(2);
            f.send(copier);
            f.send(batch("r1", "copier", copier.getSamples().get(2), copier.getSamples().get(0)));
            SubsetUpdate again = f.subset("r1|copier");
            assertThat(again.getDuplicateSamples()).isEqualTo(2);
            assertThat(again.getSamplesSeen()).as("every sample received is seen").isEqualTo(3 + 3 + 2);
            assertThat(again.getClasses()).isEqualTo(first.getClasses());
            assertThat(again.getScore()).isEqualTo(first.getScore());
        }
    }

    /**
     * Claims follow the partition's offsets, not when a batch is applied: a batch that waits for its hard set still
     * owns the content it brought first, and the candidates rebuilt after a restart leave the copy out as before.
     */
    @Test
    void aWaitingBatchKeepsItsClaimAndARebuildLeavesTheCopyOut() {
        try (Harness f = new Harness(); Harness uninterrupted = new Harness()) {
            for (Harness h : List.of(f, uninterrupted)) {
                h.send(batch("r1", "first", sample("f1", 3, new float[]{2f, 0f, 0f}, null)), 1);
                h.hardSet(hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
                h.send(batch("r1", "second", sample("s1", 3, new float[]{2f, 0f, 0f}, null),
                        sample("s2", 3, new float[]{0f, 1f, 0.5f}, null)), 2);
                h.sweep(T0.toEpochMilli() + 2_000);
            }
            assertThat(last(f.updates(), "first").getClasses().get(0).getSelected()).extracting(SelectedSample::getSampleId)
                    .containsExactly("f1");
            assertThat(last(f.updates(), "second").getClasses().get(0).getSelected()).extracting(SelectedSample::getSampleId)
                    .containsExactly("s2");

            f.restart();
            for (Harness h : List.of(f, uninterrupted)) {
                h.send(batch("r1", "second", sample("s3", 3, new float[]{1f, 0.2f, 0f}, null)), 3);
            }
            assertThat(f.rebuilds).isEqualTo(1);
            SubsetUpdate rebuilt = last(f.updates(), "second");
            SubsetUpdate kept = last(uninterrupted.updates(), "second");
            assertThat(rebuilt.getClasses()).isEqualTo(kept.getClasses());
            assertThat(rebuilt.getScore()).isEqualTo(kept.getScore());
            assertThat(rebuilt.getDuplicateSamples()).isEqualTo(kept.getDuplicateSamples()).isEqualTo(1);
            assertThat(rebuilt.getClasses().get(0).getSelected()).extracting(SelectedSample::getSampleId).doesNotContain("s1");
        }
    }

    /**
     * The claim index is rebuilt at init, from the log (held in memory) or from the store (outgrown memory): a copy that
     * arrives after a restart is still a copy.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {CLAIMS_IN_MEMORY, CLAIMS_IN_THE_STORE})
    void aClaimMadeBeforeARestartStillCreditsACopyAfterIt(long claimTableBytes) {
        try (Harness f = new Harness(64L * 1024 * 1024, claimTableBytes)) {
            f.hardSet(hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.send(batch("r1", "first", sample("f1", 3, new float[]{2f, 0f, 0f}, null)), 1);
            f.restart();
            f.send(batch("r1", "copier", sample("c1", 3, new float[]{2f, 0f, 0f}, null),
                    sample("c2", 3, new float[]{0f, 1f, 0.5f}, null)), 2);
            SubsetUpdate copier = last(f.updates(), "copier");
            assertThat(copier.getDuplicateSamples()).isEqualTo(1);
            assertThat(copier.getClasses().get(0).getSelected()).extracting(SelectedSample::getSampleId).containsExactly("c2");
        }
    }

    /**
     * The claims' index store has no changelog. Wiped (exactly-once after a crash, a task moved here) or left behind by
     * an earlier stay of the task, it covers fewer claiming records than the log, and the rest is indexed again from
     * the log at init: copies of content claimed before are still credited, and the store is the one a processor that
     * never stopped holds. One that covers more than the log (written for records exactly-once then aborted) is emptied
     * and refilled.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"wiped", "stale", "ahead"})
    void aLostOrStaleClaimIndexIsRebuiltFromTheClaimLog(String loss) {
        try (Harness f = new Harness(64L * 1024 * 1024, CLAIMS_IN_THE_STORE);
             Harness whole = new Harness(64L * 1024 * 1024, CLAIMS_IN_THE_STORE)) {
            for (Harness h : List.of(f, whole)) {
                h.hardSet(hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
                h.send(batch("r1", "first", sample("f1", 3, new float[]{2f, 0f, 0f}, null)), 1);
            }
            Map<String, String> afterFirst = entries(f.store(UsefulSubsetProcessor.CONTENT_CLAIMS));
            for (Harness h : List.of(f, whole)) {
                h.send(batch("r1", "other", sample("o1", 3, new float[]{0f, 3f, 0f}, null)), 2);
            }
            KeyValueStore<String, byte[]> index = f.store(UsefulSubsetProcessor.CONTENT_CLAIMS);
            entries(index).keySet().forEach(index::delete);
            if (loss.equals("stale")) {
                afterFirst.forEach((key, value) -> index.put(key, java.util.HexFormat.of().parseHex(value)));
            }
            if (loss.equals("ahead")) {
                index.put("r1|00ff", java.nio.ByteBuffer.allocate(8).putLong(3).array());
                index.put("|records", java.nio.ByteBuffer.allocate(8).putLong(3).array());
            }
            f.restart();
            for (Harness h : List.of(f, whole)) {
                h.send(batch("r1", "copier", sample("c1", 3, new float[]{2f, 0f, 0f}, null),
                        sample("c2", 3, new float[]{0f, 3f, 0f}, null), sample("c3", 3, new float[]{0f, 1f, 0.5f}, null)), 3);
            }
            SubsetUpdate copier = last(f.updates(), "copier");
            assertThat(copier.getDuplicateSamples()).isEqualTo(2);
            assertThat(copier.getClasses().get(0).getSelected()).extracting(SelectedSample::getSampleId).containsExactly("c3");
            assertThat(copier).isEqualTo(last(whole.updates(), "copier"));
            for (String store : List.of(UsefulSubsetProcessor.CONTENT_CLAIMS, UsefulSubsetProcessor.CLAIM_LOG)) {
                assertThat(entries(f.store(store))).as(store).isEqualTo(entries(whole.store(store)));
            }
        }
    }

    /** The revealed ids are kept across a restart: an id a subset revealed before it is not new in the ledger after it. */
    @Test
    void idsRevealedBeforeARestartAreNotNewAfterIt() {
        try (Harness f = new Harness()) {
            f.hardSet(hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.send(batch("r1", "o", sample("a", 3, new float[]{2f, 0f, 0f}, null)), 1);
            List<String> before = ledger(f).get(0).getSampleIds();
            f.restart();
            f.send(batch("r1", "o", sample("b", 3, new float[]{0f, 1f, 0.5f}, null), sample("c", 3, new float[]{0f, 0f, 1f}, null)), 2);
            ExposureEntry after = ledger(f).get(0);
            assertThat(after.getSampleIds()).containsAnyElementsOf(before);
            assertThat(after.getNewlyRevealed()).isNotEmpty()
                    .isEqualTo(after.getSampleIds().stream().filter(id -> !before.contains(id)).toList());
        }
    }

    private static List<ExposureEntry> ledger(Harness f) {
        List<ExposureEntry> entries = new ArrayList<>();
        f.context.forwarded().forEach(c -> {
            if (c.record().value() instanceof ExposureEntry entry) {
                entries.add(entry);
            }
        });
        return entries;
    }

    /**
     * A cancelled request's claims go with it: re-issued under the same id, the content is anyone's again, also where
     * the in-memory index still names the cancelled claim's record. The claiming records keep their count: after a
     * restart, the next record is number 2, not the cancelled record's 1.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {CLAIMS_IN_MEMORY, CLAIMS_IN_THE_STORE})
    void aCancelledRequestForgetsItsClaims(long claimTableBytes) {
        try (Harness f = new Harness(64L * 1024 * 1024, claimTableBytes)) {
            f.hardSet(hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.send(batch("r1", "first", sample("f1", 3, new float[]{2f, 0f, 0f}, null)), 1);
            f.withdrawHardSet("r1");
            f.sweep(T0.toEpochMilli() + 5_000);
            for (String store : List.of(UsefulSubsetProcessor.CONTENT_CLAIMS, UsefulSubsetProcessor.CLAIM_LOG)) {
                assertThat(entries(f.store(store)).keySet()).as(store).noneMatch(k -> k.startsWith("r1|"));
            }
            assertThat(entries(f.store(UsefulSubsetProcessor.CLAIM_LOG))).containsKey("|records");
            f.restart();

            f.hardSet(hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD));
            f.send(batch("r1", "second", sample("s1", 3, new float[]{2f, 0f, 0f}, null)), 6_000);
            assertThat(entries(f.store(UsefulSubsetProcessor.CLAIM_LOG)).keySet()).contains("r1||2").doesNotContain("r1||1");
            SubsetUpdate second = last(f.updates(), "second");
            assertThat(second.getClasses().get(0).getSelected()).extracting(SelectedSample::getSampleId).containsExactly("s1");
            assertThat(second.getDuplicateSamples()).isZero();
        }
    }

    /**
     * Streamed = batch with copies across owners: for 30 random interleavings of three owners (the third copying half of
     * the others' samples, the first holding each sample twice), every owner's streamed subset equals batch selection
     * over its batches with the claims of all batches in the same order ({@link ContentClaims#first}), bit for bit.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {CLAIMS_IN_MEMORY, 64, CLAIMS_IN_THE_STORE})
    void streamedSubsetsWithCopiesAcrossOwnersEqualBatchSelectionWithTheSameClaims(long claimTableBytes) {
        for (int instance = 0; instance < 30; instance++) {
            Random random = new Random(instance);
            HardSetVectors hardSet = hardSet("r1", SelectionMethod.GRADIENT, 2, ONE_CLASS, Y, HARD);
            List<SampleVectors> order = new ArrayList<>();
            List<float[]> shared = new ArrayList<>();
            for (String owner : List.of("a", "b")) {
                for (int i = 0; i < 6; i++) {
                    float[] g = SelectionRecords.gaussian(random, 3);
                    shared.add(g);
                    order.add(batch("r1", owner, sample(owner + i, 3, g, null)));
                    if (owner.equals("a")) {
                        order.add(batch("r1", owner, sample(owner + i + "~again", 3, g.clone(), null)));
                    }
                }
            }
            for (int i = 0; i < shared.size(); i += 2) {
                order.add(batch("r1", "c", sample("c-copy" + i, 3, shared.get(i).clone(), null)));
            }
            for (int i = 0; i < 4; i++) {
                order.add(batch("r1", "c", sample("c" + i, 3, SelectionRecords.gaussian(random, 3), null)));
            }
            Collections.shuffle(order, random);
            try (Harness f = new Harness(64L * 1024 * 1024, claimTableBytes)) {
                f.hardSet(hardSet);
                for (int i = 0; i < order.size(); i++) {
                    if (i == order.size() / 2) {
                        f.restart(); // the index is rebuilt halfway, from the log and the store
                    }
                    f.send(order.get(i));
                }
                var firstClaim = ContentClaims.first("r1", order);
                for (String owner : List.of("a", "b", "c")) {
                    List<SampleVectors> own = order.stream().filter(b -> b.getOwnerId().equals(owner)).toList();
                    OwnerSelection batch = BatchSelection.select(hardSet, owner, own, null, firstClaim);
                    SubsetUpdate streamed = f.subset("r1|" + owner);
                    assertThat(streamed.getClasses()).as("instance %d, owner %s", instance, owner).isEqualTo(batch.classes());
                    assertThat(streamed.getScore()).isEqualTo(batch.score());
                }
                assertThat(f.subset("r1|a").getDuplicateSamples() + f.subset("r1|b").getDuplicateSamples()
                        + f.subset("r1|c").getDuplicateSamples()).as("copies counted").isEqualTo(6 + 6);
            }
        }
    }

    /** The last update forwarded for {@code owner}. */
    private static SubsetUpdate last(List<SubsetUpdate> updates, String owner) {
        return updates.stream().filter(u -> u.getOwnerId().equals(owner)).reduce((a, b) -> b).orElseThrow();
    }

    /** The streamed subsets equal batch OMP over the same samples, bit for bit, whatever the order and batching. */
    @Test
    void streamedSubsetsEqualBatchOmpForShuffledOrders() {
        Random random = new Random(42);
        for (int instance = 0; instance < 12; instance++) {
            int dim = 6;
            int[] labels = {0, 1};
            float[][] targets = {randomVector(random, dim), randomVector(random, dim)};
            float[][][] hard = {{randomVector(random, 2), randomVector(random, 2)}, {randomVector(random, 2)}};
            HardSetVectors hardSet = hardSet("r", SelectionMethod.GRADIENT, 3, labels, targets, hard);
            List<SampleVector> all = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                all.add(sample(String.format("s%02d", i), i % 2, randomVector(random, dim), null));
            }
            RequestPlan plan = RequestPlan.of(hardSet);
            List<List<String>> expectedIds = new ArrayList<>();
            List<double[]> expectedWeights = new ArrayList<>();
            for (RequestPlan.ClassPlan c : plan.classes()) {
                List<Candidate> candidates = all.stream().filter(s -> s.getLabel() == c.label())
                        .map(s -> new Candidate(s.getSampleId(), RequestPlan.vector(s.getGradient(), dim, "g"))).toList();
                OmpPath path = OrthogonalMatchingPursuit.solve(c.target(), candidates, c.options());
                expectedIds.add(path.subset().sampleIds());
                expectedWeights.add(path.subset().weights());
            }
            for (int order = 0; order < 3; order++) {
                List<SampleVector> shuffled = new ArrayList<>(all);
                Collections.shuffle(shuffled, random);
                try (Harness f = new Harness()) {
                    f.hardSet(hardSet);
                    for (int from = 0; from < shuffled.size(); ) {
                        int to = Math.min(shuffled.size(), from + 1 + random.nextInt(7));
                        f.send(batch("r", "o", shuffled.subList(from, to).toArray(SampleVector[]::new)));
                        from = to;
                    }
                    List<SubsetUpdate> updates = f.updates();
                    SubsetUpdate last = updates.get(updates.size() - 1);
                    assertThat(f.subset("r|o").getSamplesSeen()).isEqualTo(40);
                    for (int c = 0; c < 2; c++) {
                        List<SelectedSample> selected = last.getClasses().get(c).getSelected();
                        assertThat(selected).extracting(SelectedSample::getSampleId).isEqualTo(expectedIds.get(c));
                        assertThat(selected.stream().mapToDouble(SelectedSample::getWeight).toArray()).isEqualTo(expectedWeights.get(c));
                    }
                    assertThat(updates).extracting(SubsetUpdate::getSeq).isSorted().doesNotHaveDuplicates();
                }
            }
        }
    }

    @Test
    void featureSimilarityStreamsRetrieveTopK() {
        Random random = new Random(7);
        float[][][] hard = {{randomVector(random, 4), randomVector(random, 4)}};
        HardSetVectors hardSet = hardSet("r", SelectionMethod.FEATURE, 2, ONE_CLASS, new float[][]{{1f}}, hard);
        List<SampleVector> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            all.add(sample("s" + i, 3, null, randomVector(random, 4)));
        }
        List<SampleEmbedding> hardEmbeddings = List.of(new SampleEmbedding("h3-0", hard[0][0]), new SampleEmbedding("h3-1", hard[0][1]));
        RetrieveTopK.Selection expected = RetrieveTopK.batch(2, 4, hardEmbeddings,
                all.stream().map(s -> new SampleEmbedding(s.getSampleId(), RequestPlan.vector(s.getEmbedding(), 4, "e"))).toList());
        try (Harness f = new Harness()) {
            f.hardSet(hardSet);
            for (int i = 0; i < all.size(); i += 4) {
                f.send(batch("r", "o", all.subList(i, Math.min(all.size(), i + 4)).toArray(SampleVector[]::new)));
            }
            List<SubsetUpdate> updates = f.updates();
            ClassSubset last = updates.get(updates.size() - 1).getClasses().get(0);
            assertThat(last.getSelected()).extracting(SelectedSample::getSampleId).isEqualTo(expected.sampleIds());
            assertThat(last.getCoverage()).isEqualTo(expected.coverage());
            assertThat(updates.get(updates.size() - 1).getScore()).isEqualTo(expected.coverage());
        }
    }

    /**
     * {@link BatchSelection} over every published batch equals the last streamed update, classes (ids, weights,
     * residuals, coverage) and score, for each method — with re-sent samples, invalid ones and an unasked class mixed in.
     */
    @ParameterizedTest
    @EnumSource(SelectionMethod.class)
    void batchSelectionEqualsTheStreamedSubset(SelectionMethod method) {
        Random random = new Random(11);
        for (int instance = 0; instance < 6; instance++) {
            int[] labels = {0, 1};
            float[][] targets = {randomVector(random, 5), randomVector(random, 5)};
            float[][][] hard = {{randomVector(random, 3), randomVector(random, 3)}, {randomVector(random, 3)}};
            HardSetVectors hardSet = hardSet("r", method, 2, labels, targets, hard);
            List<SampleVector> all = new ArrayList<>();
            for (int i = 0; i < 36; i++) {
                all.add(sample(String.format("s%02d", i), i % 3, randomVector(random, 5), randomVector(random, 3)));
            }
            all.add(sample("nan", 0, new float[]{Float.NaN, 0f, 0f, 0f, 0f}, new float[]{Float.NaN, 0f, 0f}));
            all.add(all.get(4)); // re-sent
            Collections.shuffle(all, random);
            List<SampleVectors> batches = new ArrayList<>();
            for (int from = 0; from < all.size(); ) {
                int to = Math.min(all.size(), from + 1 + random.nextInt(6));
                batches.add(batch("r", "o", all.subList(from, to).toArray(SampleVector[]::new)));
                from = to;
            }
            try (Harness f = new Harness()) {
                f.hardSet(hardSet);
                batches.forEach(f::send);
                List<SubsetUpdate> updates = f.updates();
                SubsetUpdate last = updates.get(updates.size() - 1);

                OwnerSelection batch = BatchSelection.select(hardSet, "o", batches);

                assertThat(batch.classes()).isEqualTo(last.getClasses());
                assertThat(batch.score()).isEqualTo(last.getScore());
                assertThat(batch.classes()).anySatisfy(c -> assertThat(c.getSelected()).isNotEmpty());
                // Only a selection on gradients has candidates to rebuild, so only it lists the records applied.
                assertThat(entries(f.store(UsefulSubsetProcessor.CANDIDATE_SOURCES)))
                        .hasSize(method == SelectionMethod.FEATURE ? 0 : batches.size());
            }
        }
    }

    /**
     * Every method holds the budget on random instances with random B (k·|D_hard| or not): per class at most B_c, its
     * share of B, and at most B in all; and the streamed subset (shuffled arrivals, micro-batches, exact duplicates and
     * rescaled gradient copies under other ids) equals batch selection bit for bit, cut included.
     */
    @ParameterizedTest
    @EnumSource(SelectionMethod.class)
    void everyMethodHoldsTheBudgetAndStreamsAsBatch(SelectionMethod method) {
        Random random = new Random(23);
        for (int instance = 0; instance < 10; instance++) {
            int[] labels = {0, 1};
            int k = 1 + random.nextInt(3);
            float[][] targets = {randomVector(random, 4), randomVector(random, 4)};
            float[][][] hard = {new float[1 + random.nextInt(4)][], new float[1 + random.nextInt(3)][]};
            for (float[][] c : hard) {
                for (int h = 0; h < c.length; h++) {
                    c[h] = randomVector(random, 3);
                }
            }
            int n = hard[0].length + hard[1].length;
            int smallest = Math.min(hard[0].length, hard[1].length);
            int budget = random.nextBoolean() ? k * n : (n + smallest - 1) / smallest + random.nextInt(10);
            HardSetVectors hardSet = HardSetVectors.newBuilder(hardSet("r", method, k, labels, targets, hard))
                    .setBudget(budget).build();
            RequestPlan plan = RequestPlan.of(hardSet);
            List<SampleVector> all = new ArrayList<>();
            for (int i = 0; i < 36; i++) {
                SampleVector copy = i % 6 == 5 ? all.get(random.nextInt(all.size())) : null;
                all.add(copy != null ? sample(String.format("s%02d", i), copy.getLabel(), RequestPlan.vector(copy.getGradient(), 4, "g"),
                        RequestPlan.vector(copy.getEmbedding(), 3, "e"))
                        : sample(String.format("s%02d", i), i % 3, randomVector(random, 4), randomVector(random, 3)));
            }
            for (int i = 36; i < 42; i++) {
                // a rescaled gradient copy, its id after every original's: withdrawn whenever it arrived first
                SampleVector original = all.get(random.nextInt(36));
                all.add(sample(String.format("s%02d", i), original.getLabel(),
                        scaled(RequestPlan.vector(original.getGradient(), 4, "g"), 0.8f + 0.4f * random.nextFloat()),
                        RequestPlan.vector(original.getEmbedding(), 3, "e")));
            }
            for (int order = 0; order < 3; order++) {
                SubsetUpdate last = streamedEqualsBatch(hardSet, all, random, "instance " + instance + " order " + order);
                int shared = 0;
                for (ClassSubset c : last.getClasses()) {
                    assertThat(c.getSelected()).as("instance %d class %d", instance, c.getLabel())
                            .hasSizeLessThanOrEqualTo(plan.classOf(c.getLabel()).budget()).isNotEmpty();
                    shared += c.getSelected().size();
                }
                assertThat(shared).isLessThanOrEqualTo(budget);
            }
        }
    }

    /**
     * A private FEATURE or FUNCFEAT hard set (no hard embedding, one noisy embedding sum per class): the streamed subset
     * equals batch selection bit for bit for shuffled arrivals in micro-batches (exact duplicates under other ids
     * included), and under FEATURE each class is RetrieveCentroidTopK's B_c samples nearest in cosine to the class's noisy
     * centroid, the owner score its coverages weighted by |D_hard_c|.
     */
    @ParameterizedTest
    @EnumSource(value = SelectionMethod.class, names = {"FEATURE", "FUNCFEAT"})
    void aPrivateHardSetSelectsAgainstTheNoisyCentroidsAndStreamsAsBatch(SelectionMethod method) {
        Random random = new Random(31);
        for (int instance = 0; instance < 8; instance++) {
            int[] labels = {0, 1};
            float[][] targets = {randomVector(random, 4), randomVector(random, 4)};
            float[][][] hard = {new float[1 + random.nextInt(4)][3], new float[1 + random.nextInt(3)][3]};
            float[][] sums = {randomVector(random, 3), randomVector(random, 3)};
            HardSetVectors exact = hardSet("r", method, 2, labels, targets, hard);
            List<ClassTarget> classes = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                ClassTarget ct = exact.getClasses().get(c);
                classes.add(new ClassTarget(ct.getLabel(), ct.getTargetGradient(), ct.getHardSamples().stream()
                        .map(h -> new HardSampleVector(h.getSampleId(), FloatVectors.of())).toList(), FloatVectors.of(sums[c])));
            }
            HardSetVectors hardSet = HardSetVectors.newBuilder(exact).setBudget(4 + random.nextInt(6)).setClasses(classes)
                    .setPrivacy(new PrivacyAccounting(1.0, 1e-5, 1.0, 2.0, 8.0, 0L, 0, "test", 2.0, 8.0, 0)).build();
            RequestPlan plan = RequestPlan.of(hardSet);
            List<SampleVector> all = new ArrayList<>();
            for (int i = 0; i < 36; i++) {
                SampleVector copy = i % 6 == 5 ? all.get(random.nextInt(all.size())) : null;
                all.add(copy != null ? sample(String.format("s%02d", i), copy.getLabel(), RequestPlan.vector(copy.getGradient(), 4, "g"),
                        RequestPlan.vector(copy.getEmbedding(), 3, "e"))
                        : sample(String.format("s%02d", i), i % 3, randomVector(random, 4), randomVector(random, 3)));
            }
            for (int order = 0; order < 3; order++) {
                SubsetUpdate last = streamedEqualsBatch(hardSet, all, random, "instance " + instance + " order " + order);
                if (method == SelectionMethod.FEATURE) {
                    double weighted = 0;
                    for (int c = 0; c < 2; c++) {
                        int label = c;
                        List<SampleEmbedding> owner = all.stream().filter(v -> v.getLabel() == label)
                                .map(v -> new SampleEmbedding(v.getSampleId(), RequestPlan.vector(v.getEmbedding(), 3, "e"))).toList();
                        RetrieveTopK.Selection expected = RetrieveCentroidTopK.batch(plan.classOf(label).budget(), sums[c], owner);
                        assertThat(last.getClasses().get(c).getSelected()).extracting(SelectedSample::getSampleId)
                                .containsExactlyElementsOf(expected.sampleIds());
                        weighted += expected.coverage() * hard[c].length;
                    }
                    assertThat(last.getScore()).isCloseTo(weighted / (hard[0].length + hard[1].length), within(1e-12));
                }
            }
        }
    }

    /**
     * Label consistency on (k = 1..3): the streamed subset equals batch selection bit for bit for shuffled arrivals in
     * micro-batches, with a restart that loses the local candidates; no excluded sample is ever selected, and the rule
     * does exclude samples on these instances.
     */
    @ParameterizedTest
    @EnumSource(SelectionMethod.class)
    void labelConsistencyStreamsAsBatchForEveryOrderAndRestart(SelectionMethod method) {
        Random random = new Random(31);
        int excludedSeen = 0;
        for (int instance = 0; instance < 8; instance++) {
            int[] labels = {0, 1};
            float[][] targets = {randomVector(random, 4), randomVector(random, 4)};
            float[][][] hard = {{randomVector(random, 3), randomVector(random, 3)}, {randomVector(random, 3), randomVector(random, 3)}};
            HardSetVectors plain = hardSet("r", method, 2, labels, targets, hard);
            HardSetVectors hardSet = HardSetVectors.newBuilder(plain).setOptions(mycroft.schemas.SelectionOptions.newBuilder(plain.getOptions())
                    .setLabelConsistencyNeighbours(1 + random.nextInt(3)).build()).build();
            RequestPlan plan = RequestPlan.of(hardSet);
            List<SampleVector> all = new ArrayList<>();
            java.util.Set<String> excluded = new java.util.HashSet<>();
            for (int i = 0; i < 30; i++) {
                int label = i % 3;
                Integer predicted = i % 5 == 0 ? null : random.nextInt(3);
                SampleVector s = SampleVector.newBuilder(sample(String.format("s%02d", i), label, randomVector(random, 4),
                        randomVector(random, 3))).setPredictedLabel(predicted).build();
                all.add(s);
                if (label < 2 && plan.offer(s) == null) {
                    excluded.add(s.getSampleId());
                }
            }
            excludedSeen += excluded.size();
            for (int order = 0; order < 3; order++) {
                List<SampleVectors> batches = shuffledMicroBatches(all, random);
                try (Harness f = new Harness()) {
                    f.hardSet(hardSet);
                    for (int b = 0; b < batches.size(); b++) {
                        if (b == batches.size() / 2) {
                            f.restart();
                        }
                        f.send(batches.get(b));
                    }
                    SubsetUpdate last = f.subset("r|o");

                    OwnerSelection batch = BatchSelection.select(hardSet, "o", batches);

                    assertThat(batch.classes()).as("instance %d order %d", instance, order).isEqualTo(last.getClasses());
                    assertThat(batch.score()).isEqualTo(last.getScore());
                    assertThat(f.letters()).isEmpty();
                    last.getClasses().forEach(c -> c.getSelected().forEach(s -> assertThat(excluded).doesNotContain(s.getSampleId())));
                }
            }
        }
        assertThat(excludedSeen).as("the instances must exclude some samples").isGreaterThan(10);
    }

    /**
     * B = 10 over classes with 4 and 3 hard samples (k = 4 would say 28): the split gives 6 and 4 (10·4/7 = 5.71,
     * 10·3/7 = 4.29, the one left to the larger remainder), and with enough samples every method selects exactly that.
     */
    @ParameterizedTest
    @EnumSource(SelectionMethod.class)
    void aBudgetThatIsNotKPerHardSampleSelectsExactlyItsSplit(SelectionMethod method) {
        Random random = new Random(5);
        float[][][] hard = {new float[4][], new float[3][]};
        for (float[][] c : hard) {
            for (int h = 0; h < c.length; h++) {
                c[h] = randomVector(random, 3);
            }
        }
        HardSetVectors hardSet = HardSetVectors.newBuilder(hardSet("r", method, 4, new int[]{2, 5},
                new float[][]{randomVector(random, 5), randomVector(random, 5)}, hard)).setBudget(10).build();
        List<SampleVector> all = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            all.add(sample(String.format("s%02d", i), i % 2 == 0 ? 2 : 5, randomVector(random, 5), randomVector(random, 3)));
        }
        List<SampleVectors> batches = new ArrayList<>();
        for (int from = 0; from < all.size(); from += 5) {
            batches.add(batch("r", "o", all.subList(from, Math.min(all.size(), from + 5)).toArray(SampleVector[]::new)));
        }
        try (Harness f = new Harness()) {
            f.hardSet(hardSet);
            batches.forEach(f::send);
            List<SubsetUpdate> updates = f.updates();
            List<ClassSubset> last = updates.get(updates.size() - 1).getClasses();
            assertThat(last).extracting(ClassSubset::getLabel).containsExactly(2, 5);
            assertThat(last).extracting(c -> c.getSelected().size()).containsExactly(6, 4);
            assertThat(BatchSelection.select(hardSet, "o", batches).classes()).isEqualTo(last);
        }
    }

    /**
     * The candidates are held in memory only: a new processor on the restored changelogged stores rebuilds them from the
     * applied records, and what follows — updates and stores — is bit for bit what an uninterrupted run gives. So does
     * a processor whose cache holds one key at a time (two owners alternate, so every batch rebuilds its key). The input has a
     * batch that waits for its hard set, an undecodable record, a sample that replaces a stored duplicate (same
     * gradient, smaller id), rescaled copies (one shadowed before the restart, one that withdraws a stored candidate
     * after it), bad samples (a wrong dimension, a bad id) and a re-sent batch; the rebuild replays the applied records
     * without lettering their bad samples again.
     */
    @Test
    void candidatesAreRebuiltFromTheAppliedRecordsAfterARestartOrAnEviction() {
        Random random = new Random(11);
        int dim = 6;
        int[] labels = {0, 1};
        HardSetVectors hardSet = hardSet("r", SelectionMethod.GRADIENT, 3,
                labels, new float[][]{randomVector(random, dim), randomVector(random, dim)}, new float[][][]{{randomVector(random, 2)}, {randomVector(random, 2)}});
        List<SampleVectors> batches = new ArrayList<>();
        float[] shared = randomVector(random, dim);
        for (int b = 0; b < 8; b++) {
            List<SampleVector> samples = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                samples.add(sample(String.format("s%d-%d", b, i), i % 2, randomVector(random, dim), null));
            }
            batches.add(batch("r", "o", samples.toArray(SampleVector[]::new)));
        }
        float[] first = RequestPlan.vector(batches.get(0).getSamples().get(0).getGradient(), dim, "g");
        float[] second = RequestPlan.vector(batches.get(1).getSamples().get(1).getGradient(), dim, "g");
        batches.set(2, batch("r", "o", sample("z-dup", 0, shared, null), sample("bad", 1, new float[]{1f}, null),
                sample("s0-0~copy", 0, scaled(first, 1.15f), null)));
        batches.set(5, batch("r", "o", sample("a-near", 1, scaled(second, 0.85f), null), sample("s5-1", 1, randomVector(random, dim), null)));
        batches.set(6, batch("r", "o", sample("a-dup", 0, shared, null), sample("s6-1", 1, randomVector(random, dim), null)));
        batches.set(3, batch("r", "o", sample("s3-0", 0, randomVector(random, dim), null), sample("bad|id", 1, randomVector(random, dim), null)));
        batches.set(7, batches.get(3));

        List<SampleVectors> other = batches.stream().map(b -> SampleVectors.newBuilder(b).setOwnerId("p").build()).toList();
        try (Harness whole = new Harness(); Harness restarted = new Harness(); Harness oneKeyCached = new Harness(1)) {
            for (Harness f : List.of(whole, restarted, oneKeyCached)) {
                f.send(batches.get(0));
                f.send(other.get(0));
                f.hardSet(hardSet);
                f.send("r|o".getBytes(StandardCharsets.UTF_8), new byte[]{0, 1, 2});
                for (int b = 1; b < batches.size(); b++) {
                    if (b == 4 && f == restarted) {
                        f.restart();
                    } else if (b == 4) {
                        f.context.resetForwards();
                    }
                    f.send(batches.get(b));
                    f.send(other.get(b));
                }
            }
            assertThat(whole.rebuilds).isZero();
            assertThat(restarted.rebuilds).as("one per key").isEqualTo(2);
            assertThat(oneKeyCached.rebuilds).as("a key's every batch after its first applied one").isEqualTo(2 * 6);
            for (Harness f : List.of(restarted, oneKeyCached)) {
                assertThat(f.updates()).isNotEmpty().isEqualTo(whole.updates());
                // The rebuild letters nothing: what was lettered before the restart is not lettered again.
                assertThat(f.letters()).hasSize(2).isEqualTo(whole.letters());
                for (String store : List.of(UsefulSubsetProcessor.OMP_STATE, UsefulSubsetProcessor.CANDIDATE_SOURCES)) {
                    assertThat(entries(f.store(store))).as(store).isEqualTo(entries(whole.store(store)));
                }
                for (String key : List.of("r|o", "r|p")) {
                    assertThat(f.subset(key)).isEqualTo(whole.subset(key));
                }
            }
        }
    }

    /**
     * An omp-state entry of an earlier {@link OmpStateCodec#VERSION} was computed with other atom rounding: after a
     * restart it is recomputed from the candidates, not continued. The stale entries here claim every step won with an
     * unbeatable score, so a continued path would never let a later arrival in; the restarted processor forwards what
     * batch OMP selects over all samples.
     */
    @Test
    void anOmpStateOfAnEarlierVersionIsRecomputedFromTheCandidates() {
        Random random = new Random(12);
        int dim = 6;
        HardSetVectors hardSet = hardSet("r", SelectionMethod.GRADIENT, 3, new int[]{0},
                new float[][]{randomVector(random, dim)}, new float[][][]{{randomVector(random, 2), randomVector(random, 2)}});
        List<SampleVectors> batches = new ArrayList<>();
        for (int b = 0; b < 6; b++) {
            batches.add(batch("r", "o", sample("s" + b + "-0", 0, randomVector(random, dim), null),
                    sample("s" + b + "-1", 0, randomVector(random, dim), null)));
        }
        try (Harness f = new Harness()) {
            f.hardSet(hardSet);
            batches.subList(0, 3).forEach(f::send);
            KeyValueStore<String, byte[]> ompState = f.store(UsefulSubsetProcessor.OMP_STATE);
            Map<String, String> state = entries(ompState);
            assertThat(state).isNotEmpty();
            state.forEach((key, hex) -> {
                OmpPath path = OmpStateCodec.decode(java.util.HexFormat.of().parseHex(hex));
                List<OmpStep> unbeatable = path.steps().stream().map(t -> new OmpStep(t.winner(), Double.MAX_VALUE,
                        t.dependent(), t.dropped(), t.weights())).toList();
                byte[] stale = OmpStateCodec.encode(new OmpPath(unbeatable, false, path.residualNorm(), path.targetNorm(),
                        path.samplesSeen()));
                stale[0] = 1;
                ompState.put(key, stale);
            });
            f.restart();
            batches.subList(3, 6).forEach(f::send);

            List<SubsetUpdate> updates = f.updates();
            assertThat(updates).isNotEmpty();
            SubsetUpdate last = updates.get(updates.size() - 1);
            OwnerSelection batch = BatchSelection.select(hardSet, "o", batches);
            assertThat(last.getClasses()).isEqualTo(batch.classes());
            assertThat(last.getScore()).isEqualTo(batch.score());
            assertThat(last.getSamplesSeen()).isEqualTo(12);
            assertThat(entries(ompState).values()).allSatisfy(hex -> assertThat(hex).startsWith("02"));
        }
    }

    private static float[] scaled(float[] v, float factor) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * factor;
        }
        return out;
    }

    private static Map<String, String> entries(KeyValueStore<String, byte[]> store) {
        Map<String, String> out = new java.util.TreeMap<>();
        try (var it = store.all()) {
            it.forEachRemaining(kv -> out.put(kv.key, java.util.HexFormat.of().formatHex(kv.value)));
        }
        return out;
    }

    private static float[] randomVector(Random random, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** The processor on a mock context, with in-memory stores under the names the topology gives them and a private registry. */
    private static final class Harness implements AutoCloseable {
        final String scope = "processors-" + UUID.randomUUID();
        final Topics topics = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, "mock://" + scope));
        final MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>();
        final TimestampedKeyValueStore<String, HardSetVectors> hardsets;
        /** What keeps {@link #hardsets} in the app (on its global thread), and tells the processor of each change. */
        final HardSetTable.Changes hardSetChanges = new HardSetTable.Changes();
        final HardSetTable hardSetTable = new HardSetTable(hardSetChanges);
        final KeyValueStore<String, SubsetUpdate> subsets;
        /** The records sent, by offset: the retained input topic the candidates are rebuilt from. */
        final Map<Long, KeyValue<byte[], byte[]>> log = new java.util.HashMap<>();
        UsefulSubsetProcessor processor;
        int rebuilds;
        long offset;
        byte[] lastValue;

        /** The candidate cache's bound, in floats. */
        final long cacheFloats;
        /** The in-memory claim index's bound, in bytes. */
        final long claimTableBytes;

        Harness() {
            this(64L * 1024 * 1024);
        }

        Harness(long cacheFloats) {
            this(cacheFloats, CLAIMS_IN_MEMORY);
        }

        Harness(long cacheFloats, long claimTableBytes) {
            this.cacheFloats = cacheFloats;
            this.claimTableBytes = claimTableBytes;
            hardsets = Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore(UsefulSubsetProcessor.HARDSETS),
                    Serdes.String(), topics.hardsetVectors().valueSerde()).withLoggingDisabled().build();
            register(hardsets);
            MockProcessorContext<Void, Void> globalThread = new MockProcessorContext<>();
            globalThread.addStateStore(hardsets);
            hardSetTable.init(globalThread);
            register(Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore(UsefulSubsetProcessor.OWNER_POLICIES),
                    Serdes.String(), topics.ownerPolicies().valueSerde()).withLoggingDisabled().build());
            for (String name : List.of(UsefulSubsetProcessor.OMP_STATE, UsefulSubsetProcessor.CANDIDATE_SOURCES, UsefulSubsetProcessor.TOPK, UsefulSubsetProcessor.PENDING,
                    UsefulSubsetProcessor.REVEALED, UsefulSubsetProcessor.CONTENT_CLAIMS, UsefulSubsetProcessor.CLAIM_LOG,
                    UsefulSubsetProcessor.SUBSET_COUNTS)) {
                register(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled().build());
            }
            subsets = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(UsefulSubsetProcessor.SUBSETS), Serdes.String(),
                    topics.serde(SubsetUpdate.class)).withLoggingDisabled().build();
            register(subsets);
            processor = newProcessor();
            processor.init(context);
        }

        /** The pair's subset as it stands (GET /requests/{id}/owners/{owner}/subset), or null. */
        SubsetUpdate subset(String key) {
            return UsefulSubsetProcessor.current(subsets.get(key), store(UsefulSubsetProcessor.SUBSET_COUNTS).get(key));
        }

        private UsefulSubsetProcessor newProcessor() {
            SourceRecords partitionZero = new SourceRecords() {
                @Override
                public void read(int partition, List<Long> offsets, java.util.function.BiConsumer<byte[], byte[]> each) {
                    assertThat(partition).isZero();
                    rebuilds++;
                    offsets.forEach(o -> each.accept(log.get(o).key, log.get(o).value));
                }

                @Override
                public void close() {
                }
            };
            return new UsefulSubsetProcessor(topics.sampleVectors(), MAX_BATCH, PENDING_TIMEOUT_MS, cacheFloats,
                    claimTableBytes, new SimpleMeterRegistry(), hardSetChanges, context -> partitionZero);
        }

        /** A new processor starts on the stores (the changelogged state), with nothing in memory. */
        void restart() {
            processor.close();
            context.resetForwards();
            processor = newProcessor();
            processor.init(context);
        }

        private void register(org.apache.kafka.streams.processor.StateStore store) {
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }

        KeyValueStore<String, byte[]> store(String name) {
            return context.getStateStore(name);
        }

        /** A hard set arrives on hardset-vectors (a new request, or a request re-issued). */
        void hardSet(HardSetVectors hardSet) {
            hardSetTable.process(new Record<>(hardSet.getRequestId(), hardSet, hardSet.getComputedAt().toEpochMilli()));
        }

        /** The request's tombstone arrives on hardset-vectors: it was cancelled. */
        void withdrawHardSet(String requestId) {
            hardSetTable.process(new Record<>(requestId, null, T0.toEpochMilli()));
        }

        /** Processes {@code batch} as the next record of sample-vectors partition 0, at (record and wall-clock time) T0 + {@code millis}. */
        void send(SampleVectors batch, long millis) {
            send(Keys.requestOwner(batch.getRequestId(), batch.getOwnerId()).getBytes(StandardCharsets.UTF_8), bytes(batch), millis);
        }

        /** Processes the record ({@code key}, {@code value}) as bytes, as the topology hands them to the processor. */
        void send(byte[] key, byte[] value, long millis) {
            lastValue = value;
            log.put(offset, new KeyValue<>(key, value));
            context.setRecordMetadata(topics.sampleVectors().name(), 0, offset++);
            context.setCurrentSystemTimeMs(T0.toEpochMilli() + millis);
            processor.process(new Record<>(key, value, T0.toEpochMilli() + millis));
        }

        void send(byte[] key, byte[] value) {
            send(key, value, offset);
        }

        byte[] bytes(SampleVectors batch) {
            return topics.sampleVectors().valueSerde().serializer().serialize(topics.sampleVectors().name(), batch);
        }

        List<DeadLetter> letters() {
            return context.forwarded().stream().map(c -> c.record().value()).filter(DeadLetter.class::isInstance)
                    .map(DeadLetter.class::cast).toList();
        }

        void send(SampleVectors batch) {
            send(batch, offset);
        }

        /** Runs the one-second wall-clock sweep at {@code now}. */
        void sweep(long now) {
            MockProcessorContext.CapturedPunctuator sweep = context.scheduledPunctuators().get(0);
            assertThat(sweep.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
            assertThat(sweep.getInterval()).isEqualTo(Duration.ofSeconds(1));
            context.setCurrentSystemTimeMs(now);
            sweep.getPunctuator().punctuate(now);
        }

        List<SubsetUpdate> updates() {
            List<SubsetUpdate> updates = new ArrayList<>();
            context.forwarded().forEach(c -> {
                if (c.record().value() instanceof SubsetUpdate update) {
                    updates.add(update);
                }
            });
            return updates;
        }

        @Override
        public void close() {
            InMemorySchemaRegistry.dropScope(scope);
        }
    }

    /**
     * Streams {@code all} in shuffled micro-batches and checks that the last subset update equals batch selection on the
     * same batches, bit for bit; returns that update.
     */
    private static SubsetUpdate streamedEqualsBatch(HardSetVectors hardSet, List<SampleVector> all, Random random, String what) {
        List<SampleVectors> batches = shuffledMicroBatches(all, random);
        try (Harness f = new Harness()) {
            f.hardSet(hardSet);
            batches.forEach(f::send);
            List<SubsetUpdate> updates = f.updates();
            SubsetUpdate last = updates.get(updates.size() - 1);
            OwnerSelection batch = BatchSelection.select(hardSet, "o", batches);
            assertThat(batch.classes()).as(what).isEqualTo(last.getClasses());
            assertThat(batch.score()).as(what).isEqualTo(last.getScore());
            return last;
        }
    }

    /** {@code all} shuffled in place, then cut into batches of 1–5 samples of request r, owner o. */
    private static List<SampleVectors> shuffledMicroBatches(List<SampleVector> all, Random random) {
        Collections.shuffle(all, random);
        List<SampleVectors> batches = new ArrayList<>();
        for (int from = 0; from < all.size(); ) {
            int to = Math.min(all.size(), from + 1 + random.nextInt(5));
            batches.add(batch("r", "o", all.subList(from, to).toArray(SampleVector[]::new)));
            from = to;
        }
        return batches;
    }
}
