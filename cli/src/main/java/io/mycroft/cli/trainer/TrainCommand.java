package io.mycroft.cli.trainer;

import io.mycroft.inference.cli.ConnectionOptions;
import io.mycroft.inference.model.Architecture;
import io.mycroft.inference.model.CnnBlock;
import io.mycroft.inference.model.CnnSpec;
import io.mycroft.inference.model.MlpSpec;
import io.mycroft.inference.model.MlpTrainer;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.ModelFiles;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.model.Predictions;
import io.mycroft.inference.trainer.MtData;
import mycroft.schemas.ModelArtifact;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.Map;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mycroft train}: the model trainer trains its MLP or small CNN (seeded) and keeps it as a model artifact file. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the model trainer's MLP or small CNN on an IDX data set (seeded: same data and seed, same model).")
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--data", required = true, description = "IDX directory (Fashion-MNIST layout: train-*, t10k-*).")
    Path data;

    @Option(names = "--limit", defaultValue = "0", description = "Train on the first N training samples only (0 = all).")
    int limit;

    @Option(names = "--arch", defaultValue = "mlp", description = "mlp, or cnn: the small CNN of 28×28 grey images (conv 5×5×16,"
            + " pool, conv 5×5×32, pool, dense 128, the embedding) (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--hidden", split = ",", defaultValue = "256,128", description = "Hidden layer sizes of the MLP (default: ${DEFAULT-VALUE}).")
    List<Integer> hidden;

    @Option(names = "--epochs", defaultValue = "3", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--learning-rate", defaultValue = "0.001", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of initialisation and batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--model-id", description = "Model id (default: the --arch value).")
    String modelId;

    @Option(names = "--model-version", defaultValue = "1", description = "Model version (default: ${DEFAULT-VALUE}).")
    int version;

    @Option(names = "--out", required = true, description = "Where to write the model artifact (Avro file).")
    Path out;

    @Option(names = "--publish", description = "Also publish the model to the models topic (with --as, to the trainer's own).")
    boolean publish;

    @Mixin
    TrainerLogin login;

    @Override
    public Integer call() throws Exception {
        String id = modelId != null ? modelId : arch;
        Map<String, Object> kafkaLogin = Map.of();
        if (publish) { // before training: a user error should not cost a training run
            login.requireOwn(id, "--model-id");
            kafkaLogin = login.kafkaConfig();
        }
        MtData mt = MtData.read(data, limit);
        Architecture architecture = architecture(mt.training().featureCount());
        try (Network network = MlpTrainer.train(id, architecture, mt.training(),
                new MlpTrainer.Settings(epochs, batchSize, learningRate, seed))) {
            ModelArtifact artifact = ModelArtifacts.djl(id, version, architecture, network, Instant.now());
            ModelFiles.write(out, artifact);
            spec.commandLine().getOut().printf("trained %s v%d %s on %d samples: test accuracy %.4f (%d samples); sha256 %s; wrote %s%n",
                    id, version, architecture.toJson(), mt.training().size(), Predictions.accuracy(network, mt.test()),
                    mt.test().size(), artifact.getSha256(), out);
            if (publish) {
                String topic;
                try (KafkaIo kafka = new KafkaIo(connection, kafkaLogin)) {
                    var models = login.topic(kafka.topics(), kafka.topics().models());
                    kafka.publish(models, id, artifact);
                    topic = models.name();
                }
                spec.commandLine().getOut().println("published to " + topic);
            }
        }
        return 0;
    }

    private Architecture architecture(int features) {
        return switch (arch) {
            case "mlp" -> new MlpSpec(features, hidden, 10);
            case "cnn" -> {
                if (features != CnnBlock.INPUTS) {
                    throw new ParameterException(spec.commandLine(), "--arch cnn takes 28×28 grey images (" + CnnBlock.INPUTS
                            + " features); the samples of " + data + " have " + features + ": use --arch mlp");
                }
                yield new CnnSpec(10);
            }
            default -> throw new ParameterException(spec.commandLine(), "--arch must be mlp or cnn, was '" + arch + "'");
        };
    }
}
