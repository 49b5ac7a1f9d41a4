package io.mycroft.inference.worker;

import io.mycroft.inference.features.ImageCnn;
import io.mycroft.inference.model.CnnBlock;
import io.mycroft.inference.features.TextMiniLm;
import io.mycroft.inference.model.ModelRejectedException;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.vectors.RandomProjection;
import io.mycroft.inference.vectors.SampleGradients;
import io.mycroft.inference.vectors.LastLayerGradient;
import io.mycroft.processors.math.Vectors;
import mycroft.schemas.ClassTarget;
import mycroft.schemas.FeatureSpace;
import mycroft.schemas.FloatVector;
import mycroft.schemas.HardSample;
import mycroft.schemas.HardSampleVector;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a worker computes for one request: its hard-set vectors (per class c the target y_c = Σ_{D_hard_c} g and
 * the hard samples' embeddings) and, for owner samples, the {@link SampleVector}s the Streams app selects from —
 * gradients unless the method is FEATURE, embeddings unless it is GRADIENT. Embeddings are the model's penultimate
 * features (MODEL_PENULTIMATE) or, for FEATURE and FUNCFEAT requests asking for IMAGE_CNN, those of the worker's
 * pre-trained image CNN ({@link ImageCnn}, 128-d) on the same 28×28 grey inputs, or for TEXT_MINILM the samples'
 * 384-d all-MiniLM-L6-v2 embeddings, which are also the model's inputs (a text model is a head on MiniLM; text samples
 * are embedded on decoding, hard samples carry their embeddings as features).
 */
final class RequestVectors {
    private final HardSetRequest request;
    private final Network network;
    private final SampleGradients gradients;
    private final String model;
    /** The fixed extractor of the request's feature space; null for MODEL_PENULTIMATE (and GRADIENT requests). */
    private final ImageCnn extractor;
    /** TEXT_MINILM: the inputs are the samples' MiniLM embeddings, and so are the embeddings sent. */
    private final boolean inputsAreEmbeddings;

    /** An owner sample ready for the model: decoded features, where it came from and its content digest. */
    record Input(OwnerSample sample, float[] features, long offset, ByteBuffer digest) {
    }

    private RequestVectors(HardSetRequest request, Network network, SampleGradients gradients, ImageCnn extractor,
                           boolean inputsAreEmbeddings) {
        this.request = request;
        this.inputsAreEmbeddings = inputsAreEmbeddings;
        this.extractor = extractor;
        this.network = network;
        this.gradients = gradients;
        this.model = request.getModelId() + " v" + request.getModelVersion();
    }

    /** The vectors of {@code request} under {@code network} (penultimate-layer embeddings only); rejects other feature spaces. */
    static RequestVectors of(HardSetRequest request, Network network) throws RequestRejectedException {
        return of(request, network, null);
    }

    /**
     * The vectors of {@code request} under {@code network}, fixed extractors taken from {@code extractors} (may be null:
     * then only MODEL_PENULTIMATE is served); rejects options this worker cannot honour.
     */
    static RequestVectors of(HardSetRequest request, Network network, FeatureExtractors extractors) throws RequestRejectedException {
        SelectionOptions o = request.getOptions();
        ImageCnn extractor = null;
        if (request.getMethod() != SelectionMethod.GRADIENT && o.getFeatureSpace() != FeatureSpace.MODEL_PENULTIMATE) {
            if (o.getFeatureSpace() == FeatureSpace.TEXT_MINILM) {
                // Text samples reach the model as their MiniLM embeddings (SampleInputs): the model's inputs are the space.
                if (network.inputs() != TextMiniLm.EMBEDDING_DIM) {
                    throw new RequestRejectedException("request " + request.getRequestId() + " asks for feature space TEXT_MINILM,"
                            + " whose samples are 384-d all-MiniLM-L6-v2 embeddings (" + TextMiniLm.EMBEDDING_DIM + " inputs), but model "
                            + request.getModelId() + " v" + request.getModelVersion() + " takes " + network.inputs() + " inputs", null);
                }
                return create(request, network, null, true);
            }
            if (o.getFeatureSpace() != FeatureSpace.IMAGE_CNN || extractors == null) {
                throw new RequestRejectedException("request " + request.getRequestId() + " asks for feature space "
                        + o.getFeatureSpace() + "; this worker computes MODEL_PENULTIMATE, IMAGE_CNN and TEXT_MINILM embeddings only", null);
            }
            if (network.inputs() != CnnBlock.INPUTS) {
                throw new RequestRejectedException("request " + request.getRequestId() + " asks for feature space IMAGE_CNN,"
                        + " which embeds 28×28 grey images (" + CnnBlock.INPUTS + " inputs), but model "
                        + request.getModelId() + " v" + request.getModelVersion() + " takes " + network.inputs() + " inputs", null);
            }
            extractor = extractors.imageCnn();
        }
        return create(request, network, extractor, false);
    }

    private static RequestVectors create(HardSetRequest request, Network network, ImageCnn extractor, boolean inputsAreEmbeddings)
            throws RequestRejectedException {
        SelectionOptions o = request.getOptions();
        RandomProjection projection = null;
        if (o.getProjectionDim() != null) {
            if (o.getProjectionDim() < 1) {
                throw new RequestRejectedException("request " + request.getRequestId() + " has projectionDim "
                        + o.getProjectionDim() + "; it must be ≥ 1", null);
            }
            projection = new RandomProjection(LastLayerGradient.dim(network.classes(), network.embeddingDim()),
                    o.getProjectionDim(), o.getProjectionSeed());
        }
        return new RequestVectors(request, network, new SampleGradients(network, projection), extractor, inputsAreEmbeddings);
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
        if (hard.isEmpty()) {
            throw new RequestRejectedException("request " + request.getRequestId() + " has no hard samples", null);
        }
        float[][] features = new float[hard.size()][];
        int[] labels = new int[hard.size()];
        for (int i = 0; i < hard.size(); i++) {
            HardSample h = hard.get(i);
            try {
                features[i] = Vectors.fromBytes(h.getFeatures().getValues(), h.getFeatures().getDim());
                Vectors.requireValid(features[i], network.inputs(), "features of hard sample " + h.getSampleId() + " for model " + model);
            } catch (RuntimeException e) {
                throw new RequestRejectedException("request " + request.getRequestId() + ": " + e.getMessage(), e);
            }
            if (h.getLabel() < 0 || h.getLabel() >= network.classes()) {
                throw new RequestRejectedException("request " + request.getRequestId() + ": hard sample " + h.getSampleId()
                        + " has label " + h.getLabel() + ", unknown to model " + model, null);
            }
            labels[i] = h.getLabel();
        }
        SampleGradients.Vectors[] v = compute(features, labels);
        float[][] embedded = embeddings(features, v);
        Map<Integer, double[]> targets = new TreeMap<>();
        Map<Integer, List<HardSampleVector>> embeddings = new TreeMap<>();
        for (int i = 0; i < hard.size(); i++) {
            double[] y = targets.computeIfAbsent(labels[i], l -> new double[gradients.gradientDim()]);
            Vectors.axpy(1.0, v[i].gradient(), y);
            embeddings.computeIfAbsent(labels[i], l -> new ArrayList<>())
                    .add(new HardSampleVector(hard.get(i).getSampleId(), vector(embedded[i])));
        }
        List<ClassTarget> classes = new ArrayList<>();
        targets.forEach((label, y) -> classes.add(new ClassTarget(label, vector(toFloat(y)), embeddings.get(label))));
        return HardSetVectors.newBuilder().setRequestId(request.getRequestId()).setModelId(request.getModelId())
                .setModelVersion(request.getModelVersion()).setMethod(request.getMethod())
                .setPerHardSample(request.getPerHardSample()).setOptions(request.getOptions())
                .setGradientDim(gradients.gradientDim()).setEmbeddingDim(embeddingDim())
                .setClasses(classes).setComputedAt(now).build();
    }

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
        boolean withEmbedding = request.getMethod() != SelectionMethod.GRADIENT;
        float[][] embedded = withEmbedding ? embeddings(features, v) : null;
        List<SampleVector> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            out.add(new SampleVector(in.sample().getSampleId(), labels[i], withGradient ? vector(v[i].gradient()) : null,
                    withEmbedding ? vector(embedded[i]) : null, v[i].loss(), in.digest().duplicate(), in.offset()));
        }
        return out;
    }

    /** Dimension of the embeddings this request's vectors carry. */
    int embeddingDim() {
        if (inputsAreEmbeddings) {
            return network.inputs();
        }
        return extractor == null ? gradients.embeddingDim() : extractor.embeddingDim();
    }

    /** The embeddings of the request's feature space: the model's own (already in {@code v}) or the extractor's. */
    private float[][] embeddings(float[][] features, SampleGradients.Vectors[] v) {
        if (inputsAreEmbeddings) {
            return features;
        }
        if (extractor != null) {
            return extractor.embed(features);
        }
        float[][] e = new float[v.length][];
        for (int i = 0; i < v.length; i++) {
            e[i] = v[i].embedding();
        }
        return e;
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
