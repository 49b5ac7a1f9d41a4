package io.mycroft.processors.math;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core claim: incremental OMP equals batch OMP on the same candidate set, bit for bit, for any arrival order, with
 * restarts, exact duplicates and near-copies (which both leave out, {@link NearCopies}).
 */
class IncrementalOmpPropertyTest {
    private static final int INSTANCES = 1_500;

    @Test
    void incrementalEqualsBatchBitForBitForEveryArrivalOrder() {
        int checked = 0;
        int diverged = 0;
        int withNearCopies = 0;
        for (long seed = 0; seed < INSTANCES; seed++) {
            OmpInstances.Instance in = OmpInstances.random(seed);
            OmpPath batch = OrthogonalMatchingPursuit.solve(in.y(), in.candidates(), in.options());
            List<Candidate> unique = OrthogonalMatchingPursuit.unique(in.candidates(), in.y().length, in.options());
            withNearCopies += NearCopies.kept(unique).size() < unique.size() ? 1 : 0;
            for (List<Candidate> order : OmpInstances.orders(in, seed)) {
                Random rnd = new Random(seed * 31 + checked);
                InMemoryCandidateStore store = new InMemoryCandidateStore();
                IncrementalOmp inc = IncrementalOmp.start(in.y(), in.options(), store);
                for (int i = 0; i < order.size(); ) {
                    int size = 1 + rnd.nextInt(4);
                    List<Candidate> batchOfArrivals = new ArrayList<>(order.subList(i, Math.min(order.size(), i + size)));
                    if (rnd.nextInt(8) == 0) {
                        batchOfArrivals.add(batchOfArrivals.get(0)); // a redelivered record is a no-op
                    }
                    IncrementalOmp.Offer offer = inc.offer(batchOfArrivals);
                    diverged += offer.divergedAt() > 0 ? 1 : 0;
                    if (rnd.nextInt(5) == 0) {
                        // a restart: state through the codec, same store
                        OmpPath decoded = OmpStateCodec.decode(OmpStateCodec.encode(inc.path()));
                        inc = IncrementalOmp.restore(in.y(), in.options(), store, decoded);
                    } else if (rnd.nextInt(5) == 0) {
                        inc.dropWorkingMemory();
                    }
                    i += size;
                }
                assertThat(inc.path().samePath(batch))
                        .as("seed %d, options %s, order %s%nincremental %s%nbatch %s", seed, in.options(),
                                order.stream().map(Candidate::sampleId).toList(), inc.path(), batch)
                        .isTrue();
                checked++;
            }
        }
        assertThat(checked).isEqualTo(5 * INSTANCES);
        assertThat(diverged).as("the orders must actually exercise re-runs").isGreaterThan(INSTANCES);
        assertThat(withNearCopies).as("instances must hold near-copies that are left out").isGreaterThan(INSTANCES / 4);
    }

    /** Gradient-sized vectors (d = 1,290), so the batch run takes its parallel column path. */
    @Test
    void incrementalEqualsBatchAtGradientDimension() {
        for (long seed = 0; seed < 4; seed++) {
            Random rnd = new Random(seed);
            int d = 1_290;
            List<Candidate> cs = new ArrayList<>();
            for (int j = 0; j < 400; j++) {
                float[] v = new float[d];
                for (int i = 0; i < d; i++) {
                    v[i] = (float) rnd.nextGaussian();
                }
                cs.add(new Candidate("g" + j, v));
            }
            double[] y = new double[d];
            for (int j = 0; j < 5; j++) {
                Vectors.axpy(1, cs.get(rnd.nextInt(cs.size())).features(), y);
            }
            OmpOptions o = OmpOptions.gradMatch(12).withPaperSteps(seed % 2 == 0);
            OmpPath batch = OrthogonalMatchingPursuit.solve(y, cs, o);
            List<Candidate> order = new ArrayList<>(cs);
            java.util.Collections.shuffle(order, rnd);
            IncrementalOmp inc = IncrementalOmp.start(y, o, new InMemoryCandidateStore());
            for (int i = 0; i < order.size(); i += 25) {
                inc.offer(order.subList(i, Math.min(order.size(), i + 25)));
            }
            assertThat(inc.path().samePath(batch)).as("seed %d", seed).isTrue();
        }
    }

    @Test
    void subsetChangedIsReportedOnlyWhenTheSubsetChanges() {
        for (long seed = 0; seed < 300; seed++) {
            OmpInstances.Instance in = OmpInstances.random(seed);
            IncrementalOmp inc = IncrementalOmp.start(in.y(), in.options(), new InMemoryCandidateStore());
            for (Candidate c : in.candidates()) {
                UsefulSubset before = inc.path().subset();
                IncrementalOmp.Offer offer = inc.offer(List.of(c));
                assertThat(offer.subsetChanged()).isEqualTo(!before.equals(offer.path().subset()));
                if (offer.divergedAt() == 0) {
                    assertThat(offer.path().steps()).isEqualTo(
                            inc.path().steps());
                }
            }
        }
    }
}
