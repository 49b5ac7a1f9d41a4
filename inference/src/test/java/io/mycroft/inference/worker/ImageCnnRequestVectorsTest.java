package io.mycroft.inference.worker;

import ai.djl.Device;
import io.mycroft.inference.DjlRuntime;
import io.mycroft.inference.features.ImageCnn;
import io.mycroft.inference.model.CnnSpec;
import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.MlpSpec;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.trainer.HardSetRequests;
import io.mycroft.inference.vectors.LastLayerGradient;
import io.mycroft.processors.math.Vectors;
import io.mycroft.schemas.FloatVectors;
import mycroft.schemas.FeatureSpace;
import mycroft.schemas.HardSample;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;
import mycroft.schemas.SourcePosition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The worker path of images: FEATURE and FUNCFEAT requests in feature space IMAGE_CNN get the pre-trained CNN's 128-d
 * embeddings; a small CNN as the request's own model (DJL artifact) gives its gradients and penultimate embeddings.
 */
class ImageCnnRequestVectorsTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private static Network network;
    private static FeatureExtractors extractors;
    private static Dataset images;

    @BeforeAll
    static void setUp() throws Exception {
        DjlRuntime.start().setRandomSeed(5);
        network = ModelArtifacts.newNetwork("mt", new MlpSpec(784, List.of(32), 10), Device.cpu());
        extractors = new FeatureExtractors();
        images = Dataset.idx(Path.of(ImageCnnRequestVectorsTest.class.getResource("/fashion-mnist-subset").toURI()), "t10k")
                .slice(0, 24);
    }

    @AfterAll
    static void tearDown() {
        extractors.close();
        network.close();
    }

    @Test
    void featureRequestsAskingForImageCnnGetTheCnnsEmbeddings() throws Exception {
        RequestVectors vectors = RequestVectors.of(request(SelectionMethod.FEATURE, FeatureSpace.IMAGE_CNN), network, extractors);
        List<RequestVectors.Input> inputs = inputs(8, 24);
        List<SampleVector> out = vectors.samples(inputs);

        float[][] expected = extractors.imageCnn().embed(images.slice(8, 24).features());
        assertThat(out).hasSize(16);
        for (int i = 0; i < out.size(); i++) {
            assertThat(out.get(i).getGradient()).isNull();
            assertThat(out.get(i).getEmbedding().getDim()).isEqualTo(128);
            assertThat(Vectors.fromBytes(out.get(i).getEmbedding().getValues(), 128)).containsExactly(expected[i], within(1e-6f));
        }
        HardSetVectors hardSet = vectors.hardSet(AT);
        assertThat(hardSet.getEmbeddingDim()).isEqualTo(128);
        hardSet.getClasses().forEach(c -> c.getHardSamples().forEach(h -> assertThat(h.getEmbedding().getDim()).isEqualTo(128)));
        // The hard samples are images 0..7: their embeddings are the CNN's too.
        float[][] hard = extractors.imageCnn().embed(images.slice(0, 8).features());
        java.util.Map<String, float[]> byId = new java.util.HashMap<>();
        hardSet.getClasses().forEach(c -> c.getHardSamples().forEach(h -> byId.put(h.getSampleId(),
                Vectors.fromBytes(h.getEmbedding().getValues(), h.getEmbedding().getDim()))));
        assertThat(byId).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat(byId.get("h" + i)).containsExactly(hard[i], within(1e-6f));
        }
    }

    @Test
    void funcFeatKeepsTheModelsGradientsAndUsesCnnEmbeddings() throws Exception {
        RequestVectors vectors = RequestVectors.of(request(SelectionMethod.FUNCFEAT, FeatureSpace.IMAGE_CNN), network, extractors);
        SampleVector v = vectors.samples(inputs(8, 9)).get(0);
        Network.Outputs mt = network.forward(new float[][]{images.features()[8]});
        assertThat(Vectors.fromBytes(v.getGradient().getValues(), v.getGradient().getDim()))
                .containsExactly(LastLayerGradient.of(mt.logits()[0], mt.embeddings()[0], images.labels()[8]), within(1e-6f));
        assertThat(v.getEmbedding().getDim()).isEqualTo(128);
        assertThat(vectors.hardSet(AT).getGradientDim()).isEqualTo(LastLayerGradient.dim(10, 32));
    }

    @Test
    void penultimateStaysTheDefaultAndGradientRequestsIgnoreTheFeatureSpace() throws Exception {
        SampleVector penultimate = RequestVectors.of(request(SelectionMethod.FEATURE, FeatureSpace.MODEL_PENULTIMATE), network, extractors)
                .samples(inputs(8, 9)).get(0);
        assertThat(penultimate.getEmbedding().getDim()).isEqualTo(32);
        RequestVectors gradient = RequestVectors.of(request(SelectionMethod.GRADIENT, FeatureSpace.IMAGE_CNN), network, extractors);
        assertThat(gradient.samples(inputs(8, 9)).get(0).getEmbedding()).isNull();
        assertThat(gradient.hardSet(AT).getEmbeddingDim()).isEqualTo(32);
    }

    @Test
    void aCnnModelArtifactLoadsInTheWorkerAndGivesItsGradientsAndEmbeddings() throws Exception {
        ModelArtifact artifact;
        try (Network trained = ModelArtifacts.newNetwork("cnn", new CnnSpec(10), Device.cpu())) {
            artifact = ModelArtifacts.djl("mt", 1, new CnnSpec(10), trained, AT);
        }
        try (ModelStore models = new ModelStore(Device.cpu())) {
            models.add(artifact);
            Network cnn = models.network("mt", 1);
            RequestVectors vectors = RequestVectors.of(request(SelectionMethod.FUNCFEAT, FeatureSpace.MODEL_PENULTIMATE), cnn, extractors);
            List<SampleVector> out = vectors.samples(inputs(8, 12));

            Network.Outputs expected = cnn.forward(images.slice(8, 12).features());
            for (int i = 0; i < out.size(); i++) {
                assertThat(out.get(i).getGradient().getDim()).isEqualTo(10 * (128 + 1));
                assertThat(Vectors.fromBytes(out.get(i).getGradient().getValues(), 1290)).containsExactly(
                        LastLayerGradient.of(expected.logits()[i], expected.embeddings()[i], images.labels()[8 + i]), within(1e-6f));
                assertThat(Vectors.fromBytes(out.get(i).getEmbedding().getValues(), 128)).containsExactly(expected.embeddings()[i]);
            }
            HardSetVectors hardSet = vectors.hardSet(AT);
            assertThat(hardSet.getGradientDim()).isEqualTo(1290);
            assertThat(hardSet.getEmbeddingDim()).isEqualTo(128);
        }
    }

    @Test
    void rejectsImageCnnForNonImageModels() {
        try (Network tabular = ModelArtifacts.newNetwork("tab", new MlpSpec(6, List.of(4), 3), Device.cpu())) {
            assertThatThrownBy(() -> RequestVectors.of(request(SelectionMethod.FEATURE, FeatureSpace.IMAGE_CNN), tabular, extractors))
                    .isInstanceOf(RequestRejectedException.class).hasMessageContaining("784 inputs").hasMessageContaining("takes 6");
        }
    }

    private static HardSetRequest request(SelectionMethod method, FeatureSpace space) {
        List<HardSample> hard = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            hard.add(new HardSample("h" + i, images.labels()[i], FloatVectors.of(images.features()[i])));
        }
        SelectionOptions options = HardSetRequests.defaultOptions();
        options.setFeatureSpace(space);
        return HardSetRequest.newBuilder().setRequestId("r").setModelId("mt").setModelVersion(1).setMethod(method)
                .setBudget(32).setPerHardSample(4).setHardSamples(hard).setOptions(options).setCreatedAt(AT).build();
    }

    private static List<RequestVectors.Input> inputs(int from, int to) {
        List<RequestVectors.Input> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            OwnerSample s = OwnerSample.newBuilder().setOwnerId("o").setSampleId("s" + i).setLabel(images.labels()[i])
                    .setFeatures(FloatVectors.of(images.features()[i])).setSource(new SourcePosition("t", "t", (long) i))
                    .setIngestedAt(AT).build();
            out.add(new RequestVectors.Input(s, images.features()[i], i, ByteBuffer.wrap(new byte[32])));
        }
        return out;
    }
}
