package io.mycroft.processors.math;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IncrementalOmpTest {
    private static final double[] Y = {1, 0.5, 0.25};

    @Test
    void anArrivalThatWinsNoStepIsStoredAndChangesNothing() {
        InMemoryCandidateStore store = new InMemoryCandidateStore();
        IncrementalOmp inc = IncrementalOmp.start(Y, OmpOptions.gradMatch(1), store);
        assertThat(inc.offer(List.of(new Candidate("a", new float[]{1, 0.5f, 0.25f}))).subsetChanged()).isTrue();
        IncrementalOmp.Offer offer = inc.offer(List.of(new Candidate("b", new float[]{0, 0, 1})));
        assertThat(offer.divergedAt()).isZero();
        assertThat(offer.subsetChanged()).isFalse();
        assertThat(offer.path().subset().sampleIds()).containsExactly("a");
        assertThat(offer.path().samplesSeen()).isEqualTo(2);
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void aBetterArrivalReRunsFromTheStepItWins() {
        IncrementalOmp inc = IncrementalOmp.start(Y, OmpOptions.gradMatch(2), new InMemoryCandidateStore());
        inc.offer(List.of(new Candidate("a", new float[]{1, 0, 0}), new Candidate("b", new float[]{0, 0, 1})));
        IncrementalOmp.Offer offer = inc.offer(List.of(new Candidate("c", new float[]{0, 1, 0})));
        assertThat(offer.divergedAt()).isEqualTo(2);
        assertThat(offer.path().subset().sampleIds()).containsExactly("a", "c");
    }

    @Test
    void aSmallerDuplicateRenamesTheChosenCandidate() {
        InMemoryCandidateStore store = new InMemoryCandidateStore();
        IncrementalOmp inc = IncrementalOmp.start(Y, OmpOptions.gradMatch(1), store);
        inc.offer(List.of(new Candidate("m", new float[]{1, 0, 0})));
        assertThat(inc.offer(List.of(new Candidate("z", new float[]{1, 0, 0}))).subsetChanged()).isFalse();
        IncrementalOmp.Offer offer = inc.offer(List.of(new Candidate("a", new float[]{1, 0, 0})));
        assertThat(offer.subsetChanged()).isTrue();
        assertThat(offer.path().subset().sampleIds()).containsExactly("a");
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void aBadBatchChangesNeitherPathNorStore() {
        InMemoryCandidateStore store = new InMemoryCandidateStore();
        IncrementalOmp inc = IncrementalOmp.start(Y, OmpOptions.gradMatch(2), store);
        inc.offer(List.of(new Candidate("a", new float[]{1, 0, 0})));
        OmpPath before = inc.path();
        List<List<Candidate>> bad = List.of(
                List.of(new Candidate("b", new float[]{0, 1, 0}), new Candidate("c", new float[]{0, 1})),
                List.of(new Candidate("b", new float[]{0, 1, 0}), new Candidate("c", new float[]{0, Float.NaN, 1})),
                List.of(new Candidate("b", new float[]{0, 1, 0}), new Candidate("c", new float[3])),
                List.of(new Candidate("b", new float[]{0, 1, 0}), new Candidate("a", new float[]{0, 0, 1})));
        for (List<Candidate> batch : bad) {
            assertThatThrownBy(() -> inc.offer(batch)).isInstanceOf(InvalidVectorException.class);
            assertThat(inc.path()).isSameAs(before);
            assertThat(store.size()).isEqualTo(1);
        }
    }

    @Test
    void aRedeliveredSampleIsANoOp() {
        IncrementalOmp inc = IncrementalOmp.start(Y, OmpOptions.gradMatch(2), new InMemoryCandidateStore());
        Candidate a = new Candidate("a", new float[]{1, 0, 0});
        inc.offer(List.of(a));
        IncrementalOmp.Offer again = inc.offer(List.of(new Candidate("a", a.features().clone())));
        assertThat(again.divergedAt()).isZero();
        assertThat(again.path().samePath(inc.path())).isTrue();
    }

    @Test
    void restoringFromAStoreThatLostACandidateFailsLoudly() {
        InMemoryCandidateStore store = new InMemoryCandidateStore();
        IncrementalOmp inc = IncrementalOmp.start(Y, OmpOptions.gradMatch(2), store);
        inc.offer(List.of(new Candidate("a", new float[]{0, 1, 0})));
        store.remove("a");
        IncrementalOmp restored = IncrementalOmp.restore(Y, OmpOptions.gradMatch(2), store, inc.path());
        assertThatThrownBy(() -> restored.offer(List.of(new Candidate("b", new float[]{0, 0, 1}))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("candidate a");
    }
}
