package io.mycroft.topology;

import io.mycroft.processors.SelectionRecords;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.RankedOwner;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SelectionMethod;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import static io.mycroft.processors.SelectionRecords.batch;
import static io.mycroft.processors.SelectionRecords.hardSet;
import static io.mycroft.processors.SelectionRecords.sample;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Owners who game the ranking (issue 13), through the whole topology: an owner holding every sample three times, an
 * owner split over three ids (Sybils) and an owner copying another's samples, against the same owners behaving honestly
 * on the same gradients. An honest twin holding the same content is served in a request of its own (same target), since
 * within one request that content would be credited to whichever owner brought it first.
 */
class StrategicOwnersTest {
    private static final int LABEL = 3;
    private static final int DIM = 8;
    private static final int K = 3;
    private static final int INSTANCES = 20;

    /**
     * Exact copies (same gradient bytes, other sample ids) are one candidate: the same subset and score, to the bit;
     * the ranking counts the copies.
     */
    @Test
    void anOwnerHoldingEverySampleThreeTimesGainsNothing() {
        try (TopologyFixture f = new TopologyFixture()) {
            for (int instance = 0; instance < INSTANCES; instance++) {
                Random random = new Random(instance);
                float[] y = SelectionRecords.gaussian(random, DIM);
                List<float[]> gradients = gradients(random, 9);
                request(f, "h" + instance, y);
                f.send(batch("h" + instance, "owner", samples("s", gradients, 1)));
                request(f, "r" + instance, y);
                f.send(batch("r" + instance, "owner", samples("s", gradients, 3)));
            }
            Map<String, Map<String, RankedOwner>> rankings = finalRankings(f);
            for (int instance = 0; instance < INSTANCES; instance++) {
                RankedOwner honest = rankings.get("h" + instance).get("owner");
                RankedOwner tripled = rankings.get("r" + instance).get("owner");
                assertThat(tripled.getScore()).as("instance %d", instance).isEqualTo(honest.getScore());
                assertThat(tripled.getSubsetSize()).isEqualTo(honest.getSubsetSize());
                assertThat(tripled.getSamplesSeen()).isEqualTo(3 * honest.getSamplesSeen());
                assertThat(tripled.getDuplicateSamples()).isEqualTo(2 * honest.getSamplesSeen());
                assertThat(honest.getDuplicateSamples()).isZero();
            }
        }
    }

    /**
     * Rescaled copies (each gradient again × a factor in [0.8, 1.2], ids after the originals') are near-copies
     * ({@link io.mycroft.processors.math.NearCopies}): the originals are kept, so the owner gets the honest subset and
     * score to the bit, whether the copies arrive first (and are withdrawn) or last (and are never offered).
     */
    @Test
    void anOwnerHoldingRescaledCopiesGainsNothing() {
        try (TopologyFixture f = new TopologyFixture()) {
            for (int instance = 0; instance < INSTANCES; instance++) {
                Random random = new Random(2000 + instance);
                String request = "r" + instance;
                float[] y = SelectionRecords.gaussian(random, DIM);
                request(f, request, y);
                request(f, "h" + instance, y);
                List<float[]> gradients = gradients(random, 9);
                List<float[]> rescaled = new ArrayList<>();
                for (float[] g : gradients) {
                    float factor = (float) (0.8 + 0.4 * random.nextDouble());
                    float[] copy = new float[DIM];
                    for (int i = 0; i < DIM; i++) {
                        copy[i] = g[i] * factor;
                    }
                    rescaled.add(copy);
                }
                f.send(batch("h" + instance, "rescaler", samples("s", gradients, 1)));
                SampleVector[] originals = samples("s", gradients, 1);
                SampleVector[] copies = samples("s~copy", rescaled, 1);
                if (instance % 2 == 0) {
                    f.send(batch(request, "rescaler", copies));
                    f.send(batch(request, "rescaler", originals));
                } else {
                    f.send(batch(request, "rescaler", originals));
                    f.send(batch(request, "rescaler", copies));
                }
            }
            Map<String, Map<String, RankedOwner>> rankings = finalRankings(f);
            for (int instance = 0; instance < INSTANCES; instance++) {
                RankedOwner honest = rankings.get("h" + instance).get("rescaler");
                RankedOwner rescaler = rankings.get("r" + instance).get("rescaler");
                assertThat(rescaler.getScore()).as("instance %d", instance).isEqualTo(honest.getScore());
                assertThat(rescaler.getSubsetSize()).isEqualTo(honest.getSubsetSize());
            }
        }
    }

    /**
     * Under FEATURE (the default method), rescaled copies of the embeddings (× a factor in [0.8, 1.2]) are near-copies
     * among the neighbours RetrieveTopK retains ({@link io.mycroft.processors.math.RetrieveTopK}): the owner scores as
     * its honest twin, to the bit, whether the copies arrive first or last, and its subset is no larger (copies crowd the
     * retained lists, so it may hold fewer distinct samples).
     */
    @Test
    void anOwnerHoldingRescaledCopiesOfItsEmbeddingsGainsNothingUnderFeature() {
        int crowded = 0;
        try (TopologyFixture f = new TopologyFixture()) {
            for (int instance = 0; instance < INSTANCES; instance++) {
                Random random = new Random(3000 + instance);
                float[][] hard = {SelectionRecords.gaussian(random, DIM), SelectionRecords.gaussian(random, DIM),
                        SelectionRecords.gaussian(random, DIM)};
                for (String request : List.of("r" + instance, "h" + instance)) {
                    f.hardsets.pipeInput(request, hardSet(request, SelectionMethod.FEATURE, K, new int[]{LABEL},
                            new float[][]{new float[DIM]}, new float[][][]{hard}));
                }
                List<float[]> embeddings = gradients(random, 12);
                List<SampleVector> originals = new ArrayList<>();
                List<SampleVector> copies = new ArrayList<>();
                for (int i = 0; i < embeddings.size(); i++) {
                    float factor = (float) (0.8 + 0.4 * random.nextDouble());
                    float[] copy = embeddings.get(i).clone();
                    for (int d = 0; d < DIM; d++) {
                        copy[d] *= factor;
                    }
                    originals.add(sample(String.format("s%02d", i), LABEL, null, embeddings.get(i)));
                    copies.add(sample(String.format("s%02d~copy", i), LABEL, null, copy));
                }
                f.send(batch("h" + instance, "rescaler", originals.toArray(SampleVector[]::new)));
                List<SampleVector> first = instance % 2 == 0 ? copies : originals;
                List<SampleVector> last = instance % 2 == 0 ? originals : copies;
                f.send(batch("r" + instance, "rescaler", first.toArray(SampleVector[]::new)));
                f.send(batch("r" + instance, "rescaler", last.toArray(SampleVector[]::new)));
            }
            Map<String, Map<String, RankedOwner>> rankings = finalRankings(f);
            for (int instance = 0; instance < INSTANCES; instance++) {
                RankedOwner honest = rankings.get("h" + instance).get("rescaler");
                RankedOwner rescaler = rankings.get("r" + instance).get("rescaler");
                assertThat(rescaler.getScore()).as("instance %d", instance).isEqualTo(honest.getScore());
                assertThat(rescaler.getSubsetSize()).as("instance %d", instance).isLessThanOrEqualTo(honest.getSubsetSize());
                crowded += rescaler.getSubsetSize() < honest.getSubsetSize() ? 1 : 0;
            }
        }
        assertThat(crowded).as("instances whose copies crowded the retained lists").isBetween(1, INSTANCES - 1);
    }

    /**
     * The same gradients as one owner (request h), then split over three ids (request s): no part scores above the
     * whole, so no part takes a better place than the whole had against the same competitor (the split owner holds up
     * to three places, none higher). A part none of whose samples gets a non-negative weight never enters the ranking.
     */
    @Test
    void anOwnerSplitIntoThreeIdsDoesNotGainRank() {
        try (TopologyFixture f = new TopologyFixture()) {
            for (int instance = 0; instance < INSTANCES; instance++) {
                Random random = new Random(1000 + instance);
                float[] y = SelectionRecords.gaussian(random, DIM);
                List<float[]> whole = gradients(random, 12);
                List<float[]> competitor = gradients(random, 6);
                request(f, "h" + instance, y);
                f.send(batch("h" + instance, "sybil", samples("s", whole, 1)));
                f.send(batch("h" + instance, "other", samples("o", competitor, 1)));
                request(f, "s" + instance, y);
                for (int part = 0; part < 3; part++) {
                    f.send(batch("s" + instance, "sybil-" + (part + 1), samples("s" + part + "-", whole.subList(4 * part, 4 * part + 4), 1)));
                }
                f.send(batch("s" + instance, "other", samples("o", competitor, 1)));
            }
            Map<String, Map<String, RankedOwner>> rankings = finalRankings(f);
            for (int instance = 0; instance < INSTANCES; instance++) {
                Map<String, RankedOwner> honest = rankings.get("h" + instance);
                Map<String, RankedOwner> split = rankings.get("s" + instance);
                assertThat(split.get("other").getScore()).isEqualTo(honest.get("other").getScore());
                boolean wholeAboveOther = honest.get("sybil").getRank() < honest.get("other").getRank();
                for (int part = 1; part <= 3; part++) {
                    RankedOwner p = split.get("sybil-" + part);
                    if (p == null) {
                        continue; // nothing of the part explains the target (no non-negative weight): it holds no place
                    }
                    assertThat(p.getScore()).as("instance %d, part %d", instance, part)
                            .isLessThanOrEqualTo(honest.get("sybil").getScore());
                    boolean partAboveOther = p.getRank() < split.get("other").getRank();
                    assertThat(!partAboveOther || wholeAboveOther)
                            .as("instance %d, part %d above the competitor the whole was below", instance, part).isTrue();
                }
            }
        }
    }

    /**
     * An owner copying another's samples (request c) gets exactly what its own samples give (the same owner without the
     * copies, request h), and the owner copied from loses nothing; the ranking counts the copier's copies. The copier's
     * records arrive first on half the instances: then the content is credited to the copier, as it arrived first.
     */
    @Test
    void anOwnerCopyingAnothersSamplesIsCreditedOnlyWithItsOwn() {
        try (TopologyFixture f = new TopologyFixture()) {
            for (int instance = 0; instance < INSTANCES; instance++) {
                Random random = new Random(3000 + instance);
                float[] y = SelectionRecords.gaussian(random, DIM);
                List<float[]> victims = gradients(random, 9);
                List<float[]> own = gradients(random, 4);
                List<float[]> copied = new ArrayList<>(own);
                copied.addAll(victims.subList(0, 6));
                request(f, "h" + instance, y);
                f.send(batch("h" + instance, "copier", samples("own", own, 1)));
                f.send(batch("h" + instance, "victim", samples("v", victims, 1)));
                request(f, "c" + instance, y);
                boolean copierFirst = instance % 2 == 1;
                if (!copierFirst) {
                    f.send(batch("c" + instance, "victim", samples("v", victims, 1)));
                }
                f.send(batch("c" + instance, "copier", samples("own", copied, 1)));
                if (copierFirst) {
                    f.send(batch("c" + instance, "victim", samples("v", victims, 1)));
                }
            }
            Map<String, Map<String, RankedOwner>> rankings = finalRankings(f);
            for (int instance = 0; instance < INSTANCES; instance++) {
                Map<String, RankedOwner> honest = rankings.get("h" + instance);
                Map<String, RankedOwner> copying = rankings.get("c" + instance);
                RankedOwner copier = copying.get("copier");
                RankedOwner victim = copying.get("victim");
                if (instance % 2 == 0) {
                    // Its own samples alone may explain nothing (no non-negative weight): then it holds no place there.
                    RankedOwner alone = honest.get("copier");
                    assertThat(copier.getScore()).as("instance %d", instance).isEqualTo(alone == null ? 0.0 : alone.getScore());
                    assertThat(copier.getSubsetSize()).isEqualTo(alone == null ? 0 : alone.getSubsetSize());
                    assertThat(copier.getDuplicateSamples()).isEqualTo(6);
                    assertThat(victim.getScore()).isEqualTo(honest.get("victim").getScore());
                    assertThat(victim.getDuplicateSamples()).isZero();
                } else {
                    assertThat(victim.getDuplicateSamples()).as("instance %d", instance).isEqualTo(6);
                    assertThat(copier.getDuplicateSamples()).isZero();
                }
            }
        }
    }

    /** A GRADIENT request of one class with target y, one hard sample and k = {@value #K}: budget B = {@value #K}. */
    private static void request(TopologyFixture f, String requestId, float[] y) {
        f.hardsets.pipeInput(requestId, hardSet(requestId, SelectionMethod.GRADIENT, K, new int[]{LABEL}, new float[][]{y},
                new float[][][]{{{1f, 0f}}}));
    }

    /** Every request's last ranking, by request and owner (requests are independent: state is per request and owner). */
    private static Map<String, Map<String, RankedOwner>> finalRankings(TopologyFixture f) {
        assertThat(f.deadLetters.isEmpty()).isTrue();
        Map<String, Map<String, RankedOwner>> last = new HashMap<>();
        for (KeyValue<String, OwnerRanking> ranking : f.rankings.readKeyValuesToList()) {
            last.put(ranking.key, ranking.value.getOwners().stream().collect(Collectors.toMap(RankedOwner::getOwnerId, o -> o)));
        }
        return last;
    }

    private static List<float[]> gradients(Random random, int n) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(SelectionRecords.gaussian(random, DIM));
        }
        return out;
    }

    /** {@code copies} samples per gradient, ids prefix + index (+ "~copy" + c for the copies), in arrival order. */
    private static SampleVector[] samples(String prefix, List<float[]> gradients, int copies) {
        List<SampleVector> out = new ArrayList<>();
        for (int c = 0; c < copies; c++) {
            for (int i = 0; i < gradients.size(); i++) {
                out.add(sample(prefix + String.format("%02d", i) + (c == 0 ? "" : "~copy" + c), LABEL, gradients.get(i).clone(), null));
            }
        }
        return out.toArray(SampleVector[]::new);
    }
}
