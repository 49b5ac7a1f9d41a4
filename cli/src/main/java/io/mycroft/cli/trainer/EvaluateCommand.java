package io.mycroft.cli.trainer;

import io.mycroft.inference.cli.ConnectionOptions;
import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.MlpTrainer;
import io.mycroft.inference.trainer.Evaluator;
import io.mycroft.inference.trainer.HardSetFile;
import io.mycroft.inference.trainer.MtData;
import io.mycroft.processors.math.Vectors;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topics;
import mycroft.schemas.ClassSubset;
import mycroft.schemas.Evaluation;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SelectedSample;
import mycroft.schemas.SubsetUpdate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.concurrent.Callable;

/**
 * {@code mycroft evaluate}: fine-tune a copy of the MT model (a DJL artifact or a TorchScript file, see
 * {@link ModelOptions}) on MT data ∪ an owner's D_useful (its latest subset update and its samples on owner-samples)
 * and publish the accuracy gain as an {@link Evaluation}.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Fine-tune a copy of the model on MT data + an owner's useful subset; publish the Evaluation (seeded).")
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    ModelOptions model;

    @Option(names = "--data", required = true, description = "The IDX directory train and hardset used.")
    Path data;

    @Option(names = "--limit", defaultValue = "0", description = "The --limit train used (MT data = first N training samples).")
    int limit;

    @Option(names = "--hard-set", required = true, description = "The hard-set file written by hardset.")
    Path hardSetFile;

    @Option(names = "--owner", required = true, description = "The owner to evaluate.")
    String owner;

    @Option(names = "--epochs", defaultValue = "1", description = "Fine-tuning epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "Fine-tuning minibatch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--learning-rate", defaultValue = "0.001", description = "Fine-tuning learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--seed", defaultValue = "7", description = "Fine-tuning seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        HardSetFile hardSet = HardSetFile.read(hardSetFile);
        MtData mt = MtData.read(data, limit);
        ModelArtifact artifact = model.forEvaluation(hardSet, hardSetFile, mt.test());
        String key = Keys.requestOwner(hardSet.requestId(), owner);
        try (KafkaIo kafka = new KafkaIo(connection)) {
            SubsetUpdate[] latest = new SubsetUpdate[1];
            kafka.scan(kafka.topics().subsetUpdates(), key, update -> latest[0] = update);
            if (latest[0] == null || latest[0].getCancelled()) {
                spec.commandLine().getErr().println("evaluate: no useful subset of owner " + owner + " for request "
                        + hardSet.requestId() + " on subset-updates yet");
                return 1;
            }
            TreeSet<String> wanted = new TreeSet<>();
            for (ClassSubset c : latest[0].getClasses()) {
                c.getSelected().stream().map(SelectedSample::getSampleId).forEach(wanted::add);
            }
            Map<String, OwnerSample> found = new TreeMap<>();
            Consumer<OwnerSample> take = sample -> {
                if (sample != null && owner.equals(sample.getOwnerId()) && wanted.contains(sample.getSampleId())
                        && sample.getFeatures() != null) {
                    found.put(sample.getSampleId(), sample); // by sampleId: the same order on every run
                }
            };
            kafka.scan(kafka.topics().ownerSamples(), owner, take);
            // An owner with its own producer writes its own topic, under keys of its choosing (the worker takes
            // only the records naming that owner, as here).
            if (Topics.ingestionOwnerProblem(owner) == null) {
                kafka.scan(kafka.topics().ownerIngestion(owner), null, take);
            }
            Dataset useful = dataset(new ArrayList<>(found.values()));
            Evaluator.Gain gain = Evaluator.evaluate(artifact, mt.training(), useful,
                    mt.validation().select(hardSet.heldOut()), mt.test(),
                    new MlpTrainer.Settings(epochs, batchSize, learningRate, seed));
            Evaluation evaluation = new Evaluation(hardSet.requestId(), owner, latest[0].getSeq(), gain.subsetSize(),
                    gain.hardBefore(), gain.hardAfter(), gain.testBefore(), gain.testAfter(), seed, Instant.now());
            kafka.publish(kafka.topics().evaluations(), key, evaluation);
            spec.commandLine().getOut().printf("owner %s, subset seq %d (%d of %d selected samples found): held-out D_hard %.4f -> %.4f,"
                    + " test %.4f -> %.4f%n", owner, latest[0].getSeq(), useful.size(), wanted.size(), gain.hardBefore(),
                    gain.hardAfter(), gain.testBefore(), gain.testAfter());
        }
        return 0;
    }

    private static Dataset dataset(List<OwnerSample> samples) {
        float[][] features = new float[samples.size()][];
        int[] labels = new int[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            OwnerSample s = samples.get(i);
            features[i] = Vectors.fromBytes(s.getFeatures().getValues(), s.getFeatures().getDim());
            labels[i] = s.getLabel();
        }
        return new Dataset(features, labels);
    }
}
