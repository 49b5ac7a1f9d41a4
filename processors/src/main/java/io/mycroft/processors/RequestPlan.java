package io.mycroft.processors;

import io.mycroft.processors.math.BudgetSplit;
import io.mycroft.processors.math.Candidate;
import io.mycroft.processors.math.ClassResidual;
import io.mycroft.processors.math.FuncFeat;
import io.mycroft.processors.math.InvalidVectorException;
import io.mycroft.processors.math.LabelConsistency;
import io.mycroft.processors.math.OmpOptions;
import io.mycroft.processors.math.OwnerScore;
import io.mycroft.processors.math.RetrieveCentroidTopK;
import io.mycroft.processors.math.RetrieveTopK;
import io.mycroft.processors.math.SampleEmbedding;
import io.mycroft.processors.math.UsefulSubset;
import io.mycroft.processors.math.UnitVectors;
import io.mycroft.processors.math.Vectors;
import mycroft.schemas.ClassSubset;
import mycroft.schemas.ClassTarget;
import mycroft.schemas.FloatVector;
import mycroft.schemas.HardSampleVector;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SelectedSample;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What selection needs of one request, decoded once from its {@link HardSetVectors}: the budget B (the request's, or
 * k·|D_hard| when the vectors carry none), per class c the target y_c, the budget B_c (B split in proportion to
 * |D_hard_c|, {@link BudgetSplit}), the OMP options, the hard embeddings and (FuncFeat) their geometric median. With
 * {@code perClass=false} the classes fold into one whole-set class {@value #WHOLE_SET}: y = Σ_c y_c, all hard samples,
 * budget B. With {@code labelConsistencyNeighbours} set, samples whose label {@link LabelConsistency} finds inconsistent
 * are not offered to selection at all. A differentially private hard set shares no hard embedding: FEATURE and FUNCFEAT
 * then rank owner samples against each class's noisy centroid ({@link RetrieveCentroidTopK}), FuncFeat's centre is that
 * centroid, and the class weights and budget split still use the public |D_hard_c|.
 */
record RequestPlan(String requestId, int modelVersion, SelectionMethod method, int k, int budget, int gradientDim,
                   int embeddingDim, boolean perClass, boolean normalize, List<ClassPlan> classes, long computedAt,
                   LabelConsistency labelConsistency, boolean privateTargets) {
    static final int WHOLE_SET = -1;

    /**
     * @param budget  B_c: every method selects at most this many samples of the class
     * @param hard    D_hard_c (its embeddings of dimension 0 when the request is private)
     * @param queries what RetrieveTopK ranks owner samples against: the hard embeddings, or for a private request the
     *                one noisy class centroid ({@link RetrieveCentroidTopK})
     * @param k       RetrieveTopK's k: the request's, or B_c for a private request
     */
    record ClassPlan(int label, double[] target, int budget, OmpOptions options, List<SampleEmbedding> hard,
                     List<SampleEmbedding> queries, int k, FuncFeat funcFeat) {
    }

    /** One owner sample as selection takes it: its class, its gradient candidate (GRADIENT, FUNCFEAT) and its embedding (FEATURE, FUNCFEAT). */
    record Offer(ClassPlan plan, Candidate candidate, SampleEmbedding embedding) {
    }

    /** One class's current selection: its OMP subset (null for FEATURE) and its RetrieveTopK selection (null for GRADIENT). */
    record ClassSelection(UsefulSubset omp, RetrieveTopK.Selection topK) {
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

    /**
     * Checks one sample and turns it into what selection takes; null when the request does not ask for its class, or
     * when label consistency excludes it (a function of the sample and the hard set only, so any arrival order agrees).
     *
     * @throws InvalidVectorException naming what is wrong (missing vector, wrong dim, NaN, zero norm); under label
     *                                consistency a sample whose predicted label differs from its label needs an embedding
     */
    Offer offer(SampleVector sample) {
        ClassPlan c = classOf(sample.getLabel());
        if (c == null) {
            return null;
        }
        boolean checksConsistency = labelConsistency != null && sample.getPredictedLabel() != null
                && sample.getPredictedLabel() != sample.getLabel();
        float[] embedding = null;
        double norm = Double.NaN;
        if (usesEmbeddings() || checksConsistency) {
            FloatVector v = sample.getEmbedding();
            if (v != null && v.getDim() == embeddingDim) {
                embedding = Vectors.fromBytes(v.getValues(), v.getDim());
                norm = UnitVectors.norm(embedding);
            }
            // Finite squares of float32 entries have a finite sum: only a missing, misshapen or non-finite vector, or a
            // zero one, fails here. The message is built only then (once per sample otherwise).
            if (!(norm > 0 && Double.isFinite(norm))) {
                String what = "embedding of sample " + sample.getSampleId();
                Vectors.requireValid(decoded(v, embeddingDim, what), embeddingDim, what);
                throw new InvalidVectorException(what + " has zero norm");
            }
        }
        SampleEmbedding sampleEmbedding = usesEmbeddings() ? new SampleEmbedding(sample.getSampleId(), embedding, norm) : null;
        Candidate candidate = null;
        if (usesGradients()) {
            String what = "gradient of sample " + sample.getSampleId();
            float[] gradient = decoded(sample.getGradient(), gradientDim, what);
            candidate = new Candidate(sample.getSampleId(), gradient, c.funcFeat() == null ? 0 : c.funcFeat().distance(sampleEmbedding));
            // Checked here, once: OMP's own check of the candidate finds it done.
            candidate.requireValid(gradientDim, what);
            if (normalize && candidate.norm() == 0) {
                throw new InvalidVectorException("gradient of sample " + sample.getSampleId() + " has zero norm and cannot be normalised");
            }
        }
        if (checksConsistency && labelConsistency.excludes(sample.getLabel(), sample.getPredictedLabel(), embedding)) {
            return null;
        }
        return new Offer(c, candidate, sampleEmbedding);
    }

    /**
     * An owner's subset update content from each class's selection: per class (plan order) the chosen samples — OMP's
     * atoms with their weights, or RetrieveTopK's neighbours with weight 1 — and the owner's {@link OwnerScore}.
     */
    OwnerSelection selection(String ownerId, Function<ClassPlan, ClassSelection> perClass) {
        List<ClassSubset> chosen = new ArrayList<>();
        List<ClassResidual> residuals = new ArrayList<>();
        List<RetrieveTopK.Selection> selections = new ArrayList<>();
        for (ClassPlan c : classes) {
            ClassSelection s = perClass.apply(c);
            List<SelectedSample> selected = new ArrayList<>();
            if (s.omp() != null) {
                double[] w = s.omp().weights();
                for (int i = 0; i < w.length; i++) {
                    selected.add(new SelectedSample(s.omp().sampleIds().get(i), w[i]));
                }
                residuals.add(new ClassResidual(s.omp().residualNorm(), s.omp().targetNorm()));
            } else {
                s.topK().sampleIds().forEach(id -> selected.add(new SelectedSample(id, 1.0)));
            }
            if (s.topK() != null) {
                // Weighted by |D_hard_c|: a private class is ranked against one query but stands for all its hard samples.
                selections.add(new RetrieveTopK.Selection(s.topK().sampleIds(), s.topK().effectiveK(), s.topK().coverage(),
                        c.hard().size()));
            }
            chosen.add(new ClassSubset(c.label(), selected, s.omp() == null ? 0.0 : s.omp().residualNorm(),
                    s.omp() == null ? 0.0 : s.omp().targetNorm(), s.topK() == null ? null : s.topK().coverage()));
        }
        OwnerScore score = switch (method) {
            case GRADIENT -> OwnerScore.gradient(ownerId, residuals);
            case FEATURE -> OwnerScore.feature(ownerId, RetrieveTopK.coverage(selections));
            case FUNCFEAT -> OwnerScore.funcFeat(ownerId, residuals, RetrieveTopK.coverage(selections));
        };
        return new OwnerSelection(List.copyOf(chosen), score.score());
    }

    /**
     * This plan for an owner whose cap allows at most {@code cap} samples (null for no cap): budget min(B, cap), split
     * over the classes in proportion to |D_hard_c| as B is ({@link BudgetSplit}); a class whose share is 0 is left out
     * (its samples are not offered), and a cap ≤ 0 leaves no class. Every method then selects at most min(B, cap).
     */
    RequestPlan capped(Integer cap) {
        if (cap == null || cap >= budget) {
            return this;
        }
        List<ClassPlan> cappedClasses = new ArrayList<>();
        if (cap > 0) {
            Map<Integer, Integer> hardPerClass = new TreeMap<>();
            classes.forEach(c -> hardPerClass.put(c.label(), c.hard().size()));
            Map<Integer, Integer> shares = BudgetSplit.split(cap, hardPerClass);
            for (ClassPlan c : classes) {
                int share = shares.get(c.label());
                if (share > 0) {
                    OmpOptions o = c.options();
                    cappedClasses.add(new ClassPlan(c.label(), c.target(), share, new OmpOptions(share, o.lambda(),
                            o.nonNegative(), o.normalize(), o.paperSteps(), o.epsilon(), o.correlation(), o.lambda2()),
                            c.hard(), c.queries(), privateTargets ? share : c.k(), c.funcFeat()));
                }
            }
        }
        return new RequestPlan(requestId, modelVersion, method, k, Math.max(cap, 0), gradientDim, embeddingDim, perClass,
                normalize, List.copyOf(cappedClasses), computedAt, labelConsistency, privateTargets);
    }

    /**
     * Decodes and checks a hard set; an unusable one throws {@link InvalidVectorException} naming what is wrong. B must
     * be ≥ 1 and, per class, give every requested class at least one sample (a class with B_c = 0 was asked for but
     * could get nothing, which is a mistake in the request, not a selection).
     */
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
        Map<Integer, Integer> hardPerClass = new TreeMap<>();
        for (ClassTarget c : hardSet.getClasses()) {
            String what = "request " + hardSet.getRequestId() + " class " + c.getLabel();
            if (c.getHardSamples().isEmpty()) {
                throw new InvalidVectorException(what + " has no hard samples");
            }
            if (hardPerClass.put(c.getLabel(), c.getHardSamples().size()) != null) {
                throw new InvalidVectorException(what + " is listed twice");
            }
        }
        int hardCount = hardPerClass.values().stream().mapToInt(Integer::intValue).sum();
        int budget = hardSet.getBudget() == null ? BudgetSplit.perHardSample(k, hardCount) : hardSet.getBudget();
        if (budget < 1) {
            throw new InvalidVectorException("hard set of " + hardSet.getRequestId() + " has budget " + budget + "; needs ≥ 1");
        }
        Map<Integer, Integer> shares = BudgetSplit.split(budget, hardPerClass);
        if (o.getPerClass()) {
            for (var share : shares.entrySet()) {
                if (share.getValue() == 0) {
                    int smallest = hardPerClass.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
                    throw new InvalidVectorException("hard set of " + hardSet.getRequestId() + " has budget " + budget
                            + ", which leaves class " + share.getKey() + " (" + hardPerClass.get(share.getKey()) + " of "
                            + hardCount + " hard samples) no sample in the split in proportion to |D_hard_c|; a budget ≥ "
                            + ((hardCount + smallest - 1) / smallest) + " gives every class at least one");
                }
            }
        }
        List<ClassPlan> classes = new ArrayList<>();
        boolean privateTargets = hardSet.getPrivacy() != null;
        // A private FEATURE/FUNCFEAT request shares per class a noisy sum of unit embeddings instead of the embeddings.
        boolean embeddingSums = privateTargets && method != SelectionMethod.GRADIENT;
        // Sized by the first checked target, not by gradientDim: a corrupt dim must be refused, not allocated.
        double[] wholeTarget = null;
        float[] wholeSum = embeddingSums ? new float[hardSet.getEmbeddingDim()] : null;
        List<SampleEmbedding> wholeHard = new ArrayList<>();
        List<Integer> wholeHardLabels = new ArrayList<>();
        for (ClassTarget c : hardSet.getClasses()) {
            String what = "request " + hardSet.getRequestId() + " class " + c.getLabel();
            double[] y = method == SelectionMethod.FEATURE ? new double[0]
                    : Vectors.toDouble(vector(c.getTargetGradient(), hardSet.getGradientDim(), "target gradient of " + what));
            List<SampleEmbedding> hard = new ArrayList<>();
            // GRADIENT selection reads no hard embedding, and a private request shares none (dimension 0).
            boolean noEmbeddings = privateTargets || method == SelectionMethod.GRADIENT && hardSet.getEmbeddingDim() == 0;
            for (HardSampleVector h : c.getHardSamples()) {
                hard.add(new SampleEmbedding(h.getSampleId(), noEmbeddings ? new float[0]
                        : vector(h.getEmbedding(), hardSet.getEmbeddingDim(), "embedding of hard sample " + h.getSampleId())));
            }
            float[] sum = embeddingSums ? vector(c.getEmbeddingSum(), hardSet.getEmbeddingDim(), "noisy embedding sum of " + what) : null;
            if (o.getPerClass()) {
                classes.add(classPlan(c.getLabel(), y, shares.get(c.getLabel()), k, hard, sum, o, method));
            }
            if (embeddingSums) {
                for (int i = 0; i < sum.length; i++) {
                    wholeSum[i] += sum[i];
                }
            }
            if (method != SelectionMethod.FEATURE) {
                wholeTarget = wholeTarget == null ? new double[y.length] : wholeTarget;
                for (int i = 0; i < y.length; i++) {
                    wholeTarget[i] += y[i];
                }
            }
            wholeHard.addAll(hard);
            hard.forEach(h -> wholeHardLabels.add(c.getLabel()));
        }
        if (!o.getPerClass()) {
            classes = List.of(classPlan(WHOLE_SET, method == SelectionMethod.FEATURE ? new double[0] : wholeTarget,
                    budget, k, wholeHard, wholeSum, o, method));
        }
        return new RequestPlan(hardSet.getRequestId(), hardSet.getModelVersion(), method, k, budget, hardSet.getGradientDim(),
                hardSet.getEmbeddingDim(), o.getPerClass(), o.getNormalize(), List.copyOf(classes),
                hardSet.getComputedAt().toEpochMilli(), labelConsistency(hardSet, wholeHard, wholeHardLabels), privateTargets);
    }

    /** The request's label-consistency rule over every hard sample, or null when it is off. */
    private static LabelConsistency labelConsistency(HardSetVectors hardSet, List<SampleEmbedding> hard, List<Integer> labels) {
        Integer k = hardSet.getOptions().getLabelConsistencyNeighbours();
        if (k == null) {
            return null;
        }
        if (k < 1) {
            throw new InvalidVectorException("hard set of " + hardSet.getRequestId() + " has labelConsistencyNeighbours " + k + "; needs ≥ 1");
        }
        if (hardSet.getPrivacy() != null) {
            throw new InvalidVectorException("hard set of " + hardSet.getRequestId() + " is private and shares no hard embedding;"
                    + " label consistency needs them");
        }
        return LabelConsistency.of(k, hard, labels);
    }

    /**
     * @param noisySum null, or (private FEATURE/FUNCFEAT) the class's noisy sum of clipped unit embeddings: RetrieveTopK
     *                 then ranks against its centroid with k = B_c, and FuncFeat's centre is that centroid
     */
    private static ClassPlan classPlan(int label, double[] y, int budget, int k, List<SampleEmbedding> hard, float[] noisySum,
                                       SelectionOptions o, SelectionMethod method) {
        OmpOptions options;
        try {
            options = OmpOptions.gradMatch(budget).withLambda(o.getRidgeLambda())
                    .withNonNegative(o.getNonNegative()).withNormalize(o.getNormalize()).withPaperSteps(!o.getFillToBudget())
                    .withEpsilon(o.getEpsilon() == null ? 0 : o.getEpsilon());
            if (method == SelectionMethod.FUNCFEAT) {
                options = options.withFuncFeat(o.getFuncFeatLambda());
            }
        } catch (IllegalArgumentException e) {
            // OmpOptions refuses what no request may ask for (a negative λ, say): the request's fault, not a bug.
            throw new InvalidVectorException("selection options of class " + label + ": " + e.getMessage());
        }
        FuncFeat funcFeat = method != SelectionMethod.FUNCFEAT ? null
                : noisySum == null ? FuncFeat.fit(hard) : FuncFeat.around(RetrieveCentroidTopK.centroid(noisySum, hard.size()));
        List<SampleEmbedding> queries = noisySum == null ? List.copyOf(hard) : List.of(RetrieveCentroidTopK.query(noisySum));
        return new ClassPlan(label, y, budget, options, List.copyOf(hard), queries, noisySum == null ? k : budget, funcFeat);
    }

    static float[] vector(FloatVector v, int expectedDim, String what) {
        float[] values = decoded(v, expectedDim, what);
        Vectors.requireValid(values, expectedDim, what);
        return values;
    }

    /** The float32 values of {@code v}, present and of dim {@code expectedDim}, not yet checked for finiteness. */
    private static float[] decoded(FloatVector v, int expectedDim, String what) {
        if (v == null) {
            throw new InvalidVectorException(what + " is missing");
        }
        if (v.getDim() != expectedDim) {
            throw new InvalidVectorException(what + " has dim " + v.getDim() + ", the request expects " + expectedDim);
        }
        return Vectors.fromBytes(v.getValues(), v.getDim());
    }
}
