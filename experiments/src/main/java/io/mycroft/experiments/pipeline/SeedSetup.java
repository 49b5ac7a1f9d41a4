package io.mycroft.experiments.pipeline;

import io.mycroft.experiments.data.DatasetLoader;
import io.mycroft.experiments.scenario.GeneratedData;
import io.mycroft.experiments.data.HardSetSplit;
import io.mycroft.experiments.scenario.OwnerDataGenerator;
import io.mycroft.experiments.scenario.Scenario;
import io.mycroft.inference.DjlRuntime;
import io.mycroft.inference.model.Architecture;
import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.MlpTrainer;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.model.Predictions;
import io.mycroft.inference.trainer.HardSet;
import io.mycroft.inference.trainer.HardSetRequests;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One seed of a scenario, ready to stream, as the demo and the experiments both prepare it: the owners' generated files,
 * the model trainer's data splits, its trained model ({@link ModelTrainerSetup}) and D_hard (the weak classes' wrong
 * validation samples, {@code hardSet.sharedPerClass} per class shared, the rest held out). The model stays open for
 * the caller's own use (the experiment embeds owner data with it): close the setup when done.
 */
public record SeedSetup(Scenario scenario, long seed, Path generatedDir, GeneratedData generated, Dataset train,
                        Dataset validation, Dataset test, Architecture architecture, Network network, ModelArtifact artifact,
                        HardSetSplit split, HardSet hardSet, double testAccuracy) implements AutoCloseable {

    /**
     * Generates the seed's data under {@code dir/generated} from the shipped data in {@code dataDir}, trains the MT's model
     * (artifact {@code modelId}, version 1) and selects D_hard; fails when the model gets too few samples wrong.
     */
    public static SeedSetup prepare(Scenario scenario, long seed, Path dataDir, Path dir, String modelId) throws IOException {
        Path generatedDir = dir.resolve("generated");
        GeneratedData generated = OwnerDataGenerator.generate(scenario, DatasetLoader.load(dataDir, scenario.dataset()), seed,
                generatedDir);
        Path mtDir = generatedDir.resolve(OwnerDataGenerator.MODEL_TRAINER_DIR);
        Dataset train = ModelTrainerSetup.read(mtDir, "train", scenario.dataset());
        Dataset validation = ModelTrainerSetup.read(mtDir, "validation", scenario.dataset());
        Dataset test = ModelTrainerSetup.read(mtDir, "test", scenario.dataset());
        List<String> classNames = scenario.dataset().classNames();
        List<Integer> weak = scenario.modelTrainer().weakClasses().stream().map(classNames::indexOf).sorted().toList();

        DjlRuntime.start();
        Architecture architecture = ModelTrainerSetup.architecture(scenario, train.featureCount());
        Network network = MlpTrainer.train(modelId, architecture, train, ModelTrainerSetup.training(scenario));
        try {
            ModelArtifact artifact = ModelArtifacts.djl(modelId, 1, architecture, network, Instant.now());
            int[] predicted = Arrays.stream(Predictions.logits(network, validation)).mapToInt(Predictions::argmax).toArray();
            long[] ids = IntStream.range(0, validation.size()).mapToLong(i -> i).toArray();
            HardSetSplit split = HardSetSplit.select(ids, validation.labels(), predicted, weak,
                    scenario.hardSet().sharedPerClass(), seed);
            int[] shared = split.shared().values().stream().flatMap(List::stream).mapToInt(Long::intValue).toArray();
            int[] heldOut = Arrays.stream(split.heldOutIds()).mapToInt(l -> (int) l).toArray();
            if (shared.length == 0 || heldOut.length == 0) {
                throw new IllegalStateException("seed " + seed + ": the MT model gets too few weak-class validation samples "
                        + "wrong (" + shared.length + " shared, " + heldOut.length + " held out): nothing to select for");
            }
            return new SeedSetup(scenario, seed, generatedDir, generated, train, validation, test, architecture, network,
                    artifact, split, new HardSet(weak, shared, heldOut), Predictions.accuracy(network, test));
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** The held-out part of D_hard: what every gain is measured on. */
    public Dataset heldOutHard() {
        return validation.select(hardSet.heldOut());
    }

    /** A request for this seed's D_hard and model, with the default selection options; budget k·|shared|. */
    public HardSetRequest request(String requestId, SelectionMethod method, int kPerHard) {
        return request(requestId, method, kPerHard, null);
    }

    /** As {@link #request(String, SelectionMethod, int)}, with label consistency over k hard neighbours when {@code labelConsistency} is set. */
    public HardSetRequest request(String requestId, SelectionMethod method, int kPerHard, Integer labelConsistency) {
        SelectionOptions options = HardSetRequests.defaultOptions();
        options.setLabelConsistencyNeighbours(labelConsistency);
        return HardSetRequests.of(requestId, artifact.getModelId(), artifact.getVersion(), validation, hardSet, method,
                kPerHard, options, Instant.now());
    }

    /** An owner's generated directory (the files its feeder copies into the connector's watched directory over time). */
    public Path ownerDirectory(GeneratedData.OwnerFiles owner) {
        Path dir = Path.of(owner.directory());
        return dir.isAbsolute() ? dir : generatedDir.resolve(dir);
    }

    @Override
    public void close() {
        network.close();
    }
}
