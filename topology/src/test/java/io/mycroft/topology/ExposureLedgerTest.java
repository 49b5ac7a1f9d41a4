package io.mycroft.topology;

import io.mycroft.processors.BatchSelection;
import io.mycroft.processors.ExposureLedger;
import io.mycroft.processors.ExposureSummaryProcessor;
import io.mycroft.processors.OwnerSelection;
import io.mycroft.processors.SelectionRecords;
import mycroft.schemas.ClassSubset;
import mycroft.schemas.Evaluation;
import mycroft.schemas.ExposureEntry;
import mycroft.schemas.ExposureKind;
import mycroft.schemas.ExposureReason;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.OwnerExposure;
import mycroft.schemas.OwnerPolicy;
import mycroft.schemas.RequestExposure;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.mycroft.processors.SelectionRecords.batch;
import static io.mycroft.processors.SelectionRecords.hardSet;
import static io.mycroft.processors.SelectionRecords.sample;
import static org.assertj.core.api.Assertions.assertThat;

/** The exposure ledger and the owners' caps, through the whole topology (TopologyTestDriver). */
class ExposureLedgerTest {
    private static final int[] TWO_CLASSES = {1, 2};
    private static final int DIM = 6;

    /** Two classes of two hard samples each; k = 2 makes B = 8 (4 per class). */
    private static HardSetVectors request(String requestId, Integer budget) {
        Random random = new Random(7);
        float[][] targets = {gaussian(random), gaussian(random)};
        float[][][] hard = {{{1f, 0f}, {0f, 1f}}, {{1f, 1f}, {1f, -1f}}};
        HardSetVectors hardSet = hardSet(requestId, SelectionMethod.GRADIENT, 2, TWO_CLASSES, targets, hard);
        return HardSetVectors.newBuilder(hardSet).setBudget(budget).build();
    }

    /** {@code batches} batches of {@code perBatch} random samples of both classes, ids s0, s1, … */
    private static List<SampleVectors> batches(String requestId, String owner, int batches, int perBatch) {
        Random random = new Random(11);
        List<SampleVectors> all = new ArrayList<>();
        int id = 0;
        for (int b = 0; b < batches; b++) {
            List<SampleVector> samples = new ArrayList<>();
            for (int i = 0; i < perBatch; i++, id++) {
                samples.add(sample("s" + id, TWO_CLASSES[id % 2], gaussian(random), null));
            }
            all.add(batch(requestId, owner, samples.toArray(SampleVector[]::new)));
        }
        return all;
    }

    private static float[] gaussian(Random random) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** The owner's summary as GET /owners/{o}/exposure reads it: with the ids its processor keeps apart. */
    private static OwnerExposure summary(TopologyFixture f, String owner) {
        KeyValueStore<String, ValueAndTimestamp<OwnerExposure>> summaries = f.driver.getTimestampedKeyValueStore(ExposureLedger.STORE);
        return ExposureSummaryProcessor.read(o -> summaries.get(o).value(), f.driver.getKeyValueStore(ExposureSummaryProcessor.IDS), owner);
    }

    /** Every id the updates of {@code requestId} revealed, each once, in first-reveal order. */
    private static List<String> revealed(List<SubsetUpdate> updates, String requestId) {
        Set<String> ids = new LinkedHashSet<>();
        updates.stream().filter(u -> u.getRequestId().equals(requestId)).forEach(u -> ids.addAll(ids(u)));
        return List.copyOf(ids);
    }

    private static List<String> ids(SubsetUpdate update) {
        List<String> ids = new ArrayList<>();
        update.getClasses().forEach(c -> c.getSelected().forEach(s -> ids.add(s.getSampleId())));
        return ids;
    }

    @Test
    void everyPublishedSubsetHasALedgerEntryNamingWhatItRevealedAndWhatWasNew() {
        try (TopologyFixture f = new TopologyFixture()) {
            f.hardsets.pipeInput("alice.r1", request("alice.r1", null));
            batches("alice.r1", "o", 6, 4).forEach(f::send);
            f.evaluations.pipeInput("alice.r1|o", new Evaluation("alice.r1", "o", 2L, 8, 0.2, 0.5, 0.8, 0.82, 1L, SelectionRecords.T0));

            List<SubsetUpdate> updates = f.updates.readValuesToList();
            List<ExposureEntry> entries = f.ledger.readKeyValuesToList().stream().map(kv -> {
                assertThat(kv.key).isEqualTo("o");
                return kv.value;
            }).toList();
            assertThat(updates).hasSizeGreaterThan(1);
            List<ExposureEntry> reveals = entries.stream().filter(e -> e.getReason() == ExposureReason.SUBSET).toList();
            assertThat(reveals).hasSameSizeAs(updates);
            Set<String> revealed = new LinkedHashSet<>();
            for (int i = 0; i < updates.size(); i++) {
                SubsetUpdate update = updates.get(i);
                ExposureEntry entry = reveals.get(i);
                List<String> fresh = ids(update).stream().filter(id -> !revealed.contains(id)).toList();
                revealed.addAll(ids(update));
                assertThat(entry.getSubsetSeq()).isEqualTo(update.getSeq());
                assertThat(entry.getSampleIds()).isEqualTo(ids(update));
                assertThat(entry.getNewlyRevealed()).isEqualTo(fresh);
                assertThat(entry.getSamplesRevealed()).isEqualTo(ids(update).size());
                assertThat(entry.getKind()).isEqualTo(ExposureKind.IDS_AND_WEIGHTS);
                assertThat(entry.getRevealedTo()).isEqualTo("trainer:alice");
                assertThat(entry.getCap()).isNull();
                assertThat(entry.getAsOf()).isEqualTo(update.getAsOf());
            }
            ExposureEntry purchase = entries.get(entries.size() - 1);
            assertThat(purchase.getReason()).isEqualTo(ExposureReason.PURCHASE);
            assertThat(purchase.getKind()).isEqualTo(ExposureKind.RAW_BYTES);
            assertThat(purchase.getSubsetSeq()).isEqualTo(2L);
            assertThat(purchase.getSamplesRevealed()).isEqualTo(8);

            RequestExposure summary = summary(f, "o").getRequests().get(0);
            assertThat(summary.getRequestId()).isEqualTo("alice.r1");
            assertThat(summary.getRevealedSampleIds()).containsExactlyElementsOf(revealed);
            assertThat(summary.getRevealedSamples()).isEqualTo(revealed.size());
            assertThat(summary.getSubsetReveals()).isEqualTo(updates.size());
            SubsetUpdate last = updates.get(updates.size() - 1);
            assertThat(summary.getLatestSubsetSeq()).isEqualTo(last.getSeq());
            assertThat(summary.getLatestSubsetSize()).isEqualTo(ids(last).size());
            assertThat(summary.getPurchasedSubsetSeqs()).containsExactly(2L);
        }
    }

    @Test
    void aCappedOwnersSubsetNeverExceedsTheCapAndIsTheSelectionOfBudgetCapStreamedOrNot() {
        List<SampleVectors> manyBatches = batches("r1", "o", 8, 3);
        List<SampleVector> everySample = new ArrayList<>();
        manyBatches.forEach(b -> everySample.addAll(b.getSamples()));
        List<ClassSubset> streamed;
        try (TopologyFixture f = new TopologyFixture()) {
            f.policies.pipeInput("o", new OwnerPolicy("o", 3, SelectionRecords.T0));
            f.hardsets.pipeInput("r1", request("r1", null));
            manyBatches.forEach(f::send);
            List<SubsetUpdate> updates = f.updates.readValuesToList();
            assertThat(updates).allSatisfy(u -> assertThat(ids(u).size()).isLessThanOrEqualTo(3));
            streamed = updates.get(updates.size() - 1).getClasses();
            assertThat(streamed.stream().mapToInt(c -> c.getSelected().size()).sum()).isEqualTo(3);
            assertThat(f.ledger.readValuesToList()).allSatisfy(e -> {
                assertThat(e.getCap()).isEqualTo(3);
                assertThat(e.getSamplesRevealed()).isLessThanOrEqualTo(3);
            });
        }
        try (TopologyFixture f = new TopologyFixture()) {
            f.policies.pipeInput("o", new OwnerPolicy("o", 3, SelectionRecords.T0));
            f.hardsets.pipeInput("r1", request("r1", null));
            f.send(batch("r1", "o", everySample.toArray(SampleVector[]::new)));
            List<SubsetUpdate> updates = f.updates.readValuesToList();
            assertThat(updates.get(updates.size() - 1).getClasses()).isEqualTo(streamed);
        }
        // Batch selection under the cap, and an uncapped request whose budget is the cap, select the same.
        OwnerSelection batchCapped = BatchSelection.select(request("r1", null), "o", manyBatches, 3, sample -> null);
        OwnerSelection budgetThree = BatchSelection.select(request("r1", 3), "o", manyBatches);
        assertThat(batchCapped.classes()).isEqualTo(streamed);
        assertThat(budgetThree.classes()).isEqualTo(streamed);
        // The uncapped request takes its whole budget: the cap made a difference.
        assertThat(BatchSelection.select(request("r1", null), "o", manyBatches).classes().stream()
                .mapToInt(c -> c.getSelected().size()).sum()).isEqualTo(8);
    }

    @Test
    void aCapIsFixedWhenTheRequestFirstSelectsFromTheOwnerAndALaterOneAppliesToLaterRequests() {
        try (TopologyFixture f = new TopologyFixture()) {
            f.policies.pipeInput("o", new OwnerPolicy("o", 2, SelectionRecords.T0));
            f.hardsets.pipeInput("r1", request("r1", null));
            List<SampleVectors> batches = batches("r1", "o", 4, 4);
            f.send(batches.get(0));
            f.policies.pipeInput("o", new OwnerPolicy("o", 5, SelectionRecords.T0));
            batches.subList(1, 4).forEach(f::send);
            f.hardsets.pipeInput("r2", request("r2", null));
            batches("r2", "o", 4, 4).forEach(f::send);

            List<SubsetUpdate> updates = f.updates.readValuesToList();
            SubsetUpdate lastR1 = updates.stream().filter(u -> u.getRequestId().equals("r1")).reduce((a, b) -> b).orElseThrow();
            SubsetUpdate lastR2 = updates.stream().filter(u -> u.getRequestId().equals("r2")).reduce((a, b) -> b).orElseThrow();
            assertThat(ids(lastR1)).hasSize(2);
            assertThat(ids(lastR2)).hasSize(5);
            assertThat(summary(f, "o").getRequests()).extracting(RequestExposure::getRequestId, RequestExposure::getCap,
                            RequestExposure::getRevealedSampleIds)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("r1", 2, revealed(updates, "r1")),
                            org.assertj.core.groups.Tuple.tuple("r2", 5, revealed(updates, "r2")));
        }
    }

    @Test
    void aCapOfZeroRevealsNothing() {
        try (TopologyFixture f = new TopologyFixture()) {
            f.policies.pipeInput("o", new OwnerPolicy("o", 0, SelectionRecords.T0));
            f.hardsets.pipeInput("r1", request("r1", null));
            batches("r1", "o", 3, 4).forEach(f::send);
            assertThat(f.updates.isEmpty()).isTrue();
            assertThat(f.ledger.isEmpty()).isTrue();
            assertThat(f.deadLetters.isEmpty()).isTrue();
        }
    }

    /** Undecodable bytes and a policy stored under another owner's key never become a cap; selection goes on uncapped. */
    @Test
    void garbageAndMisKeyedPoliciesAreNoCap() {
        try (TopologyFixture f = new TopologyFixture()) {
            f.driver.createInputTopic(f.topics.ownerPolicies().name(), new org.apache.kafka.common.serialization.ByteArraySerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer()).pipeInput("o".getBytes(), new byte[]{0, 0, 0, 0, 42, 1});
            f.policies.pipeInput("o", new OwnerPolicy("p", 1, SelectionRecords.T0));
            f.hardsets.pipeInput("r1", request("r1", null));
            batches("r1", "o", 6, 4).forEach(f::send);
            List<SubsetUpdate> updates = f.updates.readValuesToList();
            assertThat(ids(updates.get(updates.size() - 1))).hasSize(8);
            assertThat(f.ledger.readValuesToList()).allSatisfy(e -> assertThat(e.getCap()).isNull());
        }
    }

    @Test
    void theSummaryFoldsEntriesPerRequestInLedgerOrder() {
        ExposureEntry first = new ExposureEntry("o", "r1", "operator", ExposureReason.SUBSET, ExposureKind.IDS_AND_WEIGHTS,
                1L, List.of("a", "b"), List.of("a", "b"), 2, 4, SelectionRecords.T0);
        ExposureEntry second = new ExposureEntry("o", "r1", "operator", ExposureReason.SUBSET, ExposureKind.IDS_AND_WEIGHTS,
                2L, List.of("a", "c"), List.of("c"), 2, 4, SelectionRecords.T0.plusSeconds(1));
        OwnerExposure summary = ExposureLedger.add(ExposureLedger.add(ExposureLedger.empty(), first), second);
        RequestExposure r1 = summary.getRequests().get(0);
        assertThat(summary.getOwnerId()).isEqualTo("o");
        assertThat(r1.getRevealedSamples()).isEqualTo(3);
        assertThat(r1.getRevealedSampleIds()).as("the ids are kept apart").isEmpty();
        assertThat(r1.getLatestSubsetSeq()).isEqualTo(2L);
        assertThat(r1.getLatestSubsetSize()).isEqualTo(2);
        assertThat(r1.getSubsetReveals()).isEqualTo(2L);
        assertThat(r1.getCap()).isEqualTo(4);
        assertThat(r1.getFirstRevealedAt()).isEqualTo(SelectionRecords.T0);
        assertThat(r1.getLastRevealedAt()).isEqualTo(SelectionRecords.T0.plusSeconds(1));
    }
}
