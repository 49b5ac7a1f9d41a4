package io.mycroft.loadtests.streams;

import io.mycroft.schemas.FloatVectors;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.stack.LocalStack;
import io.mycroft.stack.StackProperties;
import io.mycroft.topology.MycroftStreamsConfig;
import io.mycroft.topology.MycroftTopology;
import mycroft.schemas.ClassTarget;
import mycroft.schemas.HardSampleVector;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * End-to-end throughput of one Streams app instance on the real local stack: owner samples per second from
 * {@code sample-vectors} through {@link MycroftTopology} (validation, exact incremental OMP per class, RocksDB state
 * with changelogs, subset updates, rankings), against a baseline in the same run: a Streams app that reads the same
 * records with the same serde and config and writes one RocksDB store entry per record (the floor any stateful
 * consumer of these records pays). Input is produced once, before the apps run; each app drains it from offset 0.
 *
 * <p>Usage: {@code StreamsThroughput [owners] [batchesPerOwner] [samplesPerBatch] [reportJson]}.
 */
public final class StreamsThroughput {
    private static final int CLASSES = 10;
    private static final int HARD_PER_CLASS = 4;
    private static final int K = 2;
    private static final int HIDDEN = 128;
    private static final int GRADIENT_DIM = CLASSES * (HIDDEN + 1);

    public static void main(String[] args) throws Exception {
        int owners = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        int perBatch = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        Path report = Path.of(args.length > 3 ? args[3] : "load-tests/reports/streams.json");
        Path workDir = Files.createTempDirectory("mycroft-streams-bench-");
        LocalStack stack = new LocalStack(workDir, line -> System.out.println("[stack] " + line));
        try {
            StackProperties endpoints = stack.up(false);
            String request = "bench-" + UUID.randomUUID();
            Map<String, String> settings = Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
                    SerdeConfig.REGISTRY_URL, endpoints.schemaRegistryUrl(), MycroftStreamsConfig.HTTP_PORT, "0");
            Topics topics = MycroftStreamsConfig.of(settings).topics();
            long samples = produce(endpoints, topics, request, owners, batches, perBatch);
            long records = (long) owners * batches;

            // The first app after a broker start runs slower: a warm-up pass, not measured.
            drain("warm-up", baseline(topics), settings, endpoints, records);
            double baseline = drain("baseline", baseline(topics), settings, endpoints, records);
            double mycroft = drain("mycroft", MycroftTopology.build(MycroftStreamsConfig.of(settings)), settings, endpoints, records);
            double baselineAgain = drain("baseline again", baseline(topics), settings, endpoints, records);

            double baselineRate = samples / Math.min(baseline, baselineAgain);
            double mycroftRate = samples / mycroft;
            String json = String.format(Locale.ROOT, """
                    {
                      "samples": %d, "records": %d, "owners": %d, "samples_per_record": %d, "gradient_dim": %d,
                      "classes": %d, "budget_per_class": %d,
                      "mycroft_seconds": %.3f, "baseline_seconds": [%.3f, %.3f],
                      "mycroft_samples_per_s": %.1f, "mycroft_records_per_s": %.2f,
                      "baseline_samples_per_s": %.1f,
                      "mycroft_vs_baseline_ratio": %.3f,
                      "machine": {"cores": %d, "java": "%s", "loadavg_after": "%s"}
                    }
                    """, samples, records, owners, perBatch, GRADIENT_DIM, CLASSES, K * HARD_PER_CLASS, mycroft, baseline,
                    baselineAgain, mycroftRate, records / mycroft, baselineRate, mycroftRate / baselineRate,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), loadAverage());
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, json);
            System.out.println(json);
        } finally {
            stack.abandon();
        }
    }

    /** Runs {@code topology} under a fresh application id until it has committed every input record; returns seconds. */
    private static double drain(String name, Topology topology, Map<String, String> settings, StackProperties endpoints,
                                long records) throws Exception {
        Map<String, String> run = new HashMap<>(settings);
        String applicationId = "bench-" + name.replace(' ', '-') + "-" + UUID.randomUUID();
        run.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        run.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("bench-state-").toString());
        Properties props = MycroftStreamsConfig.of(run).streamsProperties();
        try (KafkaStreams streams = new KafkaStreams(topology, props);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()))) {
            streams.start();
            while (streams.state() != KafkaStreams.State.RUNNING) {
                Thread.sleep(20);
            }
            long start = System.nanoTime();
            String topic = MycroftStreamsConfig.of(settings).topics().sampleVectors().name();
            Map<TopicPartition, Long> end = endOffsets(admin, topic);
            while (!committedAll(admin, applicationId, end)) {
                if (streams.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException(name + " failed");
                }
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%-15s %d records in %.2f s%n", name, records, seconds);
            return seconds;
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        Set<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static boolean committedAll(Admin admin, String group, Map<TopicPartition, Long> end) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        // Under EOS a commit marker follows the last record, so a partition is done once its position passes the end.
        return end.entrySet().stream().allMatch(e -> e.getValue() == 0
                || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue()));
    }

    /** Reads every batch with the same serde and writes one store entry per record (changelogged, like ours). */
    private static Topology baseline(Topics topics) {
        Topic<String, SampleVectors> input = topics.sampleVectors();
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("seen"), Serdes.String(), Serdes.Long()));
        builder.stream(input.name(), Consumed.with(input.keySerde(), input.valueSerde()))
                .process(() -> new Processor<String, SampleVectors, Void, Void>() {
                    private KeyValueStore<String, Long> seen;

                    @Override
                    public void init(ProcessorContext<Void, Void> context) {
                        seen = context.getStateStore("seen");
                    }

                    @Override
                    public void process(Record<String, SampleVectors> record) {
                        Long before = seen.get(record.key());
                        seen.put(record.key(), (before == null ? 0 : before) + record.value().getSamples().size());
                    }
                }, "seen");
        return builder.build();
    }

    /** One request (10 classes × 4 hard samples, k = 2) and owners × batches of last-layer-sized gradients. */
    private static long produce(StackProperties endpoints, Topics topics, String request, int owners, int batches, int perBatch) {
        Random random = new Random(7);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(10 * 1024 * 1024));
        long samples = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            List<ClassTarget> classes = new ArrayList<>();
            for (int c = 0; c < CLASSES; c++) {
                List<HardSampleVector> hard = new ArrayList<>();
                for (int h = 0; h < HARD_PER_CLASS; h++) {
                    hard.add(new HardSampleVector("h" + c + "-" + h, FloatVectors.of(gaussian(random, HIDDEN))));
                }
                classes.add(new ClassTarget(c, FloatVectors.of(gaussian(random, GRADIENT_DIM)), hard));
            }
            HardSetVectors hardSet = HardSetVectors.newBuilder().setRequestId(request).setModelId("mlp").setModelVersion(1)
                    .setMethod(SelectionMethod.GRADIENT).setPerHardSample(K).setOptions(SelectionOptions.newBuilder().build())
                    .setGradientDim(GRADIENT_DIM).setEmbeddingDim(HIDDEN).setClasses(classes).setComputedAt(Instant.now()).build();
            producer.send(new ProducerRecord<>(topics.hardsetVectors().name(), request,
                    topics.hardsetVectors().valueSerde().serializer().serialize(topics.hardsetVectors().name(), hardSet)));
            for (int b = 0; b < batches; b++) {
                for (int o = 0; o < owners; o++) {
                    String owner = "owner-" + o;
                    List<SampleVector> batch = new ArrayList<>();
                    for (int s = 0; s < perBatch; s++) {
                        batch.add(new SampleVector(owner + "-" + b + "-" + s, random.nextInt(CLASSES),
                                FloatVectors.of(gaussian(random, GRADIENT_DIM)), null, 1f, ByteBuffer.wrap(new byte[32]), (long) s));
                    }
                    SampleVectors value = new SampleVectors(request, owner, 1, batch);
                    producer.send(new ProducerRecord<>(topics.sampleVectors().name(), Keys.requestOwner(request, owner),
                            topics.sampleVectors().valueSerde().serializer().serialize(topics.sampleVectors().name(), value)));
                    samples += perBatch;
                }
            }
            producer.flush();
        }
        return samples;
    }

    private static float[] gaussian(Random random, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }
}
