package io.mycroft.processors;

import io.mycroft.processors.math.Candidate;
import io.mycroft.processors.math.FuncFeat;
import io.mycroft.processors.math.InvalidVectorException;
import io.mycroft.processors.math.OmpOptions;
import io.mycroft.processors.math.SampleEmbedding;
import io.mycroft.schemas.FloatVectors;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mycroft.processors.SelectionRecords.hardSet;
import static io.mycroft.processors.SelectionRecords.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestPlanTest {
    private static final int[] TWO_CLASSES = {4, 7};
    private static final float[][] TARGETS = {{1f, 2f, 0f}, {0f, 0.5f, 3f}};
    /** Two hard samples of class 4, one of class 7, in a 2-d embedding space. */
    private static final float[][][] HARD = {{{1f, 0f}, {0f, 1f}}, {{1f, 1f}}};

    /** Budget per class = k·|D_hard_c| when B = k·|D_hard| (DESIGN §3), the target y_c as sent, the paper's default options. */
    @Test
    void aPerClassPlanHasEachClassesTargetBudgetAndHardSamples() {
        RequestPlan plan = RequestPlan.of(hardSet("r1", SelectionMethod.GRADIENT, 3, TWO_CLASSES, TARGETS, HARD));

        assertThat(plan.requestId()).isEqualTo("r1");
        assertThat(plan.modelVersion()).isEqualTo(1);
        assertThat(plan.k()).isEqualTo(3);
        assertThat(plan.gradientDim()).isEqualTo(3);
        assertThat(plan.embeddingDim()).isEqualTo(2);
        assertThat(plan.perClass()).isTrue();
        assertThat(plan.computedAt()).isEqualTo(SelectionRecords.T0.toEpochMilli());
        assertThat(plan.usesGradients()).isTrue();
        assertThat(plan.usesEmbeddings()).isFalse();
        assertThat(plan.classes()).extracting(RequestPlan.ClassPlan::label).containsExactly(4, 7);
        RequestPlan.ClassPlan c4 = plan.classes().get(0);
        RequestPlan.ClassPlan c7 = plan.classes().get(1);
        assertThat(c4.target()).containsExactly(1.0, 2.0, 0.0);
        assertThat(c7.target()).containsExactly(0.0, 0.5, 3.0);
        assertThat(c4.options()).isEqualTo(OmpOptions.gradMatch(6));
        assertThat(c7.options()).isEqualTo(OmpOptions.gradMatch(3));
        assertThat(c4.hard()).extracting(SampleEmbedding::sampleId).containsExactly("h4-0", "h4-1");
        assertThat(c4.funcFeat()).isNull();
        assertThat(plan.classOf(7)).isSameAs(c7);
        assertThat(plan.classOf(5)).isNull();
    }

    /**
     * Label consistency over k = 1 hard neighbour (h4-0 = e₁, h4-1 = e₂ of class 4, h7-0 = (1, 1) of class 7): a class-7
     * sample along e₁ that the model calls 4 is excluded; the same sample kept when the model agrees with its label or
     * sent no prediction. A GRADIENT offer still carries no embedding; one the rule must check needs it.
     */
    @Test
    void labelConsistencyExcludesASampleTheModelAndItsNearestHardSampleContradict() {
        HardSetVectors plain = hardSet("r1", SelectionMethod.GRADIENT, 3, TWO_CLASSES, TARGETS, HARD);
        RequestPlan plan = RequestPlan.of(HardSetVectors.newBuilder(plain)
                .setOptions(SelectionOptions.newBuilder().setLabelConsistencyNeighbours(1).build()).build());
        float[] g = {1f, 0f, 0f};
        float[] alongE1 = {2f, 0.1f};
        assertThat(plan.offer(predicted(sample("s", 7, g, alongE1), 4))).isNull();
        assertThat(plan.offer(predicted(sample("s", 7, g, alongE1), 7)).embedding()).isNull();
        assertThat(plan.offer(predicted(sample("s", 7, g, alongE1), null)).candidate()).isNotNull();
        assertThat(plan.offer(predicted(sample("s", 4, g, alongE1), 7))).as("its nearest hard sample agrees").isNotNull();
        assertThat(RequestPlan.of(plain).offer(predicted(sample("s", 7, g, alongE1), 4))).as("option off").isNotNull();
        assertThatThrownBy(() -> plan.offer(predicted(sample("s", 7, g, null), 4)))
                .isInstanceOf(InvalidVectorException.class).hasMessageContaining("embedding of sample s is missing");
        assertThatThrownBy(() -> RequestPlan.of(HardSetVectors.newBuilder(plain)
                .setOptions(SelectionOptions.newBuilder().setLabelConsistencyNeighbours(0).build()).build()))
                .isInstanceOf(InvalidVectorException.class).hasMessageContaining("labelConsistencyNeighbours 0");
    }

    private static mycroft.schemas.SampleVector predicted(mycroft.schemas.SampleVector sample, Integer predicted) {
        sample.setPredictedLabel(predicted);
        return sample;
    }

    /** Every option of the request reaches OMP: λ, non-negativity, normalisation, exactly B steps, ε-stop, FuncFeat's λ₂. */
    @Test
    void theRequestsOptionsBecomeTheOmpOptions() {
        SelectionOptions options = SelectionOptions.newBuilder().setRidgeLambda(0.1).setNonNegative(false).setNormalize(false)
                .setFillToBudget(false).setEpsilon(0.25).setFuncFeatLambda(3.0).build();
        HardSetVectors h = HardSetVectors.newBuilder(hardSet("r1", SelectionMethod.FUNCFEAT, 2, TWO_CLASSES, TARGETS, HARD))
                .setOptions(options).build();

        RequestPlan plan = RequestPlan.of(h);

        assertThat(plan.normalize()).isFalse();
        assertThat(plan.usesGradients()).isTrue();
        assertThat(plan.usesEmbeddings()).isTrue();
        RequestPlan.ClassPlan c4 = plan.classes().get(0);
        assertThat(c4.options()).isEqualTo(OmpOptions.gradMatch(4).withLambda(0.1).withNonNegative(false).withNormalize(false)
                .withPaperSteps(true).withEpsilon(0.25).withFuncFeat(3.0));
        assertThat(c4.funcFeat()).isNotNull();
        // A FuncFeat candidate carries its distance to the class's geometric median as its ridge penalty.
        RequestPlan.Offer offer = plan.offer(sample("s", 4, new float[]{1f, 0f, 0f}, new float[]{3f, 4f}));
        assertThat(offer.candidate().penalty())
                .isEqualTo(FuncFeat.fit(c4.hard()).distance(new SampleEmbedding("s", new float[]{3f, 4f})));
        assertThat(offer.embedding().vector()).containsExactly(3f, 4f);
    }

    /** perClass = false: one whole-set class, y = Σ_c y_c, every hard sample, budget k·|D_hard|; it takes every label. */
    @Test
    void aWholeSetPlanFoldsTheClassesIntoOne() {
        HardSetVectors h = HardSetVectors.newBuilder(hardSet("r1", SelectionMethod.GRADIENT, 2, TWO_CLASSES, TARGETS, HARD))
                .setOptions(SelectionOptions.newBuilder().setPerClass(false).build()).build();

        RequestPlan plan = RequestPlan.of(h);

        assertThat(plan.classes()).singleElement().satisfies(c -> {
            assertThat(c.label()).isEqualTo(RequestPlan.WHOLE_SET);
            assertThat(c.target()).containsExactly(1.0, 2.5, 3.0);
            assertThat(c.options().budget()).isEqualTo(6);
            assertThat(c.hard()).extracting(SampleEmbedding::sampleId).containsExactly("h4-0", "h4-1", "h7-0");
        });
        assertThat(plan.classOf(9)).isSameAs(plan.classes().get(0));
    }

    @Test
    void aFeatureRequestNeedsNoGradients() {
        RequestPlan plan = RequestPlan.of(hardSet("r1", SelectionMethod.FEATURE, 1, TWO_CLASSES, TARGETS, HARD));

        assertThat(plan.usesGradients()).isFalse();
        assertThat(plan.classes().get(0).target()).isEmpty();
        RequestPlan.Offer offer = plan.offer(sample("s", 7, null, new float[]{0f, 2f}));
        assertThat(offer.candidate()).isNull();
        assertThat(offer.plan().label()).isEqualTo(7);
        assertThat(offer.embedding().sampleId()).isEqualTo("s");
    }

    /**
     * B = 5 over 2 + 1 hard samples: quotas 10/3 and 5/3, floors 3 + 1, the one left to the larger remainder (class 7's
     * 2/3). Without the per-class split the whole set gets B. Vectors without a budget stand for B = k·|D_hard|.
     */
    @Test
    void theRequestsBudgetIsSplitOverTheClassesInProportionToTheirHardSamples() {
        HardSetVectors h = HardSetVectors.newBuilder(hardSet("r1", SelectionMethod.FEATURE, 3, TWO_CLASSES, TARGETS, HARD))
                .setBudget(5).build();
        RequestPlan plan = RequestPlan.of(h);
        assertThat(plan.budget()).isEqualTo(5);
        assertThat(plan.classes()).extracting(RequestPlan.ClassPlan::budget).containsExactly(3, 2);
        assertThat(plan.classes()).extracting(c -> c.options().budget()).containsExactly(3, 2);

        h.setOptions(SelectionOptions.newBuilder().setPerClass(false).build());
        assertThat(RequestPlan.of(h).classes()).extracting(RequestPlan.ClassPlan::budget).containsExactly(5);

        RequestPlan byK = RequestPlan.of(hardSet("r1", SelectionMethod.FEATURE, 3, TWO_CLASSES, TARGETS, HARD));
        assertThat(byK.budget()).isEqualTo(9);
        assertThat(byK.classes()).extracting(RequestPlan.ClassPlan::budget).containsExactly(6, 3);
    }

    /** Found by the fuzz suite: a flipped gradientDim of −4 threw NegativeArraySizeException, which stopped the app. */
    @Test
    void aCorruptGradientDimIsRefusedNotAllocated() {
        HardSetVectors good = hardSet("r1", SelectionMethod.GRADIENT, 2, TWO_CLASSES, TARGETS, HARD);
        for (int dim : new int[]{-4, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> RequestPlan.of(HardSetVectors.newBuilder(good).setGradientDim(dim).build()))
                    .isInstanceOf(InvalidVectorException.class).hasMessageContaining("the request expects " + dim);
        }
    }

    /** Found by the fuzz soak: a flipped ridge λ of −0.5 made OmpOptions throw a bare IllegalArgumentException. */
    @Test
    void selectionOptionsNoRequestMayAskForAreRefused() {
        HardSetVectors good = hardSet("r1", SelectionMethod.GRADIENT, 2, TWO_CLASSES, TARGETS, HARD);
        HardSetVectors negativeLambda = HardSetVectors.newBuilder(good)
                .setOptions(SelectionOptions.newBuilder(good.getOptions()).setRidgeLambda(-0.5).build()).build();
        assertThatThrownBy(() -> RequestPlan.of(negativeLambda)).isInstanceOf(InvalidVectorException.class)
                .hasMessageContaining("selection options of class").hasMessageContaining("lambda must be finite and >= 0, was -0.5");
    }

    @Test
    void aBudgetThatCannotServeEveryRequestedClassIsRefused() {
        HardSetVectors good = hardSet("r1", SelectionMethod.GRADIENT, 2, TWO_CLASSES, TARGETS, HARD);
        assertThatThrownBy(() -> RequestPlan.of(HardSetVectors.newBuilder(good).setBudget(0).build()))
                .isInstanceOf(InvalidVectorException.class).hasMessage("hard set of r1 has budget 0; needs ≥ 1");
        assertThatThrownBy(() -> RequestPlan.of(HardSetVectors.newBuilder(good).setBudget(1).build()))
                .isInstanceOf(InvalidVectorException.class).hasMessage("hard set of r1 has budget 1, which leaves class 7"
                        + " (1 of 3 hard samples) no sample in the split in proportion to |D_hard_c|; a budget ≥ 3 gives every"
                        + " class at least one");
        assertThat(RequestPlan.of(HardSetVectors.newBuilder(good).setBudget(2).build()).classes())
                .extracting(RequestPlan.ClassPlan::budget).containsExactly(1, 1);
        HardSetVectors whole = HardSetVectors.newBuilder(good).setBudget(1)
                .setOptions(SelectionOptions.newBuilder().setPerClass(false).build()).build();
        assertThat(RequestPlan.of(whole).classes()).extracting(RequestPlan.ClassPlan::budget).containsExactly(1);
    }

    @Test
    void anUnusableHardSetIsRefusedWithWhatIsWrong() {
        HardSetVectors good = hardSet("r1", SelectionMethod.GRADIENT, 2, TWO_CLASSES, TARGETS, HARD);
        assertThatThrownBy(() -> RequestPlan.of(HardSetVectors.newBuilder(good).setPerHardSample(0).build()))
                .isInstanceOf(InvalidVectorException.class).hasMessage("hard set of r1 has perHardSample 0; needs ≥ 1");
        assertThatThrownBy(() -> RequestPlan.of(HardSetVectors.newBuilder(good).setClasses(List.of()).build()))
                .isInstanceOf(InvalidVectorException.class).hasMessage("hard set of r1 has no classes");
        HardSetVectors noHard = hardSet("r1", SelectionMethod.GRADIENT, 2, TWO_CLASSES, TARGETS, HARD);
        noHard.getClasses().get(0).setHardSamples(List.of());
        assertThatThrownBy(() -> RequestPlan.of(noHard))
                .isInstanceOf(InvalidVectorException.class).hasMessage("request r1 class 4 has no hard samples");
        assertThatThrownBy(() -> RequestPlan.of(HardSetVectors.newBuilder(good).setGradientDim(4).build()))
                .isInstanceOf(InvalidVectorException.class)
                .hasMessage("target gradient of request r1 class 4 has dim 3, the request expects 4");
        HardSetVectors nan = hardSet("r1", SelectionMethod.GRADIENT, 2, TWO_CLASSES, TARGETS, HARD);
        nan.getClasses().get(1).setTargetGradient(FloatVectors.of(new float[]{0f, Float.NaN, 0f}));
        assertThatThrownBy(() -> RequestPlan.of(nan)).isInstanceOf(InvalidVectorException.class)
                .hasMessageContaining("target gradient of request r1 class 7");
    }

    @Test
    void aSampleIsCheckedBeforeSelectionTakesIt() {
        RequestPlan plan = RequestPlan.of(hardSet("r1", SelectionMethod.GRADIENT, 2, TWO_CLASSES, TARGETS, HARD));

        assertThat(plan.offer(sample("other", 5, new float[]{1f, 0f, 0f}, null))).isNull();
        RequestPlan.Offer ok = plan.offer(sample("ok", 4, new float[]{1f, 0f, 2f}, null));
        assertThat(ok.plan().label()).isEqualTo(4);
        assertThat(ok.candidate().sampleId()).isEqualTo("ok");
        assertThat(ok.candidate().features()).containsExactly(1f, 0f, 2f);
        assertThat(ok.candidate().penalty()).isZero();
        assertThat(ok.embedding()).isNull();
        assertThatThrownBy(() -> plan.offer(sample("short", 4, new float[]{1f, 0f}, null)))
                .isInstanceOf(InvalidVectorException.class).hasMessage("gradient of sample short has dim 2, the request expects 3");
        assertThatThrownBy(() -> plan.offer(sample("none", 4, null, null)))
                .isInstanceOf(InvalidVectorException.class).hasMessage("gradient of sample none is missing");
        assertThatThrownBy(() -> plan.offer(sample("zero", 4, new float[3], null)))
                .isInstanceOf(InvalidVectorException.class)
                .hasMessage("gradient of sample zero has zero norm and cannot be normalised");
        assertThatThrownBy(() -> plan.offer(sample("nan", 4, new float[]{1f, Float.NaN, 0f}, null)))
                .isInstanceOf(InvalidVectorException.class)
                .hasMessage("gradient of sample nan has a non-finite entry NaN at index 1");
    }

    /** The offer checks the gradient once; OMP's check of the same candidate (same dim) does not scan it again. */
    @Test
    void anOfferedGradientIsCheckedOnce() {
        RequestPlan plan = RequestPlan.of(hardSet("r1", SelectionMethod.GRADIENT, 2, TWO_CLASSES, TARGETS, HARD));
        Candidate candidate = plan.offer(sample("ok", 4, new float[]{1f, 0f, 2f}, null)).candidate();

        candidate.features()[1] = Float.NaN; // seen only by a second scan
        candidate.requireValid(3, "candidate ok");
        assertThatThrownBy(() -> candidate.requireValid(2, "candidate ok"))
                .isInstanceOf(InvalidVectorException.class).hasMessage("candidate ok has dim 3, expected 2");
    }
}
