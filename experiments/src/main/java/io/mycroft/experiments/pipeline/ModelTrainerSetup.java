package io.mycroft.experiments.pipeline;

import io.mycroft.experiments.data.CsvFiles;
import io.mycroft.experiments.data.DatasetId;
import io.mycroft.experiments.scenario.Scenario;
import io.mycroft.inference.model.Architecture;
import io.mycroft.inference.model.CnnSpec;
import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.MlpSpec;
import io.mycroft.inference.model.MlpTrainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The model trainer's side of a scenario as the demo and the experiments run it: its data, its model, its training. */
public final class ModelTrainerSetup {
    /** Hidden layers of the MT's MLP. */
    public static final List<Integer> HIDDEN = List.of(256, 128);
    public static final MlpTrainer.Settings FINE_TUNE = new MlpTrainer.Settings(3, 32, 1e-3f, 7);

    private ModelTrainerSetup() {
    }

    /** How the MT trains its model: the scenario's {@code modelTrainer.training}, training seed 42. */
    public static MlpTrainer.Settings training(Scenario scenario) {
        Scenario.Training t = scenario.modelTrainer().training();
        return new MlpTrainer.Settings(t.epochs(), t.batchSize(), (float) t.learningRate(), 42);
    }

    /** The scenario's MT model for {@code inputs} features: the MLP ({@link #HIDDEN}) or the small image CNN. */
    public static Architecture architecture(Scenario scenario, int inputs) {
        int classes = scenario.dataset().classNames().size();
        return scenario.modelTrainer().model().equals(Scenario.ModelTrainerData.CNN) ? new CnnSpec(classes)
                : new MlpSpec(inputs, HIDDEN, classes);
    }

    /** "MLP 784-256-128-10" or "CNN 784-128-10" (inputs, embedding h, classes), for logs and reports. */
    public static String describe(Architecture architecture) {
        if (architecture instanceof MlpSpec mlp) {
            return "MLP " + mlp.inputs() + "-" + mlp.hidden().stream().map(String::valueOf).collect(Collectors.joining("-"))
                    + "-" + mlp.classes();
        }
        return "CNN " + architecture.inputs() + "-" + architecture.embeddingDim() + "-" + architecture.classes();
    }

    /**
     * A split as the model sees it: images from IDX (pixels / 255, as the inference worker decodes them), tabular rows
     * from CSV with their raw column values (as an owner sample's {@code features} vector carries them).
     */
    public static Dataset read(Path dir, String kind, DatasetId id) throws IOException {
        if (id.kind() == DatasetId.Kind.IMAGE) {
            return Dataset.idx(dir, kind);
        }
        return CsvFiles.read(dir.resolve(kind + ".csv"), id).pool();
    }
}
