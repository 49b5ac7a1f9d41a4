package io.mycroft.cli.trainer;

import io.mycroft.inference.model.Architecture;
import io.mycroft.inference.model.CnnSpec;
import io.mycroft.inference.model.ModelFiles;
import mycroft.schemas.ModelArtifact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code train --arch}: the small CNN as the model trainer's model, and the refusals (no Kafka: nothing is published). */
class TrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainsTheSmallCnnAsADjlArtifact() throws Exception {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new TrainCommand()).setOut(new PrintWriter(out)).execute("--arch", "cnn", "--data",
                subset().toString(), "--limit", "300", "--epochs", "1", "--out", dir.resolve("cnn.model").toString());

        assertThat(code).isZero();
        ModelArtifact artifact = ModelFiles.read(dir.resolve("cnn.model"));
        assertThat(artifact.getModelId()).isEqualTo("cnn");
        assertThat(Architecture.fromJson(artifact.getArchitecture())).isEqualTo(new CnnSpec(10));
        assertThat(artifact.getInputShape()).containsExactly(784L);
        assertThat(artifact.getEmbeddingDim()).isEqualTo(128);
        assertThat(out.toString()).startsWith("trained cnn v1 {\"type\":\"cnn\",\"classes\":10} on 300 samples");
    }

    @Test
    void refusesAnUnknownArchitecture() throws Exception {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new TrainCommand()).setErr(new PrintWriter(err)).execute("--arch", "rnn", "--data",
                subset().toString(), "--out", dir.resolve("x.model").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--arch must be mlp or cnn, was 'rnn'");
        assertThat(dir.resolve("x.model")).doesNotExist();
    }

    @Test
    void helpListsTheModelVersionOption() {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new TrainCommand()).setOut(new PrintWriter(out)).execute("--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("--model-version", "--arch", "-h, --help");
    }

    private static Path subset() throws Exception {
        return InferenceTestResources.fashionMnistSubset();
    }
}
