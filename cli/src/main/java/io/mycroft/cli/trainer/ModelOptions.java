package io.mycroft.cli.trainer;

import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.ModelFiles;
import io.mycroft.inference.model.ModelRejectedException;
import io.mycroft.inference.trainer.HardSetFile;
import io.mycroft.schemas.Keys;
import mycroft.schemas.ModelArtifact;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

/**
 * The model a model trainer command works with ({@code --model}): a model artifact file written by {@code train}, or a
 * TorchScript file a PyTorch shop exported, told apart by their content. A TorchScript file declares neither its name
 * nor its shapes: its id and version come from {@code --model-id}/{@code --model-version} (or defaults), its input
 * width from the command's data, and C and H from a forward pass of the module
 * ({@link ModelArtifacts#torchScript(String, int, byte[], int, Instant)}). Whatever the user can get wrong is a
 * {@link ParameterException} that says what and what to do.
 */
public final class ModelOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--model", required = true, description = "The model: a model artifact file written by train, or a"
            + " TorchScript file (torch.jit.save of a scripted module returning (logits, penultimate features)),"
            + " told apart by their content.")
    Path model;

    @Option(names = "--model-id", description = "TorchScript only: the model's id, its key on the models topic (default:"
            + " hardset: the file name without its extension; evaluate: the hard set's model).")
    String modelId;

    @Option(names = "--model-version", description = "TorchScript only: the model's version (default: hardset: 1;"
            + " evaluate: the hard set's model).")
    Integer modelVersion;

    /** The model to select a new hard set with; a TorchScript file is named by the options, else by its file name, v1. */
    ModelArtifact forHardSet(Dataset data) {
        String name = model.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return read(data, dot < 0 ? name : name.substring(0, dot), 1);
    }

    /**
     * The model {@code hardSet} (kept in {@code hardSetFile}) was selected with: a TorchScript file is named like the
     * hard set's model unless the options say otherwise; either kind of file must be that model, since the held-out
     * part of D_hard is what that model got wrong.
     */
    ModelArtifact forEvaluation(HardSetFile hardSet, Path hardSetFile, Dataset data) {
        ModelArtifact artifact = read(data, hardSet.modelId(), hardSet.modelVersion());
        if (!artifact.getModelId().equals(hardSet.modelId()) || artifact.getVersion() != hardSet.modelVersion()) {
            throw fail("the hard set in " + hardSetFile + " (request " + hardSet.requestId() + ") was selected with model "
                    + hardSet.modelId() + " v" + hardSet.modelVersion() + ", but --model " + model + " is model "
                    + artifact.getModelId() + " v" + artifact.getVersion() + ": evaluate with the model the hard set was"
                    + " selected with");
        }
        return artifact;
    }

    private ModelArtifact read(Dataset data, String defaultId, int defaultVersion) {
        ModelFiles.Kind kind;
        try {
            kind = ModelFiles.kind(model).orElseThrow(() -> fail("--model " + model + " is neither a model artifact file"
                    + " written by train nor a TorchScript file (a zip archive written by torch.jit.save)"));
        } catch (NoSuchFileException e) {
            throw fail("--model " + model + ": no such file");
        } catch (IOException e) {
            throw fail("--model " + model + ": cannot read it: " + e.getMessage());
        }
        ModelArtifact artifact = switch (kind) {
            case ARTIFACT -> artifactFile();
            case TORCHSCRIPT -> torchScript(data, defaultId, defaultVersion);
        };
        long inputs = artifact.getInputShape().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
        if (inputs != data.featureCount()) {
            throw fail("model " + artifact.getModelId() + " v" + artifact.getVersion() + " (--model " + model + ") takes "
                    + inputs + " inputs, but the samples of --data have " + data.featureCount() + " features");
        }
        int labels = Arrays.stream(data.labels()).max().orElse(-1) + 1;
        if (labels > artifact.getNumClasses()) {
            throw fail("model " + artifact.getModelId() + " v" + artifact.getVersion() + " (--model " + model + ") gives "
                    + artifact.getNumClasses() + " logits, but the labels of --data go up to " + (labels - 1));
        }
        return artifact;
    }

    /** A file {@code train} wrote: it names itself, so the TorchScript naming options may only repeat its name. */
    private ModelArtifact artifactFile() {
        ModelArtifact artifact;
        try {
            artifact = ModelFiles.read(model);
        } catch (IOException | RuntimeException e) {
            throw fail("--model " + model + " looks like a model artifact file but cannot be read: " + e.getMessage());
        }
        if (modelId != null && !modelId.equals(artifact.getModelId())
                || modelVersion != null && modelVersion != artifact.getVersion()) {
            throw fail("--model " + model + " is a model artifact file written by train, of model " + artifact.getModelId()
                    + " v" + artifact.getVersion() + ", which --model-id/--model-version contradict (they name a"
                    + " TorchScript model; leave them out)");
        }
        return artifact;
    }

    private ModelArtifact torchScript(Dataset data, String defaultId, int defaultVersion) {
        String id = modelId != null ? modelId : defaultId;
        int version = modelVersion != null ? modelVersion : defaultVersion;
        try {
            Keys.requireId(id, "--model-id");
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage() + (modelId == null ? " (taken from the name of --model " + model
                    + "): name the model with --model-id" : ""));
        }
        try {
            return ModelArtifacts.torchScript(id, version, Files.readAllBytes(model), data.featureCount(), Instant.now());
        } catch (IOException e) {
            throw fail("--model " + model + ": cannot read it: " + e.getMessage());
        } catch (ModelRejectedException | IllegalArgumentException e) {
            throw fail("--model " + model + ": " + e.getMessage());
        }
    }

    private ParameterException fail(String message) {
        return new ParameterException(command.commandLine(), message);
    }
}
