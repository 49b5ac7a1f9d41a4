package io.mycroft.inference.model;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import mycroft.schemas.ModelArtifact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Model artifacts: the TorchScript file Debian's torch 1.13 exported, DJL round trips, and refusals. */
class ModelArtifactsTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void torchScriptExportedByPythonGivesPythonsOutputs() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(resource("/torchscript/expected.json"));
        ModelArtifact artifact = ModelArtifacts.torchScript("ts-mlp", 1, resource("/torchscript/mlp.pt"), 784, 10, 16, AT);
        try (Network network = ModelArtifacts.load(artifact, Device.cpu())) {
            Network.Outputs out = network.forward(matrix(expected.get("inputs")));
            assertThat(maxAbsDiff(out.logits(), matrix(expected.get("logits")))).isLessThanOrEqualTo(1e-5);
            assertThat(maxAbsDiff(out.embeddings(), matrix(expected.get("embeddings")))).isLessThanOrEqualTo(1e-5);
        }
    }

    static Stream<Architecture> architectures() {
        return Stream.of(new MlpSpec(12, List.of(8, 4), 3), new CnnSpec(3));
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void djlArtifactLoadsToTheSameFunction(Architecture spec) {
        float[][] x = new float[1][spec.inputs()];
        for (int i = 0; i < x[0].length; i++) {
            x[0][i] = (i % 11) / 10f;
        }
        try (Network trained = ModelArtifacts.newNetwork("m", spec, Device.cpu())) {
            ModelArtifact artifact = ModelArtifacts.djl("m", 3, spec, trained, AT);
            assertThat(artifact.getArchitecture()).isEqualTo(spec.toJson());
            assertThat(Architecture.fromJson(artifact.getArchitecture())).isEqualTo(spec);
            assertThat(artifact.getEmbeddingDim()).isEqualTo(spec.embeddingDim());
            try (Network loaded = ModelArtifacts.load(artifact, Device.cpu())) {
                assertThat(loaded.forward(x).logits()[0]).hasSize(3).containsExactly(trained.forward(x).logits()[0]);
                assertThat(loaded.forward(x).embeddings()[0]).hasSize(spec.embeddingDim())
                        .containsExactly(trained.forward(x).embeddings()[0]);
            }
        }
    }

    @Test
    void loadsAModelTooLargeToInlineByUriAndChecksItsDigest(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        byte[] file = resource("/torchscript/mlp.pt");
        java.nio.file.Path pt = dir.resolve("mlp.pt");
        java.nio.file.Files.write(pt, file);
        ModelArtifact byUri = ModelArtifacts.torchScript("ts-mlp", 1, file, 784, 10, 16, AT);
        byUri.setBytes(null);
        byUri.setUri(pt.toUri().toString());
        try (Network network = ModelArtifacts.load(byUri, Device.cpu())) {
            assertThat(network.forward(new float[1][784]).embeddings()[0]).hasSize(16);
        }
        java.nio.file.Files.write(pt, new byte[]{1, 2, 3});
        assertThatThrownBy(() -> ModelArtifacts.load(byUri, Device.cpu())).hasMessageContaining("sha256");
        byUri.setUri(dir.resolve("missing.pt").toUri().toString());
        assertThatThrownBy(() -> ModelArtifacts.load(byUri, Device.cpu())).hasMessageContaining("cannot read");
    }

    @Test
    void refusesADigestMismatchWithAClearMessage() throws Exception {
        ModelArtifact artifact = ModelArtifacts.torchScript("ts-mlp", 1, resource("/torchscript/mlp.pt"), 784, 10, 16, AT);
        artifact.setSha256("00".repeat(32));
        assertThatThrownBy(() -> ModelArtifacts.load(artifact, Device.cpu()))
                .isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("ts-mlp v1").hasMessageContaining("sha256").hasMessageContaining("refusing");
    }

    @Test
    void refusesUnloadableBytesAndShapesThatDoNotFit() throws Exception {
        ModelArtifact garbage = ModelArtifacts.torchScript("junk", 1, "not a torchscript zip".getBytes(), 784, 10, 16, AT);
        assertThatThrownBy(() -> ModelArtifacts.load(garbage, Device.cpu()))
                .isInstanceOf(ModelRejectedException.class).hasMessageContaining("junk v1 (TORCHSCRIPT) cannot be loaded");
        ModelArtifact wrongDim = ModelArtifacts.torchScript("ts-mlp", 2, resource("/torchscript/mlp.pt"), 784, 10, 99, AT);
        assertThatThrownBy(() -> ModelArtifacts.load(wrongDim, Device.cpu()))
                .isInstanceOf(ModelRejectedException.class).hasMessageContaining("penultimate features of shape");
        ModelArtifact badSpec = ModelArtifacts.torchScript("spec", 1, new byte[]{1}, 784, 10, 16, AT);
        badSpec.setFormat(mycroft.schemas.ModelFormat.DJL);
        badSpec.setArchitecture("{\"layers\":[784,10]}");
        badSpec.setBytes(ByteBuffer.wrap(new byte[]{1}));
        assertThatThrownBy(() -> ModelArtifacts.load(badSpec, Device.cpu()))
                .isInstanceOf(ModelRejectedException.class).hasMessageContaining("not an MLP spec");
        badSpec.setArchitecture("{\"type\":\"rnn\",\"classes\":10}");
        assertThatThrownBy(() -> ModelArtifacts.load(badSpec, Device.cpu()))
                .isInstanceOf(ModelRejectedException.class).hasMessageContaining("architecture type \"rnn\" is unknown");
        badSpec.setArchitecture("{\"type\":\"cnn\"}");
        assertThatThrownBy(() -> ModelArtifacts.load(badSpec, Device.cpu()))
                .isInstanceOf(ModelRejectedException.class).hasMessageContaining("no integer \"classes\"");
    }

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = ModelArtifactsTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static float[][] matrix(JsonNode rows) {
        float[][] m = new float[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new float[rows.get(i).size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = (float) rows.get(i).get(j).asDouble();
            }
        }
        return m;
    }

    private static double maxAbsDiff(float[][] a, float[][] b) {
        assertThat(a.length).isEqualTo(b.length);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).hasSameSizeAs(b[i]);
            for (int j = 0; j < a[i].length; j++) {
                worst = Math.max(worst, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return worst;
    }
}
