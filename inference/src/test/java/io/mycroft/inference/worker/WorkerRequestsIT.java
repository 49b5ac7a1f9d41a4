package io.mycroft.inference.worker;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.mycroft.inference.DjlRuntime;
import io.mycroft.inference.model.MlpSpec;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.trainer.HardSetRequests;
import io.mycroft.schemas.FloatVectors;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.TestStack;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.HardSample;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SourcePosition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Request life cycle in one worker (in-process) on the real local stack: a request whose model fails its sha256 is
 * dead-lettered and served never; a served request gets its hard set, vectors of its owners' samples, and after its
 * tombstone a hard-set tombstone and no more vectors.
 */
class WorkerRequestsIT {
    private static final MlpSpec SPEC = new MlpSpec(8, List.of(4), 2);

    @Test
    void rejectsAnUnverifiableModelAndStopsServingACancelledRequest() throws Exception {
        StackProperties stack = TestStack.shared();
        Topics topics = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, stack.schemaRegistryUrl()));
        Topic<String, OwnerSample> ownerSamples = topics.ownerSamples();
        Topic<String, SampleVectors> sampleVectors = topics.sampleVectors();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String owner = "owner-" + run;
        String served = "served-" + run;
        String refused = "refused-" + run;
        String garbageRequest = "garbage-request-" + run;
        String garbageModel = "garbage-model-" + run;
        byte[] garbage = {0, 0x7f, 1, 2, 3, 4, 5};

        DjlRuntime.start();
        Engine.getEngine("PyTorch").setRandomSeed(3);
        ModelArtifact good;
        try (Network network = ModelArtifacts.newNetwork("good", SPEC, Device.cpu())) {
            good = ModelArtifacts.djl("good-" + run, 1, SPEC, network, Instant.now());
        }
        ModelArtifact tampered = ModelArtifact.newBuilder(good).setModelId("tampered-" + run).setSha256("0".repeat(64)).build();

        try (InProcessWorker worker = InProcessWorker.start(new WorkerConfig(stack.bootstrapServers(), stack.schemaRegistryUrl(),
                "", "requests-it-" + run, "requests-it-" + run, 16, Duration.ofMillis(20), "cpu"));
             KafkaProducer<String, byte[]> producer = StackClients.producer(stack);
             KafkaConsumer<String, byte[]> reader = StackClients.committedReader(stack)) {
            StackClients.send(producer, topics.models(), good.getModelId(), good);
            StackClients.send(producer, topics.models(), tampered.getModelId(), tampered);
            StackClients.send(producer, topics.hardsetRequests(), refused, request(refused, tampered));
            StackClients.send(producer, topics.hardsetRequests(), served, request(served, good));
            // Issue 17: garbage on hardset-requests or models was skipped with a log line; now it is lettered.
            producer.send(new ProducerRecord<>(topics.hardsetRequests().name(), garbageRequest, garbage));
            producer.send(new ProducerRecord<>(topics.models().name(), garbageModel, garbage));
            for (int i = 0; i < 20; i++) {
                StackClients.send(producer, ownerSamples, owner, sample(owner, i));
            }
            producer.flush();

            reader.subscribe(List.of(sampleVectors.name(), topics.hardsetVectors().name(), topics.deadLetters().name()));
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(seen::add);
                return vectorsOf(seen, sampleVectors, Keys.requestOwner(served, owner)) == 20 && deadLettersFor(seen, topics, refused).size() == 1
                        && deadLettersFor(seen, topics, garbageRequest).size() == 1 && deadLettersFor(seen, topics, garbageModel).size() == 1;
            });
            for (String key : List.of(garbageRequest, garbageModel)) {
                DeadLetter letter = deadLettersFor(seen, topics, key).get(0);
                assertThat(letter.getReason()).contains("UNKNOWN_SCHEMA_ID");
                assertThat(letter.getOriginalValue().array()).isEqualTo(garbage);
                assertThat(letter.getOffset()).isNotNull();
            }
            assertThat(deadLettersFor(seen, topics, refused).get(0).getOffset()).as("the refused request's own offset").isNotNull();
            assertThat(deadLettersFor(seen, topics, refused).get(0).getReason()).contains("sha256").contains("refusing");
            assertThat(seen).filteredOn(r -> r.topic().equals(topics.hardsetVectors().name()) && r.key().equals(served)).hasSize(1);
            assertThat(seen).noneMatch(r -> r.key().equals(refused) && r.topic().equals(topics.hardsetVectors().name()));
            assertThat(seen).noneMatch(r -> r.topic().equals(sampleVectors.name()) && Keys.requestOf(r.key()).equals(refused));

            producer.send(new ProducerRecord<>(topics.hardsetRequests().name(), served, null)); // cancel
            producer.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream().anyMatch(r -> r.topic().equals(topics.hardsetVectors().name()) && r.key().equals(served)
                        && r.value() == null);
            });
            for (int i = 20; i < 40; i++) {
                StackClients.send(producer, ownerSamples, owner, sample(owner, i));
            }
            producer.flush();
            Thread.sleep(3000);
            reader.poll(Duration.ofMillis(500)).forEach(seen::add);
            assertThat(vectorsOf(seen, sampleVectors, Keys.requestOwner(served, owner))).as("no vectors after the cancel").isEqualTo(20);
            assertThat(worker.worker().progress()).doesNotContainKey(served);
            producer.send(new ProducerRecord<>(topics.hardsetRequests().name(), refused, null)); // leave no request behind
            producer.send(new ProducerRecord<>(topics.hardsetRequests().name(), garbageRequest, null));
        }
    }

    /** Vectors of this test's owner: the request covers every owner sample on the (shared) topic, other tests' too. */
    private static int vectorsOf(List<ConsumerRecord<String, byte[]>> seen, Topic<String, SampleVectors> topic, String key) {
        return seen.stream().filter(r -> r.topic().equals(topic.name()) && r.key().equals(key))
                .mapToInt(r -> StackClients.value(topic, r).getSamples().size()).sum();
    }

    private static List<DeadLetter> deadLettersFor(List<ConsumerRecord<String, byte[]>> seen, Topics topics, String requestId) {
        Topic<String, DeadLetter> topic = topics.deadLetters();
        return seen.stream().filter(r -> r.topic().equals(topic.name()) && requestId.equals(r.key()))
                .map(r -> StackClients.value(topic, r)).toList();
    }

    private static HardSetRequest request(String id, ModelArtifact model) {
        return HardSetRequest.newBuilder().setRequestId(id).setModelId(model.getModelId()).setModelVersion(1)
                .setMethod(SelectionMethod.GRADIENT).setBudget(4).setPerHardSample(4)
                .setHardSamples(List.of(new HardSample("h", 1, FloatVectors.of(1, 1, 0, 0, 1, 1, 0, 0))))
                .setOptions(HardSetRequests.defaultOptions()).setCreatedAt(Instant.now()).build();
    }

    private static OwnerSample sample(String owner, int i) {
        return OwnerSample.newBuilder().setOwnerId(owner).setSampleId("s" + i).setLabel(i % 2)
                .setFeatures(FloatVectors.of(i, 1, 0, 0, 1, 1, 0, 0)).setSource(new SourcePosition("it", "it", (long) i))
                .setIngestedAt(Instant.now()).build();
    }
}
