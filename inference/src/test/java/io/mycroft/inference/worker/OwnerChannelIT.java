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
import io.mycroft.stack.SecureTestStack;
import io.mycroft.stack.StackOwners;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.StackSecurity.Principal;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.HardSample;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SourcePosition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Identity from the channel, on the real secure stack: an owner added with {@code owners add} produces to its own topic
 * as its own principal; the worker (in-process, as the worker principal) vectorises that owner's records under its id and
 * dead-letters a record there that claims another owner, with the reason and its original bytes, never vectorising it.
 */
class OwnerChannelIT {
    private static final MlpSpec SPEC = new MlpSpec(8, List.of(4), 2);

    @Test
    void aRecordOnAnOwnersTopicClaimingAnotherOwnerIsDeadLetteredAndNeverVectorised() throws Exception {
        SecureTestStack secure = SecureTestStack.shared();
        StackProperties stack = secure.endpoints();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String ownerA = "a-" + run;
        String ownerB = "b-" + run;
        String requestId = "channel-" + run;
        String key = "k-" + run;
        Path credentials = StackOwners.add(secure.workDir(), ownerA).credentials().orElseThrow();
        Topics topics = Topics.from(new HashMap<>(stack.registryConfig(Principal.ADMIN)));
        Topic<String, OwnerSample> ownTopic = topics.ownerIngestion(ownerA);
        Topic<String, SampleVectors> sampleVectors = topics.sampleVectors();

        DjlRuntime.start();
        Engine.getEngine("PyTorch").setRandomSeed(3);
        ModelArtifact model;
        try (Network network = ModelArtifacts.newNetwork("channel", SPEC, Device.cpu())) {
            model = ModelArtifacts.djl("channel-" + run, 1, SPEC, network, Instant.now());
        }
        WorkerConfig config = new WorkerConfig(stack.bootstrapServers(), stack.schemaRegistryUrl(), "",
                "mycroft-inference-channel-it-" + run, "channel-it-" + run, 16, Duration.ofMillis(20), "cpu",
                workerLogin(stack));
        try (InProcessWorker worker = InProcessWorker.start(config);
             KafkaProducer<String, byte[]> operator = StackClients.producer(stack);
             KafkaProducer<String, byte[]> owner = ownerProducer(credentials);
             KafkaConsumer<String, byte[]> reader = StackClients.committedReader(stack)) {
            StackClients.send(operator, topics.models(), model.getModelId(), model);
            StackClients.send(operator, topics.hardsetRequests(), requestId, request(requestId, model));
            operator.flush();
            // One key, one partition: the spoofed record sits between owner A's own, so A's last vector comes after it.
            byte[] spoofed = ownTopic.valueSerde().serializer().serialize(ownTopic.name(), sample(ownerB, "spoofed", 1));
            send(owner, ownTopic, key, sample(ownerA, "s0", 0));
            owner.send(new ProducerRecord<>(ownTopic.name(), key, spoofed)).get();
            send(owner, ownTopic, key, sample(ownerA, "s1", 1));
            send(owner, ownTopic, key, sample(ownerA, "s2", 2));

            reader.subscribe(List.of(sampleVectors.name(), topics.deadLetters().name()));
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(seen::add);
                return vectorIds(seen, sampleVectors, Keys.requestOwner(requestId, ownerA)).size() == 3
                        && !lettersOf(seen, topics, ownTopic.name()).isEmpty();
            });
            assertThat(vectorIds(seen, sampleVectors, Keys.requestOwner(requestId, ownerA))).containsExactlyInAnyOrder("s0", "s1", "s2");
            assertThat(seen).noneMatch(r -> r.topic().equals(sampleVectors.name()) && r.key().equals(Keys.requestOwner(requestId, ownerB)));
            List<DeadLetter> letters = lettersOf(seen, topics, ownTopic.name());
            assertThat(letters).hasSize(1);
            DeadLetter letter = letters.get(0);
            assertThat(letter.getReason()).isEqualTo("owner id " + ownerB + " does not match the channel's owner " + ownerA
                    + " (topic " + ownTopic.name() + ")");
            assertThat(letter.getOffset()).isEqualTo(1L);
            assertThat(letter.getOriginalValue().array()).isEqualTo(spoofed);
            operator.send(new ProducerRecord<>(topics.hardsetRequests().name(), requestId, null)); // leave no request behind
            operator.flush();
        }
    }

    /** The worker principal's Kafka login (over TLS) and its schema-registry login. */
    private static Map<String, String> workerLogin(StackProperties stack) {
        Map<String, String> login = new HashMap<>(stack.clientConfig(Principal.WORKER));
        login.putAll(stack.registryConfig(Principal.WORKER));
        return login;
    }

    /** Owner A's producer, configured from the client config file {@code owners add} wrote. */
    private static KafkaProducer<String, byte[]> ownerProducer(Path credentials) throws Exception {
        Properties values = new Properties();
        try (Reader in = Files.newBufferedReader(credentials)) {
            values.load(in);
        }
        Map<String, Object> config = new HashMap<>();
        values.forEach((k, v) -> config.put(k.toString(), v));
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, Topic<String, OwnerSample> topic, String key,
                             OwnerSample sample) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), sample))).get();
    }

    private static List<String> vectorIds(List<ConsumerRecord<String, byte[]>> seen, Topic<String, SampleVectors> topic, String key) {
        return seen.stream().filter(r -> r.topic().equals(topic.name()) && r.key().equals(key))
                .flatMap(r -> StackClients.value(topic, r).getSamples().stream()).map(SampleVector::getSampleId).toList();
    }

    private static List<DeadLetter> lettersOf(List<ConsumerRecord<String, byte[]>> seen, Topics topics, String sourceTopic) {
        Topic<String, DeadLetter> topic = topics.deadLetters();
        return seen.stream().filter(r -> r.topic().equals(topic.name())).map(r -> StackClients.value(topic, r))
                .filter(l -> sourceTopic.equals(l.getTopic())).toList();
    }

    private static HardSetRequest request(String id, ModelArtifact model) {
        return HardSetRequest.newBuilder().setRequestId(id).setModelId(model.getModelId()).setModelVersion(1)
                .setMethod(SelectionMethod.GRADIENT).setBudget(4).setPerHardSample(4)
                .setHardSamples(List.of(new HardSample("h", 1, FloatVectors.of(1, 1, 0, 0, 1, 1, 0, 0))))
                .setOptions(HardSetRequests.defaultOptions()).setCreatedAt(Instant.now()).build();
    }

    private static OwnerSample sample(String owner, String sampleId, int i) {
        return OwnerSample.newBuilder().setOwnerId(owner).setSampleId(sampleId).setLabel(i % 2)
                .setFeatures(FloatVectors.of(i, 1, 0, 0, 1, 1, 0, 0)).setSource(new SourcePosition("it", "it", (long) i))
                .setIngestedAt(Instant.now()).build();
    }
}
