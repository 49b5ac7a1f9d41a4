package io.mycroft.topology;

import io.mycroft.processors.math.FuncFeat;
import io.mycroft.processors.math.InvalidVectorException;
import io.mycroft.processors.math.OmpOptions;
import io.mycroft.processors.math.SampleEmbedding;
import io.mycroft.processors.math.Vectors;
import mycroft.schemas.ClassTarget;
import mycroft.schemas.FloatVector;
import mycroft.schemas.HardSampleVector;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * What selection needs of one request, decoded once from its {@link HardSetVectors}: per class c the target y_c, the
 * budget k·|D_hard_c|, the OMP options, the hard embeddings and (FuncFeat) their geometric median. With
 * {@code perClass=false} the classes fold into one whole-set class {@value #WHOLE_SET}: y = Σ_c y_c, all hard samples.
 */
record RequestPlan(String requestId, int modelVersion, SelectionMethod method, int k, int gradientDim, int embeddingDim,
                   boolean perClass, boolean normalize, List<ClassPlan> classes, long computedAt) {
    static final int WHOLE_SET = -1;

    record ClassPlan(int label, double[] target, OmpOptions options, List<SampleEmbedding> hard, FuncFeat funcFeat) {
    }

    boolean usesGradients() {
        return method != SelectionMethod.FEATURE;
    }

    boolean usesEmbeddings() {
        return method != SelectionMethod.GRADIENT;
    }

    /** The plan a sample of class {@code label} belongs to, or null when the request does not ask for that class. */
    ClassPlan classOf(int label) {
        for (ClassPlan c : classes) {
            if (c.label == label || c.label == WHOLE_SET) {
                return c;
            }
        }
        return null;
    }

    /** Decodes and checks a hard set; an unusable one throws {@link InvalidVectorException} naming what is wrong. */
    static RequestPlan of(HardSetVectors hardSet) {
        SelectionOptions o = hardSet.getOptions();
        SelectionMethod method = hardSet.getMethod();
        int k = hardSet.getPerHardSample();
        if (k < 1) {
            throw new InvalidVectorException("hard set of " + hardSet.getRequestId() + " has perHardSample " + k + "; needs ≥ 1");
        }
        if (hardSet.getClasses().isEmpty()) {
            throw new InvalidVectorException("hard set of " + hardSet.getRequestId() + " has no classes");
        }
        List<ClassPlan> classes = new ArrayList<>();
        double[] wholeTarget = new double[hardSet.getGradientDim()];
        List<SampleEmbedding> wholeHard = new ArrayList<>();
        for (ClassTarget c : hardSet.getClasses()) {
            String what = "request " + hardSet.getRequestId() + " class " + c.getLabel();
            double[] y = method == SelectionMethod.FEATURE ? new double[0]
                    : toDouble(vector(c.getTargetGradient(), hardSet.getGradientDim(), "target gradient of " + what));
            List<SampleEmbedding> hard = new ArrayList<>();
            for (HardSampleVector h : c.getHardSamples()) {
                hard.add(new SampleEmbedding(h.getSampleId(),
                        vector(h.getEmbedding(), hardSet.getEmbeddingDim(), "embedding of hard sample " + h.getSampleId())));
            }
            if (hard.isEmpty()) {
                throw new InvalidVectorException(what + " has no hard samples");
            }
            classes.add(classPlan(c.getLabel(), y, k, hard, o, method));
            if (method != SelectionMethod.FEATURE) {
                for (int i = 0; i < y.length; i++) {
                    wholeTarget[i] += y[i];
                }
            }
            wholeHard.addAll(hard);
        }
        if (!o.getPerClass()) {
            classes = List.of(classPlan(WHOLE_SET, method == SelectionMethod.FEATURE ? new double[0] : wholeTarget,
                    k, wholeHard, o, method));
        }
        return new RequestPlan(hardSet.getRequestId(), hardSet.getModelVersion(), method, k, hardSet.getGradientDim(), hardSet.getEmbeddingDim(),
                o.getPerClass(), o.getNormalize(), List.copyOf(classes), hardSet.getComputedAt().toEpochMilli());
    }

    private static ClassPlan classPlan(int label, double[] y, int k, List<SampleEmbedding> hard, SelectionOptions o,
                                       SelectionMethod method) {
        OmpOptions options = OmpOptions.gradMatch(k * hard.size()).withLambda(o.getRidgeLambda())
                .withNonNegative(o.getNonNegative()).withNormalize(o.getNormalize()).withPaperSteps(!o.getFillToBudget())
                .withEpsilon(o.getEpsilon() == null ? 0 : o.getEpsilon());
        FuncFeat funcFeat = null;
        if (method == SelectionMethod.FUNCFEAT) {
            options = options.withFuncFeat(o.getFuncFeatLambda());
            funcFeat = FuncFeat.fit(hard);
        }
        return new ClassPlan(label, y, options, List.copyOf(hard), funcFeat);
    }

    static float[] vector(FloatVector v, int expectedDim, String what) {
        if (v == null) {
            throw new InvalidVectorException(what + " is missing");
        }
        if (v.getDim() != expectedDim) {
            throw new InvalidVectorException(what + " has dim " + v.getDim() + ", the request expects " + expectedDim);
        }
        float[] values = Vectors.fromBytes(v.getValues(), v.getDim());
        Vectors.requireValid(values, expectedDim, what);
        return values;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
