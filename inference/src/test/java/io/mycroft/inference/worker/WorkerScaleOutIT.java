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
import mycroft.schemas.HardSample;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SourcePosition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scale-out: a second worker joins the group mid-stream; the partitions are split (a rebalance while the first
 * worker is busy) and every owner sample still becomes vectors exactly once.
 */
class WorkerScaleOutIT {
    private static final MlpSpec SPEC = new MlpSpec(8, List.of(4), 2);
    private static final int SAMPLES = 600;

    @Test
    void aSecondWorkerTakesOverPartitionsWithoutLosingOrRepeatingSamples() throws Exception {
        StackProperties stack = TestStack.shared();
        Topics topics = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, stack.schemaRegistryUrl()));
        Topic<String, OwnerSample> ownerSamples = topics.ownerSamples();
        Topic<String, SampleVectors> sampleVectors = topics.sampleVectors();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String requestId = "scale-" + run;
        DjlRuntime.start();
        Engine.getEngine("PyTorch").setRandomSeed(4);
        ModelArtifact model;
        try (Network network = ModelArtifacts.newNetwork("scale", SPEC, Device.cpu())) {
            model = ModelArtifacts.djl("scale-" + run, 1, SPEC, network, Instant.now());
        }
        List<InProcessWorker> workers = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = StackClients.producer(stack);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
             KafkaConsumer<String, byte[]> reader = StackClients.committedReader(stack)) {
            StackClients.send(producer, topics.models(), model.getModelId(), model);
            StackClients.send(producer, topics.hardsetRequests(), requestId, request(requestId, model));
            producer.flush();
            workers.add(start(stack, run, "a"));
            reader.subscribe(List.of(sampleVectors.name()));
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < SAMPLES; i++) {
                String owner = "owner-" + (i % 24) + "-" + run; // enough owners to land on every partition
                StackClients.send(producer, ownerSamples, owner, OwnerSample.newBuilder().setOwnerId(owner).setSampleId("s" + i)
                        .setLabel(i % 2).setFeatures(FloatVectors.of(i, 1, 0, 0, 1, 1, 0, 0))
                        .setSource(new SourcePosition("it", "it", (long) i)).setIngestedAt(Instant.now()).build());
                if (i == SAMPLES / 3) {
                    producer.flush();
                    await().atMost(Duration.ofSeconds(60)).until(() -> read(reader, sampleVectors, requestId, run, seen) > 0);
                    workers.add(start(stack, run, "b")); // joins while samples keep coming
                    await().atMost(Duration.ofSeconds(60)).until(() -> bothAssigned(admin, "scale-" + run));
                }
                if (i % 20 == 0) {
                    producer.flush();
                    Thread.sleep(30);
                }
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(90)).until(() -> read(reader, sampleVectors, requestId, run, seen) >= SAMPLES);
            Thread.sleep(2000);
            read(reader, sampleVectors, requestId, run, seen);
            assertThat(seen).hasSize(SAMPLES);
            assertThat(seen.values()).as("no sample twice").containsOnly(1);
            assertThat(workers).allSatisfy(w -> assertThat(w.worker().samplesSent()).as("each worker did some of the work").isPositive());
            // What Prometheus scrapes from each worker: its own counts, batch latency and the live consumer's lag.
            assertThat(workers).allSatisfy(w -> assertThat(w.scrape())
                    .containsPattern("(?m)^mycroft_worker_vectors_produced_total [1-9]")
                    .containsPattern("(?m)^mycroft_worker_samples_consumed_total [1-9]")
                    .containsPattern("(?m)^mycroft_worker_batch_seconds_count [1-9]")
                    .contains("mycroft_worker_dead_letters_total", "kafka_consumer_fetch_manager_records_lag_max"));
            producer.send(new ProducerRecord<>(topics.hardsetRequests().name(), requestId, null)); // leave no request behind
        } finally {
            for (InProcessWorker worker : workers) {
                worker.close();
            }
        }
    }

    private static boolean bothAssigned(Admin admin, String group) throws Exception {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
        return d.members().size() == 2 && d.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
    }

    private static InProcessWorker start(StackProperties stack, String run, String name) {
        return InProcessWorker.start(new WorkerConfig(stack.bootstrapServers(), stack.schemaRegistryUrl(), "",
                "scale-" + run, name + "-" + run, 32, Duration.ofMillis(20), "cpu"));
    }

    /** Counts this run's samples: the request also covers other tests' owner samples on the shared topic. */
    private static int read(KafkaConsumer<String, byte[]> reader, Topic<String, SampleVectors> topic, String requestId,
                            String run, Map<String, Integer> seen) {
        for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
            if (Keys.requestOf(r.key()).equals(requestId) && Keys.ownerOf(r.key()).endsWith("-" + run)) {
                for (SampleVector v : StackClients.value(topic, r).getSamples()) {
                    seen.merge(v.getSampleId(), 1, Integer::sum);
                }
            }
        }
        return seen.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static HardSetRequest request(String id, ModelArtifact model) {
        return HardSetRequest.newBuilder().setRequestId(id).setModelId(model.getModelId()).setModelVersion(1)
                .setMethod(SelectionMethod.GRADIENT).setBudget(4).setPerHardSample(4)
                .setHardSamples(List.of(new HardSample("h", 1, FloatVectors.of(1, 1, 0, 0, 1, 1, 0, 0))))
                .setOptions(HardSetRequests.defaultOptions()).setCreatedAt(Instant.now()).build();
    }
}
