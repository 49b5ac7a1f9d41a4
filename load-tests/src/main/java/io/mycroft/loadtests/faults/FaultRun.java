package io.mycroft.loadtests.faults;

import io.mycroft.connectors.OwnerConnectors;
import io.mycroft.experiments.pipeline.OwnerFeeder;
import io.mycroft.experiments.pipeline.PipelineMonitor;
import io.mycroft.experiments.pipeline.SeedSetup;
import io.mycroft.experiments.scenario.GeneratedData;
import io.mycroft.inference.InferenceWorkerMain;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.stack.Component;
import io.mycroft.stack.ConnectClient;
import io.mycroft.stack.LocalStack;
import io.mycroft.stack.LogTail;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.StackSecurity;
import io.mycroft.stack.StackTopics;
import io.mycroft.topology.AuditReplay;
import io.mycroft.topology.MycroftStreamsApp;
import io.mycroft.topology.MycroftStreamsConfig;
import mycroft.schemas.FloatVector;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.RankedOwner;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SelectedSample;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import java.util.HexFormat;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * One run of a scenario seed through the real pipeline with the Streams app and the inference worker as child JVMs, while
 * a killer sends SIGKILL to the Streams app, the worker, Connect or a broker at random points, restarting each (the
 * Kafka Streams EOS system tests are the model). Each run has its own topic prefix, application id and connectors, and
 * the same request and owner ids, so the published digests ({@link AuditReplay}) of a fault-free run and a run with
 * faults over the same seed are directly comparable. Every sample is counted exactly once when each owner's records on
 * owner-samples, its vectorised samples per request, and the samples-seen of its final subset and ranking entry all
 * equal the samples sent.
 */
public final class FaultRun {
    /** A request of the run: the same ids in every run, so digests compare. */
    public record Request(String id, SelectionMethod method, int kPerHard) {
    }

    /** What the killer does: how many SIGKILLs per component, each a random {@code [minGap, maxGap]} after the last restart. */
    public record Faults(int streamsKills, int workerKills, int connectKills, int brokerKills, Duration minGap, Duration maxGap,
                         long seed) {
        public static Faults none() {
            return new Faults(0, 0, 0, 0, Duration.ZERO, Duration.ZERO, 0);
        }

        int total() {
            return streamsKills + workerKills + connectKills + brokerKills;
        }
    }

    /**
     * One kill: what, when (seconds since the feed started), and how long until the component was back: the Streams app
     * answering /health, Connect and a broker ready as {@code stack up} checks them; for the worker, its JVM started.
     */
    public record Kill(String component, double atSeconds, double restartSeconds) {
    }

    /**
     * What a run left. Samples are per owner; per-request counts per request|owner key. {@code selections}: per
     * request|owner the selected sample ids by class as last published, and per request its ranking's owner order;
     * {@code vectorHashes}: per request|owner|sampleId a hash of its published gradient and embedding bytes.
     */
    public record Outcome(String prefix, List<Kill> kills, Map<String, String> publishedDigests, List<String> auditDifferences,
                          Map<String, Integer> sent, Map<String, Integer> ingested, Map<String, Integer> vectorised,
                          Map<String, Long> storeSamplesSeen, Map<String, String> selections,
                          Map<String, String> vectorHashes, double seconds) {
        public boolean auditsIdentical() {
            return auditDifferences.isEmpty();
        }

        /** Every owner's samples: once on owner-samples, once vectorised per request, once in the Streams app's state. */
        public boolean countedExactlyOnce() {
            for (Map.Entry<String, Integer> owner : sent.entrySet()) {
                if (!owner.getValue().equals(ingested.get(owner.getKey()))) {
                    return false;
                }
            }
            for (Map.Entry<String, Integer> v : vectorised.entrySet()) {
                int expected = sent.get(Keys.ownerOf(v.getKey()));
                if (v.getValue() != expected || storeSamplesSeen.getOrDefault(v.getKey(), -1L) != expected) {
                    return false;
                }
            }
            return true;
        }

        public String summary() {
            return String.format(Locale.ROOT, "%s: %d kills, %.0f s; audits identical %s; counted exactly once %s; sent %s, "
                            + "ingested %s, vectorised %s, samples seen in the app's state %s; digests %s",
                    prefix, kills.size(), seconds, auditsIdentical(), countedExactlyOnce(), sent, ingested, vectorised,
                    storeSamplesSeen, publishedDigests);
        }
    }

    private static final Duration SETTLE = Duration.ofMillis(2500);
    /** How long a killed broker stays down before it is restarted (a restart's time is counted after it). */
    static final Duration BROKER_DOWNTIME = Duration.ofSeconds(20);

    private final LocalStack localStack;
    private final SeedSetup setup;
    private final Path runDir;
    private final double ratePerSecond;
    private final PrintStream out;

    /**
     * @param localStack    the stack the run uses (Connect and brokers are killed through it)
     * @param ratePerSecond each owner's arrival rate: the same in runs that are compared (it fixes file names, hence ids)
     */
    public FaultRun(LocalStack localStack, SeedSetup setup, Path runDir, double ratePerSecond, PrintStream out) {
        this.localStack = localStack;
        this.setup = setup;
        this.runDir = runDir;
        this.ratePerSecond = ratePerSecond;
        this.out = out;
    }

    public Outcome run(String tag, List<Request> requests, Faults faults, Duration timeout) throws Exception {
        StackProperties stack = StackProperties.load(localStack.workDir());
        String prefix = "f." + tag + ".";
        String applicationId = "mycroft-faults-" + tag;
        Path dir = runDir.resolve(tag);
        Utils.delete(dir.toFile()); // a kept earlier run's owner files would be read again by this run's connectors
        Files.createDirectories(dir.resolve("logs"));
        Topics topics = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, stack.schemaRegistryUrl(), Topics.PREFIX, prefix));
        MycroftStreamsConfig streamsConfig = MycroftStreamsConfig.load(Map.of(
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                SerdeConfig.REGISTRY_URL, stack.schemaRegistryUrl(),
                Topics.PREFIX, prefix,
                StreamsConfig.APPLICATION_ID_CONFIG, applicationId), null, Map.of());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            StackTopics.ensure(admin, prefix, line -> { });
        }
        List<String> owners = setup.generated().owners().stream().map(GeneratedData.OwnerFiles::id).toList();
        List<String> requestIds = requests.stream().map(Request::id).toList();
        int httpPort = FreePort.pick();
        StreamsRest rest = new StreamsRest(httpPort);
        ChildJvm streams = streamsApp(stack, prefix, applicationId, httpPort, dir);
        ChildJvm worker = worker(stack, prefix, applicationId, dir);
        ConnectClient connect = ConnectClient.of(stack);
        List<String> connectors = new ArrayList<>();
        List<OwnerFeeder> feeders = new ArrayList<>();
        Thread feeding = null;
        Killer killer = null;
        long start = System.nanoTime();
        try (PipelineMonitor monitor = new PipelineMonitor(stack.clientConfig(StackSecurity.Principal.ADMIN), topics, new LinkedHashSet<>(requestIds),
                new LinkedHashSet<>(owners), true)) {
            worker.start();
            streams.start();
            publish(stack, topics.models(), setup.artifact().getModelId(), setup.artifact());
            for (Request r : requests) {
                publish(stack, topics.hardsetRequests(), r.id(), setup.request(r.id(), r.method(), r.kPerHard()));
            }
            for (GeneratedData.OwnerFiles o : setup.generated().owners()) {
                Path watched = dir.resolve("owners").resolve(o.id());
                feeders.add(new OwnerFeeder(o.id(), setup.scenario().dataset(), setup.ownerDirectory(o), watched, ratePerSecond, 0));
                Map<String, String> config = OwnerConnectors.directory(o.id(), watched, stack.schemaRegistryUrl(), 1);
                config.put("poll.interval.ms", "200");
                config.put(Topics.PREFIX, prefix);
                // The prefix keeps each run's connector, and so its source offsets in Connect, apart.
                String name = prefix + OwnerConnectors.directoryConnectorName(o.id());
                connect.putConfig(name, config);
                connectors.add(name);
            }
            start = System.nanoTime();
            feeding = OwnerFeeder.startAll(feeders);
            killer = new Killer(faults, streams, worker, rest, start);
            killer.start();
            awaitThrough(monitor, rest, feeders, requestIds, killer, List.of(streams, worker), timeout, start);
            double seconds = (System.nanoTime() - start) / 1e9;

            Map<String, Integer> sent = new LinkedHashMap<>();
            Map<String, Integer> ingested = new LinkedHashMap<>();
            Map<String, Integer> vectorised = new LinkedHashMap<>();
            Map<String, Long> storeSeen = new LinkedHashMap<>();
            for (OwnerFeeder f : feeders) {
                sent.put(f.ownerId(), f.size());
                ingested.put(f.ownerId(), monitor.ingested(f.ownerId()));
            }
            for (String r : requestIds) {
                for (String o : owners) {
                    vectorised.put(Keys.requestOwner(r, o), monitor.vectorised(r, o));
                    storeSeen.put(Keys.requestOwner(r, o), rest.samplesSeen(r, o));
                }
            }
            killer.join();
            streams.stop();
            worker.stop();
            Map<String, String> digests = new LinkedHashMap<>();
            List<String> differences = new ArrayList<>();
            for (String r : requestIds) {
                AuditReplay.Result audit = AuditReplay.replay(streamsConfig, r);
                digests.put(r, audit.publishedDigest());
                audit.differences().forEach(d -> differences.add(r + ": " + d));
            }
            Outcome outcome = new Outcome(prefix, killer.kills(), digests, differences, sent, ingested, vectorised, storeSeen,
                    selections(monitor, requestIds, owners), vectorHashes(monitor, requestIds, owners), seconds);
            out.println("[faults] " + outcome.summary());
            return outcome;
        } finally {
            if (killer != null) {
                killer.interrupt();
                killer.join(60_000);
            }
            if (feeding != null) {
                feeding.interrupt();
            }
            streams.stop();
            worker.stop();
            for (String c : connectors) {
                connect.delete(c);
            }
        }
    }

    /**
     * Waits until the killer is done, every owner's files are written, and the app's state has seen at least all samples
     * of every (request, owner), then {@link #SETTLE} more (the ranking is emitted every second).
     */
    private void awaitThrough(PipelineMonitor monitor, StreamsRest rest, List<OwnerFeeder> feeders, List<String> requests, Killer killer,
                              List<ChildJvm> children, Duration timeout, long start) throws Exception {
        long deadline = start + timeout.toNanos();
        long throughSince = -1;
        double lastPrint = -10;
        while (true) {
            monitor.check();
            killer.check();
            boolean through = !killer.isAlive() && feeders.stream().allMatch(f -> f.done()
                    && monitor.ingested(f.ownerId()) >= f.size()
                    && requests.stream().allMatch(r -> monitor.vectorised(r, f.ownerId()) >= f.size()
                    && rest.samplesSeen(r, f.ownerId()) >= f.size()));
            double seconds = (System.nanoTime() - start) / 1e9;
            if (seconds - lastPrint >= 10) {
                lastPrint = seconds;
                out.println(String.format(Locale.ROOT, "[faults] %.0f s: %d kills; written %s, ingested %s, vectorised %s, "
                                + "seen in the app's state %s", seconds, killer.kills().size(),
                        feeders.stream().map(OwnerFeeder::written).toList(),
                        feeders.stream().map(f -> monitor.ingested(f.ownerId())).toList(),
                        requests.stream().map(r -> feeders.stream().map(f -> monitor.vectorised(r, f.ownerId())).toList()).toList(),
                        requests.stream().map(r -> feeders.stream().map(f -> rest.samplesSeen(r, f.ownerId())).toList()).toList()));
            }
            if (through) {
                if (throughSince < 0) {
                    throughSince = System.nanoTime();
                } else if (System.nanoTime() - throughSince > SETTLE.toNanos()) {
                    return;
                }
            } else {
                throughSince = -1;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the run was not through after " + timeout + "; logs under " + runDir
                        + children.stream().map(c -> "\nlast lines of " + c.log() + ":\n  "
                                + String.join("\n  ", LogTail.lastLines(c.log(), 20))).collect(Collectors.joining()));
            }
            Thread.sleep(250);
        }
    }

    private static Map<String, String> selections(PipelineMonitor monitor, List<String> requests, List<String> owners) {
        Map<String, String> selections = new TreeMap<>();
        for (String r : requests) {
            OwnerRanking ranking = monitor.latestRanking(r);
            selections.put(r, ranking == null ? "none" : ranking.getOwners().stream().map(RankedOwner::getOwnerId)
                    .collect(Collectors.joining(" > ")));
            for (String o : owners) {
                SubsetUpdate update = monitor.subset(r, o);
                selections.put(Keys.requestOwner(r, o), update == null ? "none" : update.getClasses().stream()
                        .map(c -> c.getLabel() + ":" + c.getSelected().stream().map(SelectedSample::getSampleId)
                                .collect(Collectors.joining(",")))
                        .collect(Collectors.joining(";")));
            }
        }
        return selections;
    }

    private static Map<String, String> vectorHashes(PipelineMonitor monitor, List<String> requests, List<String> owners)
            throws NoSuchAlgorithmException {
        Map<String, String> hashes = new TreeMap<>();
        for (String r : requests) {
            for (String o : owners) {
                for (SampleVectors batch : monitor.vectors(r, o)) {
                    for (SampleVector v : batch.getSamples()) {
                        MessageDigest sha = MessageDigest.getInstance("SHA-256");
                        for (FloatVector f : new FloatVector[] {v.getGradient(), v.getEmbedding()}) {
                            if (f != null) {
                                sha.update(f.getValues().duplicate());
                            }
                        }
                        hashes.put(Keys.requestOwner(r, o) + Keys.SEPARATOR + v.getSampleId(), HexFormat.of().formatHex(sha.digest()));
                    }
                }
            }
        }
        return hashes;
    }

    private <V> void publish(StackProperties stack, Topic<String, V> topic, String key, V value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 10 * 1024 * 1024), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value))).get();
        }
    }

    /**
     * The Streams app as a child JVM with a fixed state directory and static membership: a restarted instance takes its
     * old member's place (and tasks) at once instead of waiting for the dead member's session to time out (DESIGN §6:
     * 31-35 s after a close, 45 s by default after a crash), so twenty kills fit in a few minutes. Its transactional id
     * follows the process id Streams keeps in the state directory, so the restart also fences the dead instance's open
     * transaction at once instead of after transaction.timeout.ms.
     */
    private ChildJvm streamsApp(StackProperties stack, String prefix, String applicationId, int httpPort, Path dir) {
        return new ChildJvm("streams", jvmFlags(512), MycroftStreamsApp.class.getName(), List.of(
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG + "=" + stack.bootstrapServers(),
                SerdeConfig.REGISTRY_URL + "=" + stack.schemaRegistryUrl(),
                Topics.PREFIX + "=" + prefix,
                StreamsConfig.APPLICATION_ID_CONFIG + "=" + applicationId,
                StreamsConfig.STATE_DIR_CONFIG + "=" + dir.resolve("streams-state"),
                MycroftStreamsConfig.HTTP_PORT + "=" + httpPort,
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG + "=" + applicationId + "-instance-0",
                // Only matters when the instance does not come back (not here): the broker's minimum.
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG + "=6000",
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG + "=1000"), dir.resolve("logs").resolve("streams.log"));
    }

    /** The inference worker as a child JVM; its fixed --worker-id is its static member and transactional id. */
    private ChildJvm worker(StackProperties stack, String prefix, String applicationId, Path dir) {
        return new ChildJvm("worker", jvmFlags(768), InferenceWorkerMain.class.getName(), List.of(
                "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry", stack.schemaRegistryUrl(),
                "--topic-prefix", prefix, "--group", applicationId + "-inference", "--worker-id", applicationId + "-worker-0"),
                dir.resolve("logs").resolve("worker.log"));
    }

    private List<String> jvmFlags(int heapMb) {
        return List.of("-Xmx" + heapMb + "m", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + localStack.workDir().resolve("config").resolve("log4j2.properties"));
    }

    /** Sends the SIGKILLs of {@link Faults} in a random order at random times, restarting each component. */
    private final class Killer extends Thread {
        private final Faults faults;
        private final ChildJvm streams;
        private final ChildJvm worker;
        private final StreamsRest rest;
        private final long start;
        private final List<Kill> kills = Collections.synchronizedList(new ArrayList<>());
        private volatile Exception failure;

        Killer(Faults faults, ChildJvm streams, ChildJvm worker, StreamsRest rest, long start) {
            super("fault-killer");
            setDaemon(true);
            this.faults = faults;
            this.streams = streams;
            this.worker = worker;
            this.rest = rest;
            this.start = start;
        }

        List<Kill> kills() {
            return List.copyOf(kills);
        }

        void check() {
            if (failure != null) {
                throw new IllegalStateException("the killer failed: " + failure.getMessage(), failure);
            }
        }

        @Override
        public void run() {
            Random random = new Random(faults.seed());
            List<String> schedule = new ArrayList<>();
            schedule.addAll(Collections.nCopies(faults.streamsKills(), "streams"));
            schedule.addAll(Collections.nCopies(faults.workerKills(), "worker"));
            schedule.addAll(Collections.nCopies(faults.connectKills(), "connect"));
            schedule.addAll(Collections.nCopies(faults.brokerKills(), "broker"));
            Collections.shuffle(schedule, random);
            try {
                for (String target : schedule) {
                    long gap = faults.minGap().toMillis()
                            + (long) (random.nextDouble() * (faults.maxGap().toMillis() - faults.minGap().toMillis()));
                    Thread.sleep(gap);
                    double at = (System.nanoTime() - start) / 1e9;
                    long restartStart = System.nanoTime();
                    switch (target) {
                        case "streams" -> {
                            restart(streams);
                            awaitHealthy();
                        }
                        case "worker" -> restart(worker);
                        case "connect" -> killStackChild(Component.CONNECT);
                        case "broker" -> {
                            killStackChild(Component.BROKER);
                            restartStart += BROKER_DOWNTIME.toNanos();
                        }
                        default -> throw new IllegalStateException(target);
                    }
                    Kill kill = new Kill(target, at, (System.nanoTime() - restartStart) / 1e9);
                    kills.add(kill);
                    out.println(String.format(Locale.ROOT, "[faults] kill -9 %s at %.1f s (back in %.1f s)", target, at,
                            kill.restartSeconds()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failure = e;
            }
        }

        private void restart(ChildJvm child) throws InterruptedException {
            if (!child.alive()) {
                throw new IllegalStateException(child.name() + " died on its own; see " + child.log());
            }
            child.kill9();
            child.start();
        }

        /** Until the restarted app answers /health with 200 (running or rebalancing), so the next gap starts from there. */
        private void awaitHealthy() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (rest.get("/health") == null) {
                if (System.nanoTime() > deadline || !streams.alive()) {
                    throw new IllegalStateException("the restarted Streams app is not healthy; see " + streams.log());
                }
                Thread.sleep(100);
            }
        }

        /**
         * SIGKILL to the stack's child, then {@code up} starts whatever is not running and waits until it is ready; a
         * killed broker stays down {@link #BROKER_DOWNTIME} first, so the run goes on with the cluster's other nodes.
         */
        private void killStackChild(Component component) throws InterruptedException {
            OptionalLong pid = localStack.status().stream().filter(s -> s.component() == component).findFirst().orElseThrow().pid();
            ProcessHandle process = ProcessHandle.of(pid.orElseThrow()).orElseThrow();
            process.destroyForcibly();
            process.onExit().join();
            if (component == Component.BROKER) {
                Thread.sleep(BROKER_DOWNTIME.toMillis());
            }
            localStack.up(false);
        }
    }
}
