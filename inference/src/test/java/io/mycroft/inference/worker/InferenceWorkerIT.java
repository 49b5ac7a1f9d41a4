package io.mycroft.inference.worker;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.mycroft.inference.DjlRuntime;
import io.mycroft.inference.InferenceWorkerMain;
import io.mycroft.inference.model.MlpSpec;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.vectors.LastLayerGradient;
import io.mycroft.processors.math.Vectors;
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
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;
import mycroft.schemas.SourcePosition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker process on the real local stack turns owner samples into vectors exactly once across a crash: 400 samples
 * are on the topic before the request (backfill), 600 arrive while it runs; the first worker process is killed
 * (SIGKILL) mid-stream, a second with the same worker id takes over; a read_committed consumer then sees every sample
 * exactly once, one hard set, and one dead letter per bad sample.
 */
class InferenceWorkerIT {
    private static final MlpSpec SPEC = new MlpSpec(16, List.of(8), 3);
    private static final int BEFORE = 400;
    private static final int AFTER = 600;
    private static final int OWNERS = 5;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String requestId = "r-" + run;
    private final List<Process> workers = new ArrayList<>();
    private StackProperties stack;
    private Topics topics;
    // One topic (serde) each: a serde caches schema ids, a new one asks the registry again.
    private Topic<String, OwnerSample> ownerSamples;
    private Topic<String, SampleVectors> sampleVectors;

    @AfterEach
    void killWorkers() {
        workers.forEach(Process::destroyForcibly);
    }

    @Test
    void everySampleBecomesVectorsExactlyOnceAcrossAWorkerCrash() throws Exception {
        stack = TestStack.shared();
        topics = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, stack.schemaRegistryUrl()));
        ownerSamples = topics.ownerSamples();
        sampleVectors = topics.sampleVectors();
        String group = "inference-it-" + run;
        try (KafkaProducer<String, byte[]> producer = StackClients.producer(stack);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            for (int i = 0; i < BEFORE; i++) {
                StackClients.send(producer, ownerSamples, owner(i), sample(i, SPEC.inputs(), i % 3));
            }
            StackClients.send(producer, ownerSamples, owner(0), sample(9001, 5, 1));            // wrong feature count
            StackClients.send(producer, ownerSamples, owner(1), sample(9002, SPEC.inputs(), 7)); // unknown label
            producer.send(new ProducerRecord<>(ownerSamples.name(), owner(2), "not avro".getBytes(StandardCharsets.UTF_8)));
            producer.flush();

            Path logA = Files.createTempFile("worker-a-", ".log");
            workers.add(startWorker(group, logA));
            // The worker first consumes the 400 + 3 samples while no request exists: they must be backfilled later.
            await().atMost(Duration.ofSeconds(90)).until(() -> lag(admin, group) == 0);

            Network model = seededModel();
            ModelArtifact artifact = ModelArtifacts.djl("m-" + run, 1, SPEC, model, Instant.now());
            StackClients.send(producer, topics.models(), artifact.getModelId(), artifact);
            StackClients.send(producer, topics.hardsetRequests(), requestId, request(artifact));
            producer.flush();

            try (KafkaConsumer<String, byte[]> reader = StackClients.committedReader(stack)) {
                reader.subscribe(List.of(sampleVectors.name()));
                Map<String, Integer> seen = new HashMap<>();
                List<SampleVector> all = new ArrayList<>();
                for (int i = BEFORE; i < BEFORE + AFTER; i++) {
                    StackClients.send(producer, ownerSamples, owner(i), sample(i, SPEC.inputs(), i % 3));
                    if (i % 50 == 49) {
                        producer.flush();
                        read(reader, all, seen);
                        if (workers.size() == 1 && all.size() >= 300) {
                            workers.get(0).destroyForcibly().waitFor(); // SIGKILL: no clean shutdown, no last commit
                            int atKill = all.size();
                            assertThat(atKill).as("vectors committed when the first worker was killed").isLessThan(BEFORE + AFTER);
                            workers.add(startWorker(group, Files.createTempFile("worker-b-", ".log")));
                        }
                    }
                }
                producer.flush();
                assertThat(workers).as("the first worker was killed mid-way").hasSize(2);
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    read(reader, all, seen);
                    return seen.size() >= BEFORE + AFTER && lag(admin, group) == 0;
                });
                Thread.sleep(2000);
                read(reader, all, seen);

                assertThat(seen).hasSize(BEFORE + AFTER);
                assertThat(seen.values()).as("no sample delivered twice").containsOnly(1);
                assertThat(all).hasSize(BEFORE + AFTER);
                SampleVector first = all.stream().filter(v -> v.getSampleId().equals("s-0")).findFirst().orElseThrow();
                assertThat(first.getEmbedding()).isNull(); // GRADIENT request: gradients only
                assertThat(first.getGradient().getDim()).isEqualTo(LastLayerGradient.dim(3, 8));
                Network.Outputs out = model.forward(new float[][]{features(0, SPEC.inputs())});
                assertThat(Vectors.fromBytes(first.getGradient().getValues(), first.getGradient().getDim()))
                        .containsExactly(LastLayerGradient.of(out.logits()[0], out.embeddings()[0], 0), org.assertj.core.api.Assertions.within(1e-6f));
            }
            assertThat(hardSets()).hasSize(1);
            // Requests of other tests on the shared stack may also be active: keep the letters about this one's samples.
            List<DeadLetter> letters = deadLetters().stream()
                    .filter(l -> !l.getReason().startsWith("request ") || l.getReason().startsWith("request " + requestId + ":"))
                    .toList();
            assertThat(letters).hasSize(3);
            assertThat(letters).extracting(DeadLetter::getReason).anySatisfy(r -> assertThat(r).contains("has 5 features but model"))
                    .anySatisfy(r -> assertThat(r).contains("label 7, unknown"))
                    .anySatisfy(r -> assertThat(r).contains("undecodable"));
            assertThat(Files.readString(logA)).contains("backfill");
            producer.send(new ProducerRecord<>(topics.hardsetRequests().name(), requestId, null)); // done: cancel
        }
    }

    private Process startWorker(String group, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                InferenceWorkerMain.class.getName(), "--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry", stack.schemaRegistryUrl(), "--group", group, "--worker-id", "w-" + run,
                "--batch-size", "50", "--linger-ms", "20", "--device", "cpu")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private long lag(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < 4; p++) {
            latest.put(new TopicPartition(ownerSamples.name(), p), OffsetSpec.latest());
        }
        long lag = 0;
        for (var e : admin.listOffsets(latest).all().get().entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += e.getValue().offset() - (c == null ? 0 : c.offset());
        }
        return lag;
    }

    private void read(KafkaConsumer<String, byte[]> reader, List<SampleVector> all, Map<String, Integer> seen) {
        for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
            if (!Keys.requestOf(r.key()).equals(requestId)) {
                continue;
            }
            SampleVectors batch = StackClients.value(sampleVectors, r);
            assertThat(r.key()).isEqualTo(Keys.requestOwner(requestId, batch.getOwnerId()));
            // Every owner's vectors of the request in the request's partition: one task sees them in one order.
            assertThat(r.partition()).isEqualTo(Keys.requestPartition(requestId, reader.partitionsFor(sampleVectors.name()).size()));
            for (SampleVector v : batch.getSamples()) {
                all.add(v);
                seen.merge(v.getSampleId(), 1, Integer::sum);
            }
        }
    }

    private List<HardSetVectors> hardSets() {
        return StackClients.readAll(stack, topics.hardsetVectors(), r -> requestId.equals(r.key()));
    }

    private List<DeadLetter> deadLetters() {
        Set<String> owners = new HashSet<>();
        for (int i = 0; i < OWNERS; i++) {
            owners.add(owner(i));
        }
        return StackClients.readAll(stack, topics.deadLetters(), r -> owners.contains(r.key()));
    }

    private static Network seededModel() {
        DjlRuntime.start();
        Engine.getEngine("PyTorch").setRandomSeed(5);
        return ModelArtifacts.newNetwork("it", SPEC, Device.cpu());
    }

    private HardSetRequest request(ModelArtifact artifact) {
        return HardSetRequest.newBuilder().setRequestId(requestId).setModelId(artifact.getModelId()).setModelVersion(1)
                .setMethod(SelectionMethod.GRADIENT).setBudget(8).setPerHardSample(4)
                .setHardSamples(List.of(new HardSample("h0", 0, FloatVectors.of(features(7000, SPEC.inputs()))),
                        new HardSample("h1", 1, FloatVectors.of(features(7001, SPEC.inputs())))))
                .setOptions(SelectionOptions.newBuilder().build()).setCreatedAt(Instant.now()).build();
    }

    private String owner(int i) {
        return "owner-" + (i % OWNERS) + "-" + run;
    }

    private OwnerSample sample(int i, int dim, int label) {
        return OwnerSample.newBuilder().setOwnerId(owner(i)).setSampleId("s-" + i).setLabel(label)
                .setFeatures(FloatVectors.of(features(i, dim))).setSource(new SourcePosition("test", "it", (long) i))
                .setIngestedAt(Instant.now()).build();
    }

    private static float[] features(int i, int dim) {
        Random random = new Random(i);
        float[] f = new float[dim];
        for (int j = 0; j < dim; j++) {
            f[j] = random.nextFloat();
        }
        return f;
    }
}
