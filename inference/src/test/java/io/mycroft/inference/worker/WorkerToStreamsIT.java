package io.mycroft.inference.worker;

import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.MlpSpec;
import io.mycroft.inference.model.MlpTrainer;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.trainer.HardSet;
import io.mycroft.inference.trainer.HardSetRequests;
import io.mycroft.inference.trainer.MtData;
import io.mycroft.schemas.FloatVectors;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.TestStack;
import io.mycroft.topology.MycroftStreamsApp;
import io.mycroft.topology.MycroftStreamsConfig;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SourcePosition;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole path on the real local stack: a model trained here, its D_hard and request, two owners' Fashion-MNIST
 * samples; the inference worker's hard-set and sample vectors feed the real Streams app (topology/), which selects
 * useful subsets and ranks the owners — so the worker's records are exactly what the selection side decodes.
 */
class WorkerToStreamsIT {
    private static final MlpSpec SPEC = new MlpSpec(784, List.of(32, 16), 10);

    @Test
    void workerVectorsBecomeSubsetsAndARanking() throws Exception {
        StackProperties stack = TestStack.shared();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String requestId = "e2e-" + run;
        Topics topics = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, stack.schemaRegistryUrl()));
        Topic<String, OwnerSample> ownerSamples = topics.ownerSamples();
        Path data = Path.of(getClass().getResource("/fashion-mnist-subset").toURI());
        MtData mt = MtData.read(data, 600);
        Dataset pool = Dataset.idx(data, "train").slice(600, 1200);

        ModelArtifact artifact;
        HardSetRequest request;
        try (Network network = MlpTrainer.train("e2e", SPEC, mt.training(), new MlpTrainer.Settings(1, 64, 1e-3f, 5))) {
            artifact = ModelArtifacts.djl("e2e-" + run, 1, SPEC, network, Instant.now());
            HardSet hardSet = HardSet.select(network, mt.validation(), 2, 4, 2);
            request = HardSetRequests.of(requestId, artifact.getModelId(), 1, mt.validation(), hardSet, SelectionMethod.GRADIENT,
                    2, HardSetRequests.defaultOptions(), Instant.now());
        }
        Set<Integer> weak = new HashSet<>();
        request.getHardSamples().forEach(h -> weak.add(h.getLabel()));

        Map<String, String> settings = new HashMap<>(Map.of(
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                SerdeConfig.REGISTRY_URL, stack.schemaRegistryUrl(),
                StreamsConfig.APPLICATION_ID_CONFIG, "e2e-" + run,
                StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("e2e-streams").toString(),
                MycroftStreamsConfig.RANKING_EMIT_INTERVAL_MS, "200",
                MycroftStreamsConfig.HTTP_PORT, "0"));
        Set<String> owners = Set.of("owner-0-" + run, "owner-1-" + run);
        try (InProcessWorker worker = InProcessWorker.start(new WorkerConfig(stack.bootstrapServers(), stack.schemaRegistryUrl(),
                "", "e2e-worker-" + run, "e2e-worker-" + run, 64, Duration.ofMillis(20), "cpu"));
             MycroftStreamsApp app = new MycroftStreamsApp(MycroftStreamsConfig.of(settings));
             KafkaProducer<String, byte[]> producer = StackClients.producer(stack)) {
            app.start();
            StackClients.send(producer, topics.models(), artifact.getModelId(), artifact);
            StackClients.send(producer, topics.hardsetRequests(), requestId, request);
            for (int i = 0; i < pool.size(); i++) {
                if (weak.contains(pool.labels()[i])) {
                    String owner = "owner-" + (i % 2) + "-" + run; // two owners share the weak classes' samples
                    StackClients.send(producer, ownerSamples, owner, OwnerSample.newBuilder().setOwnerId(owner).setSampleId("p" + i)
                            .setLabel(pool.labels()[i]).setFeatures(FloatVectors.of(pool.features()[i]))
                            .setSource(new SourcePosition("idx", "train", (long) (600 + i))).setIngestedAt(Instant.now()).build());
                }
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(90)).until(() -> app.streams().state() == KafkaStreams.State.RUNNING);

            try (KafkaConsumer<String, byte[]> reader = StackClients.committedReader(stack)) {
                reader.subscribe(List.of(topics.ownerRankings().name(), topics.subsetUpdates().name()));
                OwnerRanking[] ranking = new OwnerRanking[1];
                Map<String, SubsetUpdate> subsets = new HashMap<>();
                Topic<String, OwnerRanking> rankings = topics.ownerRankings();
                Topic<String, SubsetUpdate> updates = topics.subsetUpdates();
                // The request also covers other tests' owner samples on the shared topic: look at this test's owners.
                await().atMost(Duration.ofSeconds(120)).until(() -> {
                    for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                        if (r.topic().equals(rankings.name()) && requestId.equals(r.key())) {
                            ranking[0] = StackClients.value(rankings, r);
                        } else if (r.topic().equals(updates.name()) && r.key().startsWith(requestId + "|")
                                && owners.contains(Keys.ownerOf(r.key()))) {
                            subsets.put(r.key(), StackClients.value(updates, r));
                        }
                    }
                    return ranking[0] != null && ranking[0].getOwners().stream().filter(o -> owners.contains(o.getOwnerId())).count() == 2
                            && subsets.size() == 2;
                });
                for (SubsetUpdate update : subsets.values()) {
                    assertThat(update.getClasses()).extracting(c -> c.getLabel()).containsExactlyInAnyOrderElementsOf(weak);
                    update.getClasses().forEach(c -> assertThat(c.getSelected()).isNotEmpty()
                            .allSatisfy(s -> assertThat(s.getSampleId()).startsWith("p")));
                    assertThat(update.getScore()).isGreaterThan(0);
                }
                assertThat(ranking[0].getOwners()).extracting(o -> o.getOwnerId()).filteredOn(owners::contains)
                        .containsExactlyInAnyOrderElementsOf(owners);
            }
            producer.send(new ProducerRecord<>(topics.hardsetRequests().name(), requestId, null)); // leave no request behind
        }
    }
}
