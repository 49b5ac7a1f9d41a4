package io.mycroft.cli.trainer;

import ai.djl.Device;
import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.MlpSpec;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.ModelFiles;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.trainer.HardSetFile;
import io.mycroft.inference.trainer.MtData;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.ModelFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --model} of hardset and evaluate ({@link ModelOptions}): a TorchScript file (the committed {@code mlp.pt},
 * 784-32-16-10) named by its file name, the options or the hard set, shaped by its outputs; a DJL artifact file as
 * train wrote it; and the refusals, each with a message that says what is wrong. No Kafka: every refusal comes first.
 */
class ModelOptionsTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private Path torchScript;
    private Dataset validation;

    /** A command with nothing but the options under test. */
    @Command(name = "named")
    static final class Named {
        @Mixin
        ModelOptions model;
    }

    @BeforeEach
    void setUp() throws Exception {
        torchScript = dir.resolve("mlp.pt");
        Files.copy(InferenceTestResources.torchScriptMlp(), torchScript);
        validation = MtData.read(subset(), 1).validation();
    }

    @Test
    void aTorchScriptFileIsNamedByItsFileNameAndShapedByItsOutputs() throws Exception {
        ModelArtifact artifact = options("--model", torchScript.toString()).forHardSet(validation);

        byte[] file = Files.readAllBytes(torchScript);
        ModelArtifact expected = ModelArtifacts.torchScript("mlp", 1, file, 784, 10, 16, artifact.getCreatedAt());
        assertThat(artifact).isEqualTo(expected);
        assertThat(artifact.getFormat()).isEqualTo(ModelFormat.TORCHSCRIPT);
        assertThat(artifact.getSha256()).isEqualTo(ModelArtifacts.sha256(file));
        assertThat(artifact.getBytes()).isEqualTo(ByteBuffer.wrap(file));
        try (Network network = ModelArtifacts.load(artifact, Device.cpu())) {
            assertThat(network.forward(validation.features()).logits()).hasNumberOfRows(validation.size());
        }
    }

    @Test
    void theOptionsNameATorchScriptModel() {
        ModelArtifact artifact = options("--model", torchScript.toString(), "--model-id", "shop-mlp", "--model-version", "3")
                .forHardSet(validation);

        assertThat(artifact.getModelId()).isEqualTo("shop-mlp");
        assertThat(artifact.getVersion()).isEqualTo(3);
        assertThat(artifact.getEmbeddingDim()).isEqualTo(16);
    }

    @Test
    void evaluateNamesATorchScriptFileLikeItsHardSetsModel() {
        HardSetFile hardSet = new HardSetFile("r1", "shop-mlp", 3, List.of(1), new int[]{0}, new int[]{1});

        ModelArtifact artifact = options("--model", torchScript.toString()).forEvaluation(hardSet, dir.resolve("h.json"), validation);

        assertThat(artifact.getModelId()).isEqualTo("shop-mlp");
        assertThat(artifact.getVersion()).isEqualTo(3);
    }

    @Test
    void aModelArtifactFileIsReadAsTrainWroteIt() throws Exception {
        Path file = djlArtifact("mlp-small", 2);

        assertThat(options("--model", file.toString()).forHardSet(validation)).isEqualTo(ModelFiles.read(file));
        assertThat(options("--model", file.toString(), "--model-id", "mlp-small", "--model-version", "2").forHardSet(validation))
                .as("options that repeat the artifact's name").isEqualTo(ModelFiles.read(file));
    }

    @Test
    void refusesNamingOptionsThatContradictAModelArtifactFile() throws Exception {
        Path file = djlArtifact("mlp-small", 2);

        assertThatThrownBy(() -> options("--model", file.toString(), "--model-id", "other").forHardSet(validation))
                .isInstanceOf(ParameterException.class)
                .hasMessage("--model " + file + " is a model artifact file written by train, of model mlp-small v2, which"
                        + " --model-id/--model-version contradict (they name a TorchScript model; leave them out)");
        assertThatThrownBy(() -> options("--model", file.toString(), "--model-version", "3").forHardSet(validation))
                .hasMessageContaining("of model mlp-small v2, which --model-id/--model-version contradict");
    }

    @Test
    void refusesAFileThatIsNeitherKindOrIsMissing() throws Exception {
        Path text = Files.writeString(dir.resolve("model.txt"), "weights, honest");

        assertThatThrownBy(() -> options("--model", text.toString()).forHardSet(validation))
                .isInstanceOf(ParameterException.class)
                .hasMessage("--model " + text + " is neither a model artifact file written by train nor a TorchScript file"
                        + " (a zip archive written by torch.jit.save)");
        assertThatThrownBy(() -> options("--model", dir.resolve("missing.pt").toString()).forHardSet(validation))
                .hasMessage("--model " + dir.resolve("missing.pt") + ": no such file");
    }

    @Test
    void refusesAZipThatIsNoTorchScriptModule() throws Exception {
        Path zip = dir.resolve("checkpoint.pt");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("checkpoint/data.pkl"));
            out.write(new byte[]{1, 2, 3});
        }

        assertThatThrownBy(() -> options("--model", zip.toString()).forHardSet(validation))
                .isInstanceOf(ParameterException.class)
                .hasMessageStartingWith("--model " + zip + ": model checkpoint v1 is no TorchScript module DJL can load (save it"
                        + " with torch.jit.save(torch.jit.script(module), path), not torch.save): ");
    }

    @Test
    void refusesAModuleThatDoesNotFitTheData() {
        Dataset narrow = new Dataset(new float[][]{new float[100]}, new int[]{0});
        Dataset elevenClasses = new Dataset(new float[][]{new float[784]}, new int[]{10});

        assertThatThrownBy(() -> options("--model", torchScript.toString()).forHardSet(narrow))
                .isInstanceOf(ParameterException.class)
                .hasMessage("--model " + torchScript + ": model mlp v1 does not run on a batch of inputs of 100 values:"
                        + " RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x100 and 784x32)");
        assertThatThrownBy(() -> options("--model", torchScript.toString()).forHardSet(elevenClasses))
                .hasMessage("model mlp v1 (--model " + torchScript + ") gives 10 logits, but the labels of --data go up to 10");
    }

    @Test
    void refusesAModelIdThatCannotBeAKey() throws Exception {
        Path bar = Files.copy(torchScript, dir.resolve("a|b.pt"));

        assertThatThrownBy(() -> options("--model", torchScript.toString(), "--model-id", "a|b").forHardSet(validation))
                .hasMessage("--model-id 'a|b' contains '|', which separates key parts");
        assertThatThrownBy(() -> options("--model", bar.toString()).forHardSet(validation))
                .hasMessage("--model-id 'a|b' contains '|', which separates key parts (taken from the name of --model "
                        + bar + "): name the model with --model-id");
    }

    @Test
    void evaluateRefusesAModelOtherThanTheHardSetsBeforeTouchingKafka() throws Exception {
        Path hardSetFile = dir.resolve("hardset.json");
        new HardSetFile("r1", "mlp", 1, List.of(1), new int[]{0}, new int[]{1}).write(hardSetFile);
        StringWriter err = new StringWriter();

        int code = new CommandLine(new EvaluateCommand()).setErr(new PrintWriter(err)).execute("--bootstrap-servers",
                "127.0.0.1:1", "--model", torchScript.toString(), "--model-version", "2", "--data", subset().toString(),
                "--hard-set", hardSetFile.toString(), "--owner", "o1");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("the hard set in " + hardSetFile + " (request r1) was selected with model mlp v1,"
                + " but --model " + torchScript + " is model mlp v2: evaluate with the model the hard set was selected with");
    }

    @Test
    void hardSetRefusesAnUnloadableFileBeforeWritingOrPublishing() throws Exception {
        Path junk = Files.write(dir.resolve("junk.pt"), new byte[]{'P', 'K', 3, 4, 0, 0});
        StringWriter err = new StringWriter();

        int code = new CommandLine(new HardSetCommand()).setErr(new PrintWriter(err)).execute("--bootstrap-servers",
                "127.0.0.1:1", "--model", junk.toString(), "--data", subset().toString(), "--request-id", "r1",
                "--out", dir.resolve("hardset.json").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("--model " + junk + ": model junk v1 is no TorchScript module DJL can load");
        assertThat(dir.resolve("hardset.json")).doesNotExist();
    }

    private ModelOptions options(String... args) {
        Named named = new Named();
        new CommandLine(named).parseArgs(args);
        return named.model;
    }

    private Path djlArtifact(String id, int version) throws Exception {
        MlpSpec spec = new MlpSpec(784, List.of(8), 10);
        Path file = dir.resolve(id + ".model");
        try (Network network = ModelArtifacts.newNetwork(id, spec, Device.cpu())) {
            ModelFiles.write(file, ModelArtifacts.djl(id, version, spec, network, AT));
        }
        return file;
    }

    private static Path subset() throws Exception {
        return InferenceTestResources.fashionMnistSubset();
    }
}
