package io.mycroft.inference.worker;

import io.mycroft.inference.features.ImageCnn;
import io.mycroft.inference.features.TextMiniLm;
import io.mycroft.inference.model.CnnBlock;
import io.mycroft.inference.model.ModelRejectedException;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.vectors.RandomProjection;
import io.mycroft.inference.vectors.SampleGradients;
import io.mycroft.inference.vectors.LastLayerGradient;
import io.mycroft.processors.math.SampleEmbedding;
import io.mycroft.processors.math.TabularBinning;
import io.mycroft.processors.math.AnalyticGaussian;
import io.mycroft.processors.math.PrivateClassTargets;
import io.mycroft.processors.math.Vectors;
import mycroft.schemas.ClassTarget;
import mycroft.schemas.FeatureSpace;
import mycroft.schemas.FloatVector;
import mycroft.schemas.HardSample;
import mycroft.schemas.HardSampleVector;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.HardSetPrivacy;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.PrivacyAccounting;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Everything a worker computes for one request: its hard-set vectors (per class c the target y_c = Σ_{D_hard_c} g and
 * the hard samples' embeddings) and, for owner samples, the {@link SampleVector}s the Streams app selects from —
 * gradients unless the method is FEATURE, embeddings unless it is GRADIENT without label consistency, and always the
 * model's predicted class (argmax of the logits). Embeddings are those of the request's
 * feature space ({@link Space}): the model's penultimate features (MODEL_PENULTIMATE), the worker's pre-trained image
 * CNN on the same 28×28 grey inputs ({@link ImageCnn}, 128-d; IMAGE_CNN), the samples' 384-d all-MiniLM-L6-v2
 * embeddings, which are also the model's inputs (TEXT_MINILM: a text model is a head on MiniLM; text samples are
 * embedded on decoding, hard samples carry their embeddings as features), or the bin codes of tabular features under
 * per-feature quantile bins fitted on the request's D_hard ({@link TabularBinning#code}; TABULAR_BINS). A private request
 * (HardSetRequest.privacy) shares no single hard embedding: per class the noisy sum of clipped gradients (GRADIENT,
 * FUNCFEAT; {@link PrivateClassTargets}) and of clipped unit embeddings (FEATURE, FUNCFEAT), σ from the analytic Gaussian
 * mechanism, both sums of a FUNCFEAT request calibrated as one release ({@link AnalyticGaussian#jointSigmas}).
 */
final class RequestVectors {
    private final HardSetRequest request;
    private final Network network;
    private final SampleGradients gradients;
    private final String model;
    /** The request's feature space; MODEL_PENULTIMATE for GRADIENT requests. */
    private final Space space;

    /** An owner sample ready for the model: decoded features, where it came from and its content digest. */
    record Input(OwnerSample sample, float[] features, long offset, ByteBuffer digest) {
    }

    /** A feature space: its dimension and how it embeds a batch, given its model inputs and the model's vectors of them. */
    private record Space(int dim, Embedder embedder) {
        float[][] embed(float[][] features, SampleGradients.Vectors[] v) {
            return embedder.embed(features, v);
        }
    }

    private interface Embedder {
        float[][] embed(float[][] features, SampleGradients.Vectors[] v);
    }

    private RequestVectors(HardSetRequest request, Network network, SampleGradients gradients, Space space) {
        this.request = request;
        this.network = network;
        this.gradients = gradients;
        this.space = space;
        this.model = modelName(request);
    }

    /** The vectors of {@code request} under {@code network} (no fixed extractors: IMAGE_CNN and text are rejected). */
    static RequestVectors of(HardSetRequest request, Network network) throws RequestRejectedException {
        return of(request, network, null);
    }

    /**
     * The vectors of {@code request} under {@code network}, fixed extractors taken from {@code extractors} (may be null:
     * then IMAGE_CNN is not served); rejects options this worker cannot honour.
     */
    static RequestVectors of(HardSetRequest request, Network network, FeatureExtractors extractors) throws RequestRejectedException {
        SampleGradients gradients = new SampleGradients(network, projection(request, network));
        FeatureSpace choice = request.getMethod() == SelectionMethod.GRADIENT ? FeatureSpace.MODEL_PENULTIMATE
                : request.getOptions().getFeatureSpace();
        Space space = switch (choice) {
            case MODEL_PENULTIMATE -> penultimate(gradients);
            case IMAGE_CNN -> {
                if (extractors == null) {
                    throw new RequestRejectedException("request " + request.getRequestId() + " asks for feature space IMAGE_CNN,"
                            + " which this worker does not serve", null);
                }
                requireInputs(request, network, CnnBlock.INPUTS, "IMAGE_CNN, which embeds 28×28 grey images");
                yield imageCnn(extractors.imageCnn());
            }
            case TEXT_MINILM -> {
                // Text samples reach the model as their MiniLM embeddings (SampleInputs): the model's inputs are the space.
                requireInputs(request, network, TextMiniLm.EMBEDDING_DIM,
                        "TEXT_MINILM, whose samples are 384-d all-MiniLM-L6-v2 embeddings");
                yield inputs(network.inputs());
            }
            case TABULAR_BINS -> tabularBins(TabularBinning.fit(hardRows(request, network), TabularBinning.Scheme.QUANTILE,
                    TabularBinning.DEFAULT_BINS));
        };
        return new RequestVectors(request, network, gradients, space);
    }

    private static RandomProjection projection(HardSetRequest request, Network network) throws RequestRejectedException {
        SelectionOptions o = request.getOptions();
        if (o.getProjectionDim() == null) {
            return null;
        }
        if (o.getProjectionDim() < 1) {
            throw new RequestRejectedException("request " + request.getRequestId() + " has projectionDim "
                    + o.getProjectionDim() + "; it must be ≥ 1", null);
        }
        return new RandomProjection(LastLayerGradient.dim(network.classes(), network.embeddingDim()),
                o.getProjectionDim(), o.getProjectionSeed());
    }

    private static void requireInputs(HardSetRequest request, Network network, int inputs, String space)
            throws RequestRejectedException {
        if (network.inputs() != inputs) {
            throw new RequestRejectedException("request " + request.getRequestId() + " asks for feature space " + space
                    + " (" + inputs + " inputs), but model " + modelName(request) + " takes " + network.inputs() + " inputs", null);
        }
    }

    private static Space penultimate(SampleGradients gradients) {
        return new Space(gradients.embeddingDim(), (features, v) -> {
            float[][] e = new float[v.length][];
            for (int i = 0; i < v.length; i++) {
                e[i] = v[i].embedding();
            }
            return e;
        });
    }

    private static Space imageCnn(ImageCnn cnn) {
        return new Space(cnn.embeddingDim(), (features, v) -> cnn.embed(features));
    }

    private static Space inputs(int dim) {
        return new Space(dim, (features, v) -> features);
    }

    /** Samples outside the D_hard range of a feature land in its outermost bins (codes stay defined for any value). */
    private static Space tabularBins(TabularBinning binning) {
        return new Space(binning.codeDim(), (features, v) -> {
            float[][] e = new float[features.length][];
            for (int i = 0; i < features.length; i++) {
                e[i] = binning.code(features[i], "features of sample " + i);
            }
            return e;
        });
    }

    String model() {
        return model;
    }

    int modelVersion() {
        return request.getModelVersion();
    }

    int inputs() {
        return network.inputs();
    }

    int classes() {
        return network.classes();
    }

    /** The request's hard-set vectors, classes ordered by label. */
    HardSetVectors hardSet(Instant now) throws RequestRejectedException {
        List<HardSample> hard = request.getHardSamples();
        float[][] features = new float[hard.size()][];
        int[] labels = new int[hard.size()];
        List<SampleEmbedding> rows = hardRows(request, network);
        for (int i = 0; i < hard.size(); i++) {
            HardSample h = hard.get(i);
            features[i] = rows.get(i).vector();
            if (h.getLabel() < 0 || h.getLabel() >= network.classes()) {
                throw new RequestRejectedException("request " + request.getRequestId() + ": hard sample " + h.getSampleId()
                        + " has label " + h.getLabel() + ", unknown to model " + model, null);
            }
            labels[i] = h.getLabel();
        }
        SampleGradients.Vectors[] v = compute(features, labels);
        HardSetPrivacy privacy = request.getPrivacy();
        boolean shareGradients = privacy == null || request.getMethod() != SelectionMethod.FEATURE;
        boolean shareEmbeddingSums = privacy != null && request.getMethod() != SelectionMethod.GRADIENT;
        // A private request shares no per-sample embedding (dimension 0): only the noised sums carry its hard set.
        float[][] embedded = privacy == null || shareEmbeddingSums ? space.embed(features, v) : null;
        Map<Integer, double[]> targets = new TreeMap<>();
        Map<Integer, List<HardSampleVector>> embeddings = new TreeMap<>();
        for (int i = 0; i < hard.size(); i++) {
            if (privacy == null) {
                Vectors.axpy(1.0, v[i].gradient(), targets.computeIfAbsent(labels[i], l -> new double[gradients.gradientDim()]));
            }
            embeddings.computeIfAbsent(labels[i], l -> new ArrayList<>())
                    .add(new HardSampleVector(hard.get(i).getSampleId(), vector(privacy == null ? embedded[i] : new float[0])));
        }
        PrivacyAccounting accounting = null;
        Map<Integer, double[]> embeddingSums = Map.of();
        if (privacy != null) {
            double gradientSensitivity = PrivateClassTargets.sensitivity(privacy.getClipNorm());
            double embeddingClip = Math.min(privacy.getClipNorm(), 1.0); // ‖ê‖ = 1: a clip above 1 changes nothing
            double embeddingSensitivity = PrivateClassTargets.sensitivity(embeddingClip);
            double[] sigmas = AnalyticGaussian.jointSigmas(privacy.getEpsilon(), privacy.getDelta(),
                    shareGradients && shareEmbeddingSums ? new double[]{gradientSensitivity, embeddingSensitivity}
                            : new double[]{shareGradients ? gradientSensitivity : embeddingSensitivity});
            // One generator for the request: gradient noise first (classes in label order), then embedding noise.
            Random noise = new Random(privacy.getSeed());
            int clippedGradients = 0;
            if (shareGradients) {
                float[][] g = new float[hard.size()][];
                for (int i = 0; i < g.length; i++) {
                    g[i] = v[i].gradient();
                }
                PrivateClassTargets.Result noised = PrivateClassTargets.of(labels, g, gradients.gradientDim(),
                        privacy.getClipNorm(), sigmas[0], noise);
                targets = noised.targets();
                clippedGradients = noised.clipped();
            }
            Integer clippedEmbeddings = null;
            if (shareEmbeddingSums) {
                float[][] units = new float[hard.size()][];
                for (int i = 0; i < units.length; i++) {
                    units[i] = unit(embedded[i], hard.get(i).getSampleId());
                }
                PrivateClassTargets.Result noised = PrivateClassTargets.of(labels, units, space.dim(), embeddingClip,
                        sigmas[sigmas.length - 1], noise);
                embeddingSums = noised.targets();
                clippedEmbeddings = noised.clipped();
                if (!shareGradients) { // a private FEATURE request shares no target gradient (dimension 0)
                    for (int label : embeddingSums.keySet()) {
                        targets.put(label, new double[0]);
                    }
                }
            }
            accounting = new PrivacyAccounting(privacy.getEpsilon(), privacy.getDelta(), privacy.getClipNorm(),
                    shareGradients ? gradientSensitivity : 0.0, shareGradients ? sigmas[0] : 0.0, privacy.getSeed(),
                    clippedGradients, accountant(shareGradients, shareEmbeddingSums),
                    shareEmbeddingSums ? embeddingSensitivity : null, shareEmbeddingSums ? sigmas[sigmas.length - 1] : null,
                    clippedEmbeddings);
        }
        List<ClassTarget> classes = new ArrayList<>();
        Map<Integer, double[]> sums = embeddingSums;
        targets.forEach((label, y) -> classes.add(new ClassTarget(label, vector(toFloat(y)), embeddings.get(label),
                sums.containsKey(label) ? vector(toFloat(sums.get(label))) : null)));
        return HardSetVectors.newBuilder().setRequestId(request.getRequestId()).setModelId(request.getModelId())
                .setModelVersion(request.getModelVersion()).setMethod(request.getMethod())
                .setPerHardSample(request.getPerHardSample()).setBudget(request.getBudget()).setOptions(request.getOptions())
                .setGradientDim(gradients.gradientDim()).setEmbeddingDim(privacy == null || shareEmbeddingSums ? embeddingDim() : 0)
                .setClasses(classes).setComputedAt(now).setPrivacy(accounting).build();
    }

    /**
     * e/‖e‖ in float; a zero embedding (a ReLU layer can give one) has no direction and adds nothing to the sum (the
     * sensitivity bound 2·min(C, 1) still holds: its neighbour is at most min(C, 1) long).
     */
    private float[] unit(float[] e, String sampleId) throws RequestRejectedException {
        double norm = Vectors.norm(e);
        if (norm == 0) {
            return new float[e.length];
        }
        if (!Double.isFinite(norm)) {
            throw new RequestRejectedException("request " + request.getRequestId() + ": hard sample " + sampleId
                    + " has an embedding of norm " + norm + ", which has no direction to share", null);
        }
        float[] u = new float[e.length];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) (e[i] / norm);
        }
        return u;
    }

    /**
     * How a private request's noise is calibrated (PrivacyAccounting.accountant): the analytic Gaussian mechanism; a
     * FUNCFEAT request releases gradient and embedding sums together as one Gaussian mechanism
     * ({@link AnalyticGaussian#jointSigmas}).
     */
    static String accountant(boolean gradients, boolean embeddingSums) {
        if (gradients && embeddingSums) {
            return ACCOUNTANT + "; gradient and embedding sums released jointly: σ_i = Δ_i·σ(ε, δ, √2)"
                    + " (Gaussian DP composition, Dong, Roth & Su 2022, Cor. 3.3), embedding sums L2 sensitivity 2·min(C, 1)";
        }
        return embeddingSums ? "analytic Gaussian mechanism (Balle & Wang 2018), embedding sums L2 sensitivity 2·min(C, 1)"
                : ACCOUNTANT;
    }

    /** How a private request's noise is calibrated (PrivacyAccounting.accountant). */
    static final String ACCOUNTANT = "analytic Gaussian mechanism (Balle & Wang 2018), L2 sensitivity 2C";

    /** The sample vectors of {@code inputs} (already checked against the model), in input order. */
    List<SampleVector> samples(List<Input> inputs) {
        float[][] features = new float[inputs.size()][];
        int[] labels = new int[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            features[i] = inputs.get(i).features();
            labels[i] = inputs.get(i).sample().getLabel();
        }
        SampleGradients.Vectors[] v = compute(features, labels);
        boolean withGradient = request.getMethod() != SelectionMethod.FEATURE;
        // Label consistency compares an owner sample with its nearest hard samples, whatever the method.
        boolean withEmbedding = request.getMethod() != SelectionMethod.GRADIENT
                || request.getOptions().getLabelConsistencyNeighbours() != null;
        float[][] embedded = withEmbedding ? space.embed(features, v) : null;
        List<SampleVector> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            out.add(new SampleVector(in.sample().getSampleId(), labels[i], withGradient ? vector(v[i].gradient()) : null,
                    withEmbedding ? vector(embedded[i]) : null, v[i].loss(), in.digest().duplicate(), in.offset(), v[i].predicted()));
        }
        return out;
    }

    /** Dimension of the embeddings this request's vectors carry. */
    int embeddingDim() {
        return space.dim();
    }

    /** The hard samples' features, checked against the model's input count. */
    private static List<SampleEmbedding> hardRows(HardSetRequest request, Network network) throws RequestRejectedException {
        List<HardSample> hard = request.getHardSamples();
        if (hard.isEmpty()) {
            throw new RequestRejectedException("request " + request.getRequestId() + " has no hard samples", null);
        }
        List<SampleEmbedding> rows = new ArrayList<>(hard.size());
        for (HardSample h : hard) {
            try {
                float[] f = Vectors.fromBytes(h.getFeatures().getValues(), h.getFeatures().getDim());
                Vectors.requireValid(f, network.inputs(), "features of hard sample " + h.getSampleId() + " for model " + modelName(request));
                rows.add(new SampleEmbedding(h.getSampleId(), f));
            } catch (RuntimeException e) {
                throw new RequestRejectedException("request " + request.getRequestId() + ": " + e.getMessage(), e);
            }
        }
        return rows;
    }

    private static String modelName(HardSetRequest request) {
        return request.getModelId() + " v" + request.getModelVersion();
    }

    private SampleGradients.Vectors[] compute(float[][] features, int[] labels) {
        try {
            return gradients.compute(features, labels);
        } catch (ModelRejectedException e) {
            throw new IllegalStateException("model " + model + " failed on a checked batch: " + e.getMessage(), e);
        }
    }

    private static FloatVector vector(float[] v) {
        return new FloatVector(v.length, Vectors.toBytes(v));
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
