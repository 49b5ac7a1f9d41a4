package io.mycroft.cli.trainer;

import io.mycroft.inference.cli.ConnectionOptions;
import ai.djl.Device;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.trainer.HardSet;
import io.mycroft.inference.trainer.HardSetFile;
import io.mycroft.inference.trainer.HardSetRequests;
import io.mycroft.inference.trainer.MtData;
import io.mycroft.processors.DefaultMethod;
import io.mycroft.schemas.Keys;
import mycroft.schemas.HardSetPrivacy;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.SelectionMethod;
import io.mycroft.cli.PrivacyOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mycroft hardset}: select D_hard from the validation set, publish the model (a DJL artifact written by
 * {@code train} or a TorchScript file, see {@link ModelOptions}) and the HardSetRequest (its shared part), and keep the
 * held-out part in a file for {@code evaluate}.
 */
@Command(name = "hardset", mixinStandardHelpOptions = true,
        description = "Select D_hard (weak classes, misclassified or least confident), publish the model and a HardSetRequest.")
public final class HardSetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    ModelOptions model;

    @Mixin
    TrainerLogin login;

    @Option(names = "--data", required = true, description = "IDX directory; D_hard comes from the first half of t10k.")
    Path data;

    @Option(names = "--request-id", required = true, description = "Id of the new request.")
    String requestId;

    @Option(names = "--weak-classes", defaultValue = "3", description = "Classes of lowest validation accuracy to take (default: ${DEFAULT-VALUE}).")
    int weakClasses;

    @Option(names = "--per-class", defaultValue = "8", description = "Hard samples per weak class, shared + held out (default: ${DEFAULT-VALUE}).")
    int perClass;

    @Option(names = "--shared", defaultValue = "4", description = "Of those, how many per class go to the owners (paper: 4) (default: ${DEFAULT-VALUE}).")
    int shared;

    @Option(names = "--method", defaultValue = DefaultMethod.NAME, description = "FEATURE, GRADIENT or FUNCFEAT (default: ${DEFAULT-VALUE}, reports/default-method.md).")
    SelectionMethod method;

    @Option(names = "--per-hard-sample", defaultValue = "4", description = "k: budget per hard sample (default: ${DEFAULT-VALUE}).")
    int k;

    @Mixin
    PrivacyOptions privacyOptions;

    @Option(names = "--privacy-seed", paramLabel = "S", defaultValue = "0", description = "Seed of the noise (default: ${DEFAULT-VALUE}).")
    long privacySeed;

    @Option(names = "--out", required = true, description = "Where to keep the hard set (JSON: shared and held-out validation indices).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Keys.requireId(requestId, "--request-id");
        login.requireOwn(requestId, "--request-id");
        Map<String, Object> kafkaLogin = login.kafkaConfig();
        HardSetPrivacy privacy = privacyOptions.privacy(spec, privacySeed);
        MtData mt = MtData.read(data, 1);
        ModelArtifact artifact = model.forHardSet(mt.validation());
        login.requireOwn(artifact.getModelId(), "model id");
        HardSet hardSet;
        try (Network network = ModelArtifacts.load(artifact, Device.cpu())) {
            hardSet = HardSet.select(network, mt.validation(), weakClasses, perClass, shared);
        }
        HardSetRequest request = HardSetRequests.of(requestId, artifact.getModelId(), artifact.getVersion(), mt.validation(),
                hardSet, method, k, HardSetRequests.defaultOptions(), Instant.now());
        request.setPrivacy(privacy);
        HardSetFile.of(requestId, artifact.getModelId(), artifact.getVersion(), hardSet).write(out);
        try (KafkaIo kafka = new KafkaIo(connection, kafkaLogin)) {
            kafka.publish(login.topic(kafka.topics(), kafka.topics().models()), artifact.getModelId(), artifact);
            kafka.publish(login.topic(kafka.topics(), kafka.topics().hardsetRequests()), requestId, request);
        }
        spec.commandLine().getOut().printf("request %s: weak classes %s, %d hard samples shared, %d held out, budget %d; wrote %s%n",
                requestId, hardSet.weakClasses(), hardSet.shared().length, hardSet.heldOut().length, request.getBudget(), out);
        return 0;
    }
}
