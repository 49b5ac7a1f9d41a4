package io.mycroft.processors.math;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OrthogonalMatchingPursuitTest {
    private static final double[] Y = {1, 0.2, 0};

    @Test
    void equalScoresGoToTheSmallestSampleIdInStringOrder() {
        // same direction, different bytes: identical unit atoms, so an exact tie
        List<Candidate> cs = List.of(new Candidate("a9", new float[]{1, 0, 0}), new Candidate("a10", new float[]{2, 0, 0}));
        OmpPath path = OrthogonalMatchingPursuit.solve(Y, cs, OmpOptions.gradMatch(1));
        assertThat(path.steps().get(0).winner()).isEqualTo("a10");
    }

    @Test
    void duplicateFeatureBytesAreOneCandidateNamedByTheSmallestId() {
        float[] f = {1, 0, 0};
        List<Candidate> cs = List.of(new Candidate("b", f.clone()), new Candidate("a", f.clone()),
                new Candidate("c", new float[]{0, 1, 0}));
        OmpPath path = OrthogonalMatchingPursuit.solve(Y, cs, OmpOptions.gradMatch(3).withNonNegative(false));
        assertThat(path.steps()).extracting(OmpStep::winner).containsExactly("a", "c");
        assertThat(path.exhausted()).isTrue();
        assertThat(path.samplesSeen()).isEqualTo(3);
    }

    /**
     * A norm game (issue 13): an owner that multiplies its gradients by 1,000 gains nothing, because the product's
     * default (GradMatch) normalises every column to unit L2 norm before scoring — the same samples win, in the same
     * order, and the residual (hence the owner's score) is the same up to float rounding of the scaled copies.
     */
    @Test
    void scaledUpGradientsGainNothing() {
        java.util.Random random = new java.util.Random(3);
        double[] y = new double[40];
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextGaussian();
        }
        List<Candidate> honest = new java.util.ArrayList<>();
        List<Candidate> scaled = new java.util.ArrayList<>();
        for (int c = 0; c < 200; c++) {
            float[] g = new float[y.length];
            float[] big = new float[y.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) random.nextGaussian();
                big[i] = g[i] * 1_000f;
            }
            honest.add(new Candidate("s" + c, g));
            scaled.add(new Candidate("s" + c, big));
        }
        OmpPath fair = OrthogonalMatchingPursuit.solve(y, honest, OmpOptions.gradMatch(10));
        OmpPath gamed = OrthogonalMatchingPursuit.solve(y, scaled, OmpOptions.gradMatch(10));
        assertThat(gamed.steps()).extracting(OmpStep::winner).isEqualTo(fair.steps().stream().map(OmpStep::winner).toList());
        assertThat(gamed.residualNorm()).isCloseTo(fair.residualNorm(), within(1e-6 * fair.targetNorm()));
    }

    @Test
    void signedScoresPreferPositiveCorrelationAbsoluteScoresDoNot() {
        List<Candidate> cs = List.of(new Candidate("neg", new float[]{-1, 0, 0}), new Candidate("pos", new float[]{0, 1, 0}));
        assertThat(OrthogonalMatchingPursuit.solve(Y, cs, OmpOptions.gradMatch(1)).subset().sampleIds())
                .containsExactly("pos");
        assertThat(OrthogonalMatchingPursuit.solve(Y, cs, OmpOptions.leastSquares(1)).subset().sampleIds())
                .containsExactly("neg");
    }

    @Test
    void pathInvariantsHoldOnRandomInstances() {
        int drops = 0;
        for (long seed = 0; seed < 1_000; seed++) {
            OmpInstances.Instance in = OmpInstances.random(seed);
            OmpOptions o = in.options();
            OmpPath path = OrthogonalMatchingPursuit.solve(in.y(), in.candidates(), o);
            List<String> winners = path.steps().stream().map(OmpStep::winner).toList();
            assertThat(new HashSet<>(winners)).as("an atom is chosen at most once").hasSize(winners.size());
            UsefulSubset subset = path.subset();
            if (o.nonNegative()) {
                assertThat(java.util.Arrays.stream(subset.weights()).allMatch(w -> w >= 0)).isTrue();
            }
            boolean stoppedByBudget = o.paperSteps() ? path.steps().size() == o.budget()
                    : subset.sampleIds().size() == o.budget();
            boolean stoppedByEpsilon = o.epsilon() > 0 && path.residualNorm() <= o.epsilon() * path.targetNorm();
            assertThat(stoppedByBudget || stoppedByEpsilon || path.exhausted()).as("seed %d", seed).isTrue();
            assertThat(path.residualNorm()).isCloseTo(residual(in, subset), within(1e-9 * (1 + path.targetNorm())));
            drops += path.steps().stream().mapToInt(s -> s.dropped().size()).sum();
        }
        assertThat(drops).as("non-negative drops are exercised").isPositive();
    }

    @Test
    void fillModeHoldsBAtomsWherePaperModeStopsAfterBSteps() {
        int differ = 0;
        for (long seed = 0; seed < 1_000; seed++) {
            OmpInstances.Instance in = OmpInstances.random(seed);
            OmpOptions fill = in.options().withPaperSteps(false).withNonNegative(true).withEpsilon(0);
            OmpPath f = OrthogonalMatchingPursuit.solve(in.y(), in.candidates(), fill);
            OmpPath p = OrthogonalMatchingPursuit.solve(in.y(), in.candidates(), fill.withPaperSteps(true));
            assertThat(f.exhausted() || f.subset().sampleIds().size() == fill.budget()).isTrue();
            assertThat(p.exhausted() || p.steps().size() == fill.budget()).isTrue();
            differ += f.subset().sampleIds().size() > p.subset().sampleIds().size() ? 1 : 0;
        }
        assertThat(differ).as("paper mode returns fewer than B after drops, fill mode does not").isPositive();
    }

    @Test
    void epsilonStopsOnceTheTargetIsExplained() {
        List<Candidate> cs = List.of(new Candidate("a", new float[]{1, 0.2f, 0}), new Candidate("b", new float[]{0, 0, 1}));
        OmpOptions o = OmpOptions.leastSquares(2).withEpsilon(1e-6);
        OmpPath path = OrthogonalMatchingPursuit.solve(new double[]{1, 0.2f, 0}, cs, o);
        assertThat(path.steps()).hasSize(1);
        assertThat(OrthogonalMatchingPursuit.solve(new double[]{1, 0.2f, 0}, cs, o.withEpsilon(0)).steps()).hasSize(2);
    }

    @Test
    void linearlyDependentAtomsAreConsumedButNotAdded() {
        List<Candidate> cs = List.of(new Candidate("a", new float[]{1, 0, 0}), new Candidate("b", new float[]{0, 1, 0}),
                new Candidate("c", new float[]{1, 1, 0}));
        OmpPath path = OrthogonalMatchingPursuit.solve(new double[]{1, 1, 0}, cs, OmpOptions.leastSquares(3));
        assertThat(path.steps()).extracting(OmpStep::dependent).containsExactly(false, false, true);
        assertThat(path.subset().sampleIds()).hasSize(2);
    }

    @Test
    void funcFeatPenaltyShrinksFarAwayCandidates() {
        List<Candidate> near = List.of(new Candidate("a", new float[]{1, 0, 0}, 0));
        List<Candidate> far = List.of(new Candidate("a", new float[]{1, 0, 0}, 3));
        OmpOptions o = OmpOptions.gradMatch(1).withFuncFeat();
        // w = ⟨a, y⟩ / (1 + λ + λ₂·d²)
        assertThat(OrthogonalMatchingPursuit.solve(Y, near, o).subset().weights()[0]).isCloseTo(1 / 1.5, within(1e-15));
        assertThat(OrthogonalMatchingPursuit.solve(Y, far, o).subset().weights()[0]).isCloseTo(1 / (1.5 + 18), within(1e-15));
    }

    @Test
    void floatTargetEqualsItsDoubleWidening() {
        OmpInstances.Instance in = OmpInstances.random(7);
        float[] yf = new float[in.y().length];
        for (int i = 0; i < yf.length; i++) {
            yf[i] = (float) in.y()[i];
        }
        assertThat(OrthogonalMatchingPursuit.solve(yf, in.candidates(), in.options())
                .samePath(OrthogonalMatchingPursuit.solve(Vectors.toDouble(yf), in.candidates(),
                        in.options()))).isTrue();
    }

    @Test
    void badVectorsAreRejectedWithTheReason() {
        OmpOptions o = OmpOptions.gradMatch(2);
        assertThatThrownBy(() -> OrthogonalMatchingPursuit.solve(Y, List.of(new Candidate("x", new float[]{1, 2})), o))
                .isInstanceOf(InvalidVectorException.class).hasMessageContaining("candidate x has dim 2, expected 3");
        assertThatThrownBy(() -> OrthogonalMatchingPursuit.solve(Y,
                List.of(new Candidate("x", new float[]{1, Float.NaN, 0})), o))
                .isInstanceOf(InvalidVectorException.class).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> OrthogonalMatchingPursuit.solve(Y,
                List.of(new Candidate("x", new float[]{Float.POSITIVE_INFINITY, 0, 0})), o))
                .isInstanceOf(InvalidVectorException.class).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> OrthogonalMatchingPursuit.solve(Y, List.of(new Candidate("x", new float[3])), o))
                .isInstanceOf(InvalidVectorException.class).hasMessageContaining("zero norm");
        assertThat(OrthogonalMatchingPursuit.solve(Y, List.of(new Candidate("x", new float[3])),
                o.withNormalize(false)).steps()).hasSize(1);
        assertThatThrownBy(() -> OrthogonalMatchingPursuit.solve(new double[]{1, Double.NaN, 0}, List.of(), o))
                .isInstanceOf(InvalidVectorException.class).hasMessageContaining("target y");
        assertThatThrownBy(() -> OrthogonalMatchingPursuit.solve(Y, List.of(new Candidate("x", new float[]{1, 0, 0}),
                new Candidate("x", new float[]{0, 1, 0})), o))
                .isInstanceOf(InvalidVectorException.class).hasMessageContaining("twice with different features");
        assertThatThrownBy(() -> new OmpOptions(0, 0.5, true, true, false, 0, OmpOptions.Correlation.SIGNED, 0))
                .hasMessageContaining("budget");
    }

    private static double residual(OmpInstances.Instance in, UsefulSubset subset) {
        double[] r = in.y().clone();
        for (int i = 0; i < subset.sampleIds().size(); i++) {
            String id = subset.sampleIds().get(i);
            Candidate c = in.candidates().stream().filter(x -> x.sampleId().equals(id)).findFirst().orElseThrow();
            Vectors.axpy(-subset.weights()[i], OmpScoring.atom(c, in.options()), r);
        }
        return Vectors.norm(r);
    }
}
