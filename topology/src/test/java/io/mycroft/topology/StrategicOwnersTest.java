package io.mycroft.topology;

import io.mycroft.processors.SelectionRecords;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.RankedOwner;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SelectionMethod;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static io.mycroft.processors.SelectionRecords.batch;
import static io.mycroft.processors.SelectionRecords.hardSet;
import static io.mycroft.processors.SelectionRecords.sample;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Owners who game the ranking (issue 13), through the whole topology: an owner holding every sample three times, and an
 * owner split over three ids (Sybils), against the same owners behaving honestly on the same gradients.
 */
class StrategicOwnersTest {
    private static final int LABEL = 3;
    private static final int DIM = 8;
    /** One hard sample, k = 3: the owner's budget is B = 3. */
    private static final int K = 3;
    private static final int INSTANCES = 20;

    /** Exact copies (same gradient bytes, other sample ids) are one candidate: the same subset and score, to the bit. */
    @Test
    void anOwnerHoldingEverySampleThreeTimesGainsNothing() {
        for (int instance = 0; instance < INSTANCES; instance++) {
            Random random = new Random(instance);
            float[] y = SelectionRecords.gaussian(random, DIM);
            List<float[]> gradients = gradients(random, 9);
            Map<String, RankedOwner> ranking = rank(y, f -> {
                f.send(batch("r1", "honest", samples("s", gradients, 1)));
                f.send(batch("r1", "tripled", samples("s", gradients, 3)));
            });
            RankedOwner honest = ranking.get("honest");
            RankedOwner tripled = ranking.get("tripled");
            assertThat(tripled.getScore()).as("instance %d", instance).isEqualTo(honest.getScore());
            assertThat(tripled.getSubsetSize()).isEqualTo(honest.getSubsetSize());
            assertThat(tripled.getSamplesSeen()).isEqualTo(3 * honest.getSamplesSeen());
            // A tie: the smaller ownerId ranks first, so tripling its data did not move the owner up.
            assertThat(honest.getRank()).isLessThan(tripled.getRank());
        }
    }

    /**
     * The same gradients as one owner, then split over three ids: no part scores above the whole, so no part takes a
     * better place than the whole had against the same competitor (the split owner holds up to three places, none
     * higher). A part none of whose samples gets a non-negative weight never enters the ranking.
     */
    @Test
    void anOwnerSplitIntoThreeIdsDoesNotGainRank() {
        for (int instance = 0; instance < INSTANCES; instance++) {
            Random random = new Random(1000 + instance);
            float[] y = SelectionRecords.gaussian(random, DIM);
            List<float[]> whole = gradients(random, 12);
            List<float[]> competitor = gradients(random, 6);
            Map<String, RankedOwner> honest = rank(y, f -> {
                f.send(batch("r1", "sybil", samples("s", whole, 1)));
                f.send(batch("r1", "other", samples("o", competitor, 1)));
            });
            Map<String, RankedOwner> split = rank(y, f -> {
                for (int part = 0; part < 3; part++) {
                    f.send(batch("r1", "sybil-" + (part + 1), samples("s" + part + "-", whole.subList(4 * part, 4 * part + 4), 1)));
                }
                f.send(batch("r1", "other", samples("o", competitor, 1)));
            });
            assertThat(split.get("other").getScore()).isEqualTo(honest.get("other").getScore());
            for (int part = 1; part <= 3; part++) {
                RankedOwner p = split.get("sybil-" + part);
                if (p == null) {
                    continue; // nothing of the part explains the target (no non-negative weight): it holds no place
                }
                assertThat(p.getScore()).as("instance %d, part %d", instance, part).isLessThanOrEqualTo(honest.get("sybil").getScore());
                // Places among the owners other than the split one's other parts: the part against the competitor alone.
                boolean partAboveOther = p.getRank() < split.get("other").getRank();
                boolean wholeAboveOther = honest.get("sybil").getRank() < honest.get("other").getRank();
                assertThat(!partAboveOther || wholeAboveOther).as("instance %d, part %d above the competitor the whole was below",
                        instance, part).isTrue();
            }
        }
    }

    /** The final ranking of request r1 after {@code feed}, by owner. */
    private static Map<String, RankedOwner> rank(float[] y, Consumer<TopologyFixture> feed) {
        try (TopologyFixture f = new TopologyFixture()) {
            f.hardsets.pipeInput("r1", hardSet("r1", SelectionMethod.GRADIENT, K, new int[]{LABEL}, new float[][]{y},
                    new float[][][]{{{1f, 0f}}}));
            feed.accept(f);
            List<OwnerRanking> rankings = f.rankings.readValuesToList();
            assertThat(f.deadLetters.isEmpty()).isTrue();
            return rankings.get(rankings.size() - 1).getOwners().stream()
                    .collect(Collectors.toMap(RankedOwner::getOwnerId, o -> o));
        }
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
