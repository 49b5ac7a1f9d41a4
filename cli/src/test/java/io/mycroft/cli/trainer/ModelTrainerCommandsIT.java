package io.mycroft.cli.trainer;

import io.mycroft.inference.cli.ConnectionOptions;
import ai.djl.Device;
import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.ModelFiles;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.trainer.HardSetFile;
import io.mycroft.schemas.FloatVectors;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topic;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.TestStack;
import mycroft.schemas.ClassSubset;
import mycroft.schemas.Evaluation;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SelectedSample;
import mycroft.schemas.SourcePosition;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model trainer's commands on the real local stack, with the MLP, the small CNN and a TorchScript file as the
 * model: train (twice: same model), hardset (publishes model and request), evaluate an owner's useful subset twice
 * (same numbers). The subset update stands in for the Streams app.
 */
class ModelTrainerCommandsIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn"})
    void trainHardSetEvaluateThroughTheCommands(String arch) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String[] train = {"--arch", arch, "--data", data().toString(), "--limit", "600", "--hidden", "64,32", "--epochs", "2",
                "--seed", "42", "--model-id", arch + "-" + run};

        String first = run(new TrainCommand(), concat(train, "--out", dir.resolve("a.model").toString()));
        String second = run(new TrainCommand(), concat(train, "--out", dir.resolve("b.model").toString()));
        assertThat(ModelFiles.read(dir.resolve("b.model")).getSha256()).isEqualTo(ModelFiles.read(dir.resolve("a.model")).getSha256());
        assertThat(first).contains("test accuracy").contains("on 600 samples");
        assertThat(second.replace("b.model", "a.model")).isEqualTo(first);

        String output = hardSetThenEvaluateTwice(run, dir.resolve("a.model"));
        assertThat(published(arch + "-" + run)).containsExactly(ModelFiles.read(dir.resolve("a.model")));
        System.out.println(first + output);
    }

    /**
     * A PyTorch shop's model: the committed {@code mlp.pt} (untrained 784-32-16-10, exported by python3-torch), named
     * by its file name. hardset publishes it as the TorchScript artifact of its bytes; evaluate fine-tunes it.
     */
    @Test
    void hardSetEvaluateATorchScriptFileThroughTheCommands() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path pt = Files.copy(InferenceTestResources.torchScriptMlp(), dir.resolve("ts-" + run + ".pt"));

        String output = hardSetThenEvaluateTwice(run, pt);

        List<ModelArtifact> models = published("ts-" + run);
        assertThat(models).hasSize(1);
        ModelArtifact model = models.get(0);
        byte[] file = Files.readAllBytes(pt);
        assertThat(model).isEqualTo(ModelArtifacts.torchScript("ts-" + run, 1, file, 784, 10, 16, model.getCreatedAt()));
        assertThat(model.getSha256()).isEqualTo(ModelArtifacts.sha256(file));
        try (Network network = ModelArtifacts.load(model, Device.cpu())) { // as a worker loads it from the topic
            assertThat(network.forward(new float[1][784]).embeddings()[0]).hasSize(16);
        }
        assertThat(HardSetFile.read(dir.resolve("hardset.json")).modelId()).isEqualTo("ts-" + run);
        System.out.println(output);
    }

    /**
     * hardset with {@code model}, an owner's 30 weak-class samples and a subset update of them, evaluate twice: the
     * same output and the same Evaluation. Returns the commands' output.
     */
    private String hardSetThenEvaluateTwice(String run, Path model) throws Exception {
        StackProperties stack = TestStack.shared();
        String requestId = "mt-" + run;
        String owner = "owner-" + run;
        Path data = data();
        String[] connection = {"--bootstrap-servers", stack.bootstrapServers(), "--schema-registry", stack.schemaRegistryUrl()};

        long started = System.nanoTime();
        String hardset = run(new HardSetCommand(), concat(connection, "--model", model.toString(),
                "--data", data.toString(), "--request-id", requestId, "--out", dir.resolve("hardset.json").toString()));
        long hardsetMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(hardset).contains("12 hard samples shared, 12 held out, budget 48");
        HardSetFile hardSet = HardSetFile.read(dir.resolve("hardset.json"));

        List<String> selected = new ArrayList<>();
        try (KafkaIo kafka = new KafkaIo(options(stack))) {
            List<HardSetRequest> requests = new ArrayList<>();
            kafka.scan(kafka.topics().hardsetRequests(), requestId, requests::add);
            assertThat(requests).hasSize(1);
            assertThat(requests.get(0).getHardSamples()).hasSize(12);
            assertThat(requests.get(0).getModelId()).isEqualTo(hardSet.modelId());
            Dataset ownerData = Dataset.idx(data, "train").slice(600, 1200);
            // Half the owner's samples come through a connector (owner-samples, keyed by owner), half from its own
            // producer (its own topic, keyed as it likes): evaluate reads both.
            Topic<String, OwnerSample> ownTopic = kafka.topics().ownerIngestion(owner);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(ownTopic.name(), 1, (short) 1))).all().get();
            }
            for (int i = 0; i < ownerData.size(); i++) {
                if (hardSet.weakClasses().contains(ownerData.labels()[i]) && selected.size() < 30) {
                    String id = "s" + i;
                    boolean own = selected.size() % 2 == 1;
                    selected.add(id);
                    kafka.publish(own ? ownTopic : kafka.topics().ownerSamples(), own ? id : owner, OwnerSample.newBuilder().setOwnerId(owner).setSampleId(id)
                            .setLabel(ownerData.labels()[i]).setFeatures(FloatVectors.of(ownerData.features()[i]))
                            .setSource(new SourcePosition("idx", "train", (long) i)).setIngestedAt(Instant.now()).build());
                }
            }
            List<SelectedSample> chosen = selected.stream().map(id -> new SelectedSample(id, 1.0)).toList();
            kafka.publish(kafka.topics().subsetUpdates(), Keys.requestOwner(requestId, owner), SubsetUpdate.newBuilder()
                    .setRequestId(requestId).setOwnerId(owner).setSeq(3).setSamplesSeen(30)
                    .setClasses(List.of(new ClassSubset(hardSet.weakClasses().get(0), chosen, 0.5, 1.0, null)))
                    .setScore(0.5).setAsOf(Instant.now()).build());
        }

        // An undecodable record of the owner (the worker dead-letters those) does not stop an evaluation.
        try (KafkaProducer<String, String> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            raw.send(new ProducerRecord<>("owner-samples", owner, "not avro")).get();
            // Workers of other tests on this stack need not serve the request: cancel it (a tombstone).
            raw.send(new ProducerRecord<>("hardset-requests", requestId, null)).get();
        }
        String[] evaluate = concat(connection, "--model", model.toString(), "--data", data.toString(),
                "--limit", "600", "--hard-set", dir.resolve("hardset.json").toString(), "--owner", owner);
        started = System.nanoTime();
        String once = run(new EvaluateCommand(), evaluate);
        long evaluateMillis = (System.nanoTime() - started) / 1_000_000;
        String twice = run(new EvaluateCommand(), evaluate);
        assertThat(once).contains("subset seq 3 (30 of 30 selected samples found)");
        assertThat(twice).isEqualTo(once);

        List<Evaluation> evaluations = new ArrayList<>();
        try (KafkaIo kafka = new KafkaIo(options(stack))) {
            kafka.scan(kafka.topics().evaluations(), Keys.requestOwner(requestId, owner), evaluations::add);
        }
        assertThat(evaluations).hasSize(2);
        Evaluation a = evaluations.get(0);
        Evaluation b = evaluations.get(1);
        b.setEvaluatedAt(a.getEvaluatedAt());
        assertThat(b).isEqualTo(a);
        assertThat(a.getSubsetSize()).isEqualTo(30);
        assertThat(a.getSeed()).isEqualTo(7);
        return hardset + once + "hardset " + hardsetMillis + " ms, evaluate " + evaluateMillis + " ms\n";
    }

    /** Every model the models topic holds under {@code modelId}, in order. */
    private static List<ModelArtifact> published(String modelId) {
        List<ModelArtifact> models = new ArrayList<>();
        try (KafkaIo kafka = new KafkaIo(options(TestStack.shared()))) {
            kafka.scan(kafka.topics().models(), modelId, models::add);
        }
        return models;
    }

    private static Path data() throws Exception {
        return InferenceTestResources.fashionMnistSubset();
    }

    private static ConnectionOptions options(StackProperties stack) {
        return CommandLine.populateCommand(new ConnectionOptions(), "--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry", stack.schemaRegistryUrl());
    }

    private static String run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        assertThat(code).as("exit code; stderr: " + err).isZero();
        return out.toString();
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
