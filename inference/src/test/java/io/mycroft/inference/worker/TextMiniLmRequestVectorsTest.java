package io.mycroft.inference.worker;

import ai.djl.Device;
import io.mycroft.inference.DjlRuntime;
import io.mycroft.inference.model.MlpSpec;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.trainer.HardSetRequests;
import io.mycroft.processors.math.Vectors;
import io.mycroft.schemas.FloatVectors;
import mycroft.schemas.FeatureSpace;
import mycroft.schemas.HardSample;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;
import mycroft.schemas.SourcePosition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The worker path of feature space TEXT_MINILM: text/plain owner samples become 384-d MiniLM embeddings. */
class TextMiniLmRequestVectorsTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private static Network network;
    private static FeatureExtractors extractors;

    @BeforeAll
    static void setUp() {
        DjlRuntime.start().setRandomSeed(3);
        network = ModelArtifacts.newNetwork("text", new MlpSpec(384, List.of(16), 3), Device.cpu());
        extractors = new FeatureExtractors();
    }

    @AfterAll
    static void tearDown() {
        extractors.close();
        network.close();
    }

    @Test
    void textSamplesAreEmbeddedAndFeatureRequestsSendThoseEmbeddings() throws Exception {
        OwnerSample sample = text("s1", 1, "Refund requested for a damaged parcel.");
        float[] features = SampleInputs.features(sample, extractors);
        assertThat(features).hasSize(384).containsExactly(
                extractors.textMiniLm().embed(List.of("Refund requested for a damaged parcel."))[0], within(1e-6f));

        float[] hard = extractors.textMiniLm().embed(List.of("My package arrived broken, I want my money back."))[0];
        HardSetRequest request = request(SelectionMethod.FUNCFEAT, hard);
        RequestVectors vectors = RequestVectors.of(request, network, extractors);
        SampleVector v = vectors.samples(List.of(new RequestVectors.Input(sample, features, 7L, ByteBuffer.wrap(new byte[32])))).get(0);
        assertThat(v.getEmbedding().getDim()).isEqualTo(384);
        assertThat(Vectors.fromBytes(v.getEmbedding().getValues(), 384)).containsExactly(features, within(0f));
        assertThat(v.getGradient()).isNotNull();
        HardSetVectors hardSet = vectors.hardSet(AT);
        assertThat(hardSet.getEmbeddingDim()).isEqualTo(384);
        assertThat(Vectors.fromBytes(hardSet.getClasses().get(0).getHardSamples().get(0).getEmbedding().getValues(), 384))
                .containsExactly(hard, within(0f));
    }

    @Test
    void badTextAndNonTextModelsAreRefused() {
        OwnerSample latin1 = OwnerSample.newBuilder(text("s2", 0, "x")).setRaw(ByteBuffer.wrap(new byte[]{(byte) 0xff, (byte) 0xfe, 0x41}))
                .build();
        assertThatThrownBy(() -> SampleInputs.features(latin1, extractors)).isInstanceOf(BadSampleException.class)
                .hasMessageContaining("not valid UTF-8");
        assertThatThrownBy(() -> SampleInputs.features(text("s3", 0, "  \n"), extractors)).isInstanceOf(BadSampleException.class)
                .hasMessageContaining("blank");
        try (Network tabular = ModelArtifacts.newNetwork("tab", new MlpSpec(6, List.of(4), 3), Device.cpu())) {
            assertThatThrownBy(() -> RequestVectors.of(request(SelectionMethod.FEATURE, new float[6]), tabular, extractors))
                    .isInstanceOf(RequestRejectedException.class).hasMessageContaining("TEXT_MINILM").hasMessageContaining("takes 6");
        }
    }

    private static OwnerSample text(String id, int label, String text) {
        return OwnerSample.newBuilder().setOwnerId("o").setSampleId(id).setLabel(label)
                .setRaw(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))).setMediaType("text/plain; charset=utf-8")
                .setSource(new SourcePosition("t", "t", 0L)).setIngestedAt(AT).build();
    }

    private static HardSetRequest request(SelectionMethod method, float[] hardFeatures) {
        SelectionOptions options = HardSetRequests.defaultOptions();
        options.setFeatureSpace(FeatureSpace.TEXT_MINILM);
        return HardSetRequest.newBuilder().setRequestId("r").setModelId("text").setModelVersion(1).setMethod(method)
                .setBudget(4).setPerHardSample(4).setHardSamples(List.of(new HardSample("h0", 1, FloatVectors.of(hardFeatures))))
                .setOptions(options).setCreatedAt(AT).build();
    }
}
