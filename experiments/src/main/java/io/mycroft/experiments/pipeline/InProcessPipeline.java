package io.mycroft.experiments.pipeline;

import io.mycroft.connectors.OwnerConnectors;
import io.mycroft.experiments.data.DatasetId;
import io.mycroft.experiments.scenario.GeneratedData;
import io.mycroft.inference.worker.InferenceWorker;
import io.mycroft.inference.worker.WorkerConfig;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.stack.ConnectClient;
import io.mycroft.stack.StackAcls;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.StackSecurity.Principal;
import io.mycroft.stack.StackTopics;
import io.mycroft.topology.MycroftStreamsApp;
import io.mycroft.topology.MycroftStreamsConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The whole pipeline on a running local stack, with its processing in this JVM: an inference worker (thread) and the
 * Streams app read and write the stack's topics (optionally a prefixed topic set of their own), owners stream in through
 * directory connectors in the stack's Connect, fed over time by {@link OwnerFeeder}s. What {@code mycroft demo} and
 * {@code mycroft experiment} run; {@link #close()} deletes the connectors and stops the worker and the app.
 */
public final class InProcessPipeline implements AutoCloseable {
    /** How the pipeline is named and where it keeps its state. */
    /** {@code streamsOverrides}: Streams app settings on top of these (e.g. the settled window). */
    public record Settings(String topicPrefix, String applicationId, Path stateDir, Path ownersDir, int httpPort,
                           Map<String, String> streamsOverrides) {
        public Settings(String topicPrefix, String applicationId, Path stateDir, Path ownersDir, int httpPort) {
            this(topicPrefix, applicationId, stateDir, ownersDir, httpPort, Map.of());
        }
    }

    private final StackProperties stack;
    private final Settings settings;
    private final PrintStream out;
    private final Topics topics;
    private final MycroftStreamsConfig streamsConfig;
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private final ConnectClient connect;
    private final List<String> connectors = new ArrayList<>();
    private final List<OwnerFeeder> feeders = new ArrayList<>();
    private InferenceWorker worker;
    private Thread workerThread;
    private MycroftStreamsApp app;
    private Thread feeding;
    private volatile boolean ownersPaused;

    /** Creates the prefixed topics if there is a prefix; starts nothing else yet. */
    public InProcessPipeline(StackProperties stack, Settings settings, PrintStream out) {
        this.stack = stack;
        this.settings = settings;
        this.out = out;
        // The run publishes the model and requests as the operator (admin); the worker, the Streams app and the
        // connectors each log in as their own service principal on a secure stack.
        Map<String, String> operatorSerdes = new LinkedHashMap<>(stack.registryConfig(Principal.ADMIN));
        operatorSerdes.put(Topics.PREFIX, settings.topicPrefix());
        this.topics = Topics.from(operatorSerdes);
        Map<String, String> streams = new LinkedHashMap<>(stack.clientConfig(Principal.STREAMS));
        streams.putAll(stack.registryConfig(Principal.STREAMS));
        streams.putAll(Map.of(Topics.PREFIX, settings.topicPrefix(),
                StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId(),
                StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString(),
                MycroftStreamsConfig.HTTP_PORT, String.valueOf(settings.httpPort())));
        this.streamsConfig = MycroftStreamsConfig.load(streams, null, settings.streamsOverrides());
        Map<String, Object> producerConfig = new LinkedHashMap<>(stack.clientConfig(Principal.ADMIN));
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 10 * 1024 * 1024);
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        this.admin = Admin.create(new LinkedHashMap<>(stack.clientConfig(Principal.ADMIN)));
        this.connect = ConnectClient.of(stack);
        if (!settings.topicPrefix().isEmpty()) {
            StackTopics.ensure(admin, settings.topicPrefix(), line -> { });
            if (stack.security().isPresent()) {
                StackAcls.ensureCatalogueAcls(admin, settings.topicPrefix());
            }
        }
    }

    /**
     * The worker's consumer group for the Streams app {@code applicationId}: under the worker principal's group prefix
     * ({@link StackAcls#WORKER_PREFIX}), so a secure stack lets it in.
     */
    static String workerGroup(String applicationId) {
        return StackAcls.WORKER_PREFIX + "-for-" + applicationId;
    }

    public Topics topics() {
        return topics;
    }

    public MycroftStreamsConfig streamsConfig() {
        return streamsConfig;
    }

    /** Publishes one record (serialised with the topic's value serde; null = tombstone) and waits for the broker. */
    public <V> void publish(Topic<String, V> topic, String key, V value) throws ExecutionException, InterruptedException {
        byte[] bytes = value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
        producer.send(new ProducerRecord<>(topic.name(), key, bytes)).get();
    }

    /** Starts the inference worker and the Streams app; returns the app's REST port. */
    public int start() {
        Map<String, String> workerLogin = new LinkedHashMap<>(stack.clientConfig(Principal.WORKER));
        workerLogin.remove(StackProperties.BOOTSTRAP_SERVERS);
        workerLogin.putAll(stack.registryConfig(Principal.WORKER));
        workerLogin.remove(SerdeConfig.REGISTRY_URL);
        worker = new InferenceWorker(new WorkerConfig(stack.bootstrapServers(), stack.schemaRegistryUrl(), settings.topicPrefix(),
                workerGroup(settings.applicationId()), settings.applicationId() + "-worker", 0, Duration.ofMillis(50), "cpu",
                workerLogin));
        workerThread = new Thread(worker::run, settings.applicationId() + "-inference-worker");
        workerThread.setDaemon(true);
        workerThread.start();
        app = new MycroftStreamsApp(streamsConfig);
        app.start();
        return app.httpPort();
    }

    /**
     * Adds an owner: its directory connector (watching {@code ownersDir/<ownerKey>}) and its feeder, which starts
     * {@code startAfter} seconds after the others' start; not fed yet.
     */
    public OwnerFeeder addOwner(String ownerKey, DatasetId dataset, Path generatedDir, double ratePerSecond, double startAfter)
            throws IOException {
        Path watched = settings.ownersDir().resolve(ownerKey);
        OwnerFeeder feeder = new OwnerFeeder(ownerKey, dataset, generatedDir, watched, ratePerSecond, startAfter);
        String connector = OwnerConnectors.directoryConnectorName(ownerKey);
        Map<String, String> config = OwnerConnectors.directory(ownerKey, watched, stack.schemaRegistryUrl(), 1);
        config.putAll(stack.registryConfig(Principal.CONNECT));
        config.put("poll.interval.ms", "200");
        config.put(Topics.PREFIX, settings.topicPrefix());
        connect.putConfig(connector, config);
        connectors.add(connector);
        feeders.add(feeder);
        return feeder;
    }

    /** Adds every owner of the seed (connector and feeder) under the id {@code ownerKeys} maps its scenario id to. */
    public void addOwners(SeedSetup setup, Map<String, String> ownerKeys) throws IOException {
        for (GeneratedData.OwnerFiles o : setup.generated().owners()) {
            addOwner(ownerKeys.get(o.id()), setup.scenario().dataset(), setup.ownerDirectory(o), o.arrivalRate(), o.startAfter());
        }
    }

    public List<OwnerFeeder> feeders() {
        return List.copyOf(feeders);
    }

    /** Starts writing every owner's files at its arrival rate. */
    public void startFeeding() {
        feeding = OwnerFeeder.startAll(feeders);
    }

    /**
     * The owners stop early: every owner's connector is paused (Connect REST), so nothing more of their data is read;
     * {@link #awaitThrough} then waits only for what was ingested. Used when a request's ranking has settled.
     */
    public void pauseOwners() {
        connectors.forEach(connect::pause);
        ownersPaused = true;
    }

    public boolean ownersPaused() {
        return ownersPaused;
    }

    /**
     * Waits until every owner's files are written and every sample is ingested and vectorised for each request (after
     * {@link #pauseOwners}: every sample ingested so far is vectorised), and the
     * Streams app has committed past everything on sample-vectors, then 2.5 s more (the ranking is emitted every
     * second, so it then holds every update). {@code onTick} runs every half second (progress display).
     *
     * @throws TimeoutException when that does not happen within {@code timeout}
     */
    public void awaitThrough(PipelineMonitor monitor, List<String> requests, Duration timeout, Consumer<Double> onTick)
            throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long caughtUpSince = -1;
        while (true) {
            monitor.check();
            onTick.accept((System.nanoTime() - start) / 1e9);
            boolean allThrough = ownersPaused
                    ? feeders.stream().allMatch(f -> requests.stream().allMatch(r -> monitor.vectorised(r, f.ownerId())
                            >= monitor.ingested(f.ownerId())))
                    : feeders.stream().allMatch(f -> f.done() && monitor.ingested(f.ownerId()) >= f.size()
                            && requests.stream().allMatch(r -> monitor.vectorised(r, f.ownerId()) >= f.size()));
            if (allThrough && streamsCaughtUp()) {
                if (caughtUpSince < 0) {
                    caughtUpSince = System.nanoTime();
                } else if (System.nanoTime() - caughtUpSince > Duration.ofMillis(2500).toNanos()) {
                    return;
                }
            } else {
                caughtUpSince = -1;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("not all owner data was through the pipeline after " + timeout
                        + " (see the counts above; logs of the stack under its work directory)");
            }
            Thread.sleep(500);
        }
    }

    /** True when the Streams app's committed offsets on sample-vectors reach its last stable offsets. */
    private boolean streamsCaughtUp() throws ExecutionException, InterruptedException {
        String topic = topics.sampleVectors().name();
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(settings.applicationId())
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
        for (var e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            if (e.getValue().offset() > 0 && (c == null || c.offset() < e.getValue().offset())) {
                return false;
            }
        }
        return true;
    }

    /** Stops feeding, deletes the connectors, stops the worker and the Streams app; keeps the topics (audits replay them). */
    @Override
    public void close() throws InterruptedException {
        if (feeding != null) {
            feeding.interrupt();
        }
        for (String c : connectors) {
            try {
                connect.delete(c);
            } catch (RuntimeException e) {
                out.println("could not delete connector " + c + ": " + e.getMessage());
            }
        }
        if (worker != null) {
            worker.stop();
            workerThread.join(10_000);
            worker.close();
        }
        if (app != null) {
            // Leave the group on close: by default Streams does not, and the next instance with the same application
            // id would then wait a whole session timeout (45 s) for this member to expire.
            app.streams().close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
            app.close();
        }
        producer.close();
        admin.close();
    }
}
