package io.mycroft.loadtests.streams;

import io.mycroft.processors.math.UnitVectors;
import io.mycroft.processors.math.Vectors;
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
import mycroft.schemas.FloatVector;
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
import org.apache.kafka.streams.CloseOptions;
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
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * End-to-end throughput of one Streams app instance on the real local stack: owner samples per second from
 * {@code sample-vectors} through {@link MycroftTopology} (validation, exact incremental OMP per class, RocksDB state,
 * subset updates, rankings), against a baseline in the same run: a Streams app that reads the same records with the
 * same serde and config and writes one changelogged RocksDB entry per record (the floor any stateful consumer of
 * these records pays). Input is produced once, before the apps run; each pass drains it from offset 0 under a fresh
 * application id, in the same JVM.
 *
 * <p>One cold pass of each app (JIT warm-up; reported as the cold figures), then {@code passes} alternating measured
 * passes (baseline, Mycroft, baseline, ...); median, min and max of each, and the ratio of the medians. Every pass
 * records the 1-minute load average before and after it. A JFR recording of the measured Mycroft passes is summarised
 * as the stream threads' hottest methods (top frames of execution samples) beside the numbers.
 *
 * <p>With {@code BENCH_FLOOR=1} (FEATURE), a third app runs beside them, alternating: the baseline plus the selection
 * math any exact FEATURE selection does ({@link #floor}), so that the gap between the baseline and Mycroft splits into
 * what the math costs and what the rest of the processor costs.
 *
 * <p>Usage: {@code StreamsThroughput [owners] [batchesPerOwner] [samplesPerBatch] [passes] [reportJson]}.
 */
public final class StreamsThroughput {
    private static final int CLASSES = 10;
    private static final int HARD_PER_CLASS = 4;
    private static final int K = 2;
    private static final int HIDDEN = 128;
    private static final int GRADIENT_DIM = CLASSES * (HIDDEN + 1);
    private static final int HOT_METHODS = 25;
    private static final java.util.concurrent.atomic.AtomicInteger PASSES = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * One drained pass: its wall time from RUNNING to the last commit, the load average around it, and its stream
     * thread's time over that window by the kernel's scheduler statistics: on a CPU, and runnable but queued for one.
     */
    /** The 1-minute load average below which a pass counts (2 cores). */
    private static final double QUIET_LOAD = 3;

    private record Pass(String app, boolean cold, String clientId, Instant from, Instant to, double seconds,
                        double loadBefore, double loadAfter, double onCpuSeconds, double queuedSeconds) {
        boolean measuredMycroft() {
            return !cold && app.equals("mycroft");
        }
    }

    public static void main(String[] args) throws Exception {
        int owners = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int perBatch = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int passes = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Path report = Path.of(args.length > 4 ? args[4] : "load-tests/reports/streams.json").toAbsolutePath();
        String methodName = System.getenv().getOrDefault("BENCH_METHOD", "GRADIENT");
        if (!methodName.equals("GRADIENT") && !methodName.equals("FEATURE")) {
            throw new IllegalArgumentException("BENCH_METHOD must be GRADIENT (OMP on gradients) or FEATURE (RetrieveTopK on"
                    + " embeddings), was " + methodName);
        }
        SelectionMethod method = SelectionMethod.valueOf(methodName);
        boolean floor = System.getenv().getOrDefault("BENCH_FLOOR", "").equals("1");
        if (floor && method != SelectionMethod.FEATURE) {
            throw new IllegalArgumentException("BENCH_FLOOR=1 measures FEATURE's floor; set BENCH_METHOD=FEATURE");
        }
        // streams.json → streams.jfr, streams-hot-methods.txt; streams-feature.json → streams-feature.jfr, ...
        String stem = report.getFileName().toString().replaceFirst("\\.json$", "");
        Map<String, String> overrides = overrides(System.getenv().getOrDefault("BENCH_SETTINGS", ""));
        // Before the stack starts: what else was running. During the passes the benchmark's own processes add to it.
        double loadAtStart = loadAverage1();
        Files.createDirectories(report.getParent());
        Path workDir = Files.createTempDirectory("mycroft-streams-bench-");
        LocalStack stack = new LocalStack(workDir, line -> System.out.println("[stack] " + line));
        try {
            StackProperties endpoints = stack.up(false);
            String request = "bench-" + UUID.randomUUID();
            // The in-memory candidate cache holds the whole working set (each candidate and its atom), so the passes measure
            // the topology, not reloads from RocksDB; the heap (streams-bench.sh) is sized for it.
            long cacheFloats = (long) (1.1 * 2 * owners * batches * perBatch * vectorDim(method));
            Map<String, String> settings = new HashMap<>(Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
                    SerdeConfig.REGISTRY_URL, endpoints.schemaRegistryUrl(), MycroftStreamsConfig.HTTP_PORT, "0",
                    MycroftStreamsConfig.CANDIDATE_CACHE_FLOATS, String.valueOf(cacheFloats)));
            settings.putAll(overrides);
            Topics topics = MycroftStreamsConfig.of(settings).topics();
            HardSetVectors hardSet = produce(endpoints, topics, request, method, owners, batches, perBatch);
            long samples = (long) owners * batches * perBatch;
            long records = (long) owners * batches;
            // The broker's 1 GB of new log pages would otherwise be written back by the kernel during the first passes.
            new ProcessBuilder("sync").inheritIO().start().waitFor();

            List<Pass> runs = new ArrayList<>();
            Path jfr = report.resolveSibling(stem + ".jfr");
            // One recording from the first pass on, so that no measured pass follows its start; the summary keeps
            // what happened during the measured Mycroft passes (their windows and stream threads).
            try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
                recording.start();
                runs.add(drain("baseline", true, baseline(topics), settings, endpoints, records));
                if (floor) {
                    runs.add(drain("floor", true, floor(topics, hardSet), settings, endpoints, records));
                }
                runs.add(drain("mycroft", true, MycroftTopology.build(MycroftStreamsConfig.of(settings)), settings, endpoints, records));
                for (int p = 0; p < passes; p++) {
                    runs.add(drain("baseline", false, baseline(topics), settings, endpoints, records));
                    if (floor) {
                        runs.add(drain("floor", false, floor(topics, hardSet), settings, endpoints, records));
                    }
                    runs.add(drain("mycroft", false, MycroftTopology.build(MycroftStreamsConfig.of(settings)), settings,
                            endpoints, records));
                }
                recording.stop();
                recording.dump(jfr);
            }
            Profile profile = profile(jfr, runs.stream().filter(Pass::measuredMycroft).toList());
            Files.writeString(report.resolveSibling(stem + "-hot-methods.txt"), profile.hotMethods());
            String json = json(method, stem, samples, records, owners, perBatch, cacheFloats, overrides, loadAtStart, profile, runs);
            Files.writeString(report, json);
            System.out.println(json);
            System.out.println(profile.hotMethods());
        } finally {
            stack.abandon();
            // The broker's data (1–3 GB a run) goes; the stack's logs stay for a look after a failed run.
            try (Stream<Path> entries = Files.list(workDir)) {
                for (Path entry : entries.filter(e -> !e.getFileName().toString().equals("logs")).toList()) {
                    deleteRecursively(entry);
                }
            }
        }
    }
    /**
     * Runs {@code topology} under a fresh application id until it has committed every input record; afterwards deletes
     * the pass's local state and internal topics, so passes do not fill the disk.
     */
    private static Pass drain(String app, boolean cold, Topology topology, Map<String, String> settings,
                              StackProperties endpoints, long records) throws Exception {
        Map<String, String> run = new HashMap<>(settings);
        String applicationId = "bench-" + app + "-" + UUID.randomUUID();
        // Short and unique, so that the stream thread's name ("<client.id>-StreamThread-1") keeps it within the 15
        // characters Linux shows of a thread's name, by which the pass finds the thread's scheduler statistics.
        String clientId = app.charAt(0) + String.valueOf(PASSES.incrementAndGet());
        Path stateDir = Files.createTempDirectory("bench-state-");
        run.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        run.put(StreamsConfig.CLIENT_ID_CONFIG, clientId);
        run.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        Properties props = MycroftStreamsConfig.of(run).streamsProperties();
        double loadBefore = loadAverage1();
        double seconds;
        Instant from;
        Instant to;
        Map<Path, long[]> schedFrom;
        long[] sched;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()))) {
            try (KafkaStreams streams = new KafkaStreams(topology, props)) {
                streams.start();
                while (streams.state() != KafkaStreams.State.RUNNING) {
                    Thread.sleep(20);
                }
                schedFrom = schedstats(clientId + "-StreamThread-1");
                long start = System.nanoTime();
                from = Instant.now();
                String topic = MycroftStreamsConfig.of(settings).topics().sampleVectors().name();
                Map<TopicPartition, Long> end = endOffsets(admin, topic);
                while (!committedAll(admin, applicationId, end)) {
                    if (streams.state() == KafkaStreams.State.ERROR) {
                        throw new IllegalStateException(app + " failed");
                    }
                    Thread.sleep(50);
                }
                seconds = (System.nanoTime() - start) / 1e9;
                to = Instant.now();
                sched = streamThreadSchedstat(schedFrom);
                streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            }
            List<String> internal = admin.listTopics().names().get().stream().filter(t -> t.startsWith(applicationId)).toList();
            admin.deleteTopics(internal).all().get();
        }
        deleteRecursively(stateDir);
        Pass pass = new Pass(app, cold, clientId, from, to, seconds, loadBefore, loadAverage1(),
                sched[0] / 1e9, sched[1] / 1e9);
        System.out.printf(Locale.ROOT, "%-8s %-8s %d records in %7.2f s, load %.2f -> %.2f, stream thread on a CPU %.2f s, "
                        + "queued for one %.2f s%n", cold ? "cold" : "measured", app, records, seconds, pass.loadBefore,
                pass.loadAfter, pass.onCpuSeconds, pass.queuedSeconds);
        return pass;
    }

    /** App settings that replace the product's for both apps, from {@code BENCH_SETTINGS="key=value key=value"}. */
    private static Map<String, String> overrides(String spec) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String pair : spec.trim().split("\\s+")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("BENCH_SETTINGS: expected key=value, got " + pair);
            }
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }

    private static String json(SelectionMethod method, String stem, long samples, long records, int owners, int perBatch,
                               long cacheFloats,
                               Map<String, String> overrides, double loadAtStart, Profile profile, List<Pass> runs) {
        StringBuilder passes = new StringBuilder();
        for (Pass p : runs) {
            passes.append(String.format(Locale.ROOT,
                    "    {\"app\": \"%s\", \"cold\": %s, \"seconds\": %.3f, \"samples_per_s\": %.1f, \"load_average\": [%.2f, %.2f], "
                            + "\"stream_thread_on_cpu_seconds\": %.2f, \"stream_thread_queued_seconds\": %.2f},%n",
                    p.app, p.cold, p.seconds, samples / p.seconds, p.loadBefore, p.loadAfter, p.onCpuSeconds, p.queuedSeconds));
        }
        passes.setLength(passes.length() - 2);
        double[] mycroft = rates(runs, "mycroft", samples, p -> true);
        double[] baseline = rates(runs, "baseline", samples, p -> true);
        double[] floor = rates(runs, "floor", samples, p -> true);
        String floorFigures = floor.length == 0 ? "" : String.format(Locale.ROOT, """
                ,
                    "floor_samples_per_s": {"median": %.1f, "min": %.1f, "max": %.1f},
                    "floor_vs_baseline_ratio": %.3f, "mycroft_vs_floor_ratio": %.3f""", median(floor), floor[0],
                floor[floor.length - 1], median(floor) / median(baseline), median(mycroft) / median(floor));
        double coldMycroft = coldRate(runs, "mycroft", samples);
        double coldBaseline = coldRate(runs, "baseline", samples);
        double[] quietMycroft = rates(runs, "mycroft", samples, StreamsThroughput::quiet);
        double[] quietBaseline = rates(runs, "baseline", samples, StreamsThroughput::quiet);
        double maxLoad = runs.stream().filter(p -> !p.cold).mapToDouble(p -> Math.max(p.loadBefore, p.loadAfter)).max().orElseThrow();
        return String.format(Locale.ROOT, """
                {
                  "method": "%s", "vector_dim": %d,
                  "samples": %d, "records": %d, "owners": %d, "samples_per_record": %d, "gradient_dim": %d,
                  "classes": %d, "budget_per_class": %d, "measured_passes_per_app": %d, "candidate_cache_floats": %d,
                  "steady_state": {
                    "mycroft_samples_per_s": {"median": %.1f, "min": %.1f, "max": %.1f},
                    "baseline_samples_per_s": {"median": %.1f, "min": %.1f, "max": %.1f},
                    "mycroft_vs_baseline_ratio": %.3f,
                    "paired_ratios": %s%s
                  },
                  "steady_state_passes_at_load_below_3": {
                    "mycroft_samples_per_s": %s,
                    "baseline_samples_per_s": %s,
                    "mycroft_vs_baseline_ratio": %s
                  },
                  "cold": {"mycroft_samples_per_s": %.1f, "baseline_samples_per_s": %.1f, "mycroft_vs_baseline_ratio": %.3f},
                  "quiet": %s, "max_load_average_measured": %.2f, "load_average_at_start": %.2f,
                  "measured_mycroft_passes": {"seconds": %.1f, "gc_pause_seconds": %.1f, "stream_thread_cpu_share": %.2f,
                                              "stream_thread_on_cpu_seconds": %.1f, "stream_thread_queued_seconds": %.1f},
                  "settings_overridden": %s,
                  "passes": [
                %s
                  ],
                  "jfr_hot_methods": "%s-hot-methods.txt",
                  "machine": {"cores": %d, "java": "%s", "garbage_collectors": "%s", "max_heap_mb": %d,
                              "jvm_arguments": "%s"}
                }
                """, method, vectorDim(method), samples, records, owners, perBatch, GRADIENT_DIM, CLASSES, K * HARD_PER_CLASS, mycroft.length, cacheFloats,
                median(mycroft), mycroft[0], mycroft[mycroft.length - 1], median(baseline), baseline[0],
                baseline[baseline.length - 1], median(mycroft) / median(baseline), ratioStats(pairedRatios(runs)), floorFigures, stats(quietMycroft), stats(quietBaseline),
                quietMycroft.length > 0 && quietBaseline.length > 0
                        ? String.format(Locale.ROOT, "%.3f", median(quietMycroft) / median(quietBaseline)) : "null",
                coldMycroft, coldBaseline, coldMycroft / coldBaseline, maxLoad < QUIET_LOAD, maxLoad, loadAtStart, profile.passSeconds(), profile.gcPauseSeconds(),
                profile.streamThreadCpu(), measuredMycroft(runs, Pass::onCpuSeconds), measuredMycroft(runs, Pass::queuedSeconds),
                overrides.entrySet().stream().map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"")
                        .collect(Collectors.joining(", ", "{", "}")), passes, stem, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), String.join(", ", java.lang.management.ManagementFactory
                        .getGarbageCollectorMXBeans().stream().map(java.lang.management.GarbageCollectorMXBean::getName).toList()),
                Runtime.getRuntime().maxMemory() >> 20,
                String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
    }

    private static double measuredMycroft(List<Pass> runs, java.util.function.ToDoubleFunction<Pass> time) {
        return runs.stream().filter(Pass::measuredMycroft).mapToDouble(time).sum();
    }

    /**
     * Each measured Mycroft pass's rate over that of the baseline pass just before it, sorted: the two ran a few seconds
     * apart, so a slow spell of the shared machine (run-to-run medians of the same code differ by up to 26 %) moves
     * both sides of a pair together.
     */
    private static double[] pairedRatios(List<Pass> runs) {
        List<Double> ratios = new ArrayList<>();
        Pass baseline = null;
        for (Pass p : runs) {
            if (!p.cold && p.app.equals("baseline")) {
                baseline = p;
            } else if (p.measuredMycroft() && baseline != null) {
                ratios.add(baseline.seconds / p.seconds);
            }
        }
        return ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static String ratioStats(double[] sorted) {
        return sorted.length == 0 ? "null" : String.format(Locale.ROOT, "{\"median\": %.3f, \"min\": %.3f, \"max\": %.3f, \"pairs\": %d}",
                median(sorted), sorted[0], sorted[sorted.length - 1], sorted.length);
    }

    /** The measured (not cold) samples/s of {@code app} in the passes {@code keep} accepts, sorted. */
    private static double[] rates(List<Pass> runs, String app, long samples, java.util.function.Predicate<Pass> keep) {
        return runs.stream().filter(p -> !p.cold && p.app.equals(app) && keep.test(p)).mapToDouble(p -> samples / p.seconds)
                .sorted().toArray();
    }

    /**
     * Whether a pass began and ended at a 1-minute load average below {@value #QUIET_LOAD}: the benchmark's own
     * processes push the load past it in some passes of most runs, and a figure taken there is not a result.
     */
    private static boolean quiet(Pass p) {
        return Math.max(p.loadBefore, p.loadAfter) < QUIET_LOAD;
    }

    /** {"median", "min", "max", "passes"} of sorted rates, or null when there are none. */
    private static String stats(double[] sorted) {
        return sorted.length == 0 ? "null" : String.format(Locale.ROOT, "{\"median\": %.1f, \"min\": %.1f, \"max\": %.1f, \"passes\": %d}",
                median(sorted), sorted[0], sorted[sorted.length - 1], sorted.length);
    }

    private static double coldRate(List<Pass> runs, String app, long samples) {
        return runs.stream().filter(p -> p.cold && p.app.equals(app)).mapToDouble(p -> samples / p.seconds).findFirst().orElseThrow();
    }

    private static double median(double[] sorted) {
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    /**
     * Where the measured Mycroft passes' time went: their total, the collection pauses inside them, their stream
     * threads' mean CPU share (of one core), and the top frames of the execution samples on those threads as "share
     * method" lines (what {@code jfr print --events jdk.ExecutionSample streams.jfr} lists, counted per method).
     */
    private record Profile(double passSeconds, double gcPauseSeconds, double streamThreadCpu, String hotMethods) {
    }

    private static Profile profile(Path jfr, List<Pass> measured) throws IOException {
        Map<String, Long> counts = new HashMap<>();
        long total = 0;
        double passSeconds = measured.stream().mapToDouble(Pass::seconds).sum();
        double gcPauseSeconds = 0;
        double streamThreadCpu = 0;
        int cpuEvents = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            String type = event.getEventType().getName();
            if (type.equals("jdk.GarbageCollection")) {
                if (duringAMeasuredPass(event, measured)) {
                    gcPauseSeconds += event.getDuration("sumOfPauses").toNanos() / 1e9;
                }
                continue;
            }
            if (type.equals("jdk.ThreadCPULoad") && event.getThread() != null && isMeasuredStreamThread(event.getThread(), measured)) {
                // A share of all the machine's cores; times the core count, a share of one core.
                streamThreadCpu += (event.getFloat("user") + event.getFloat("system")) * Runtime.getRuntime().availableProcessors();
                cpuEvents++;
                continue;
            }
            if (!type.equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedThread thread = event.getThread("sampledThread");
            RecordedStackTrace stack = event.getStackTrace();
            if (thread == null || stack == null || stack.getFrames().isEmpty()
                    || !(isMeasuredStreamThread(thread, measured) || isPoolWorkerDuringAPass(thread, event, measured))) {
                continue;
            }
            RecordedMethod top = stack.getFrames().get(0).getMethod();
            counts.merge(top.getType().getName() + "." + top.getName(), 1L, Long::sum);
            total++;
        }
        double cpu = streamThreadCpu / Math.max(1, cpuEvents);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, """
                Measured Mycroft passes: %.1f s in all; garbage-collection pauses in them %.1f s (%.0f %%); the stream \
                thread on a CPU %.0f %% of the time (jdk.ThreadCPULoad, share of one core, mean of %d readings)
                JFR execution samples on the Mycroft stream thread and the fork-join pool's workers over the measured passes: %d; top frames
                """, passSeconds, gcPauseSeconds, 100 * gcPauseSeconds / passSeconds, 100 * cpu, cpuEvents, total));
        long all = Math.max(1, total);
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(HOT_METHODS)
                .forEach(e -> out.append(String.format(Locale.ROOT, "%6.1f%%  %s%n", 100.0 * e.getValue() / all, e.getKey())));
        return new Profile(passSeconds, gcPauseSeconds, cpu, out.toString());
    }

    /** A common fork-join pool worker (the app computes large Gram columns there in parallel) inside a measured pass. */
    private static boolean isPoolWorkerDuringAPass(RecordedThread thread, RecordedEvent event, List<Pass> measured) {
        String name = thread.getJavaName();
        return name != null && name.startsWith("ForkJoinPool.commonPool-worker") && duringAMeasuredPass(event, measured);
    }

    private static boolean duringAMeasuredPass(RecordedEvent event, List<Pass> measured) {
        return measured.stream().anyMatch(p -> !event.getStartTime().isBefore(p.from) && event.getStartTime().isBefore(p.to));
    }

    /** A stream thread (not its producer's or consumer's threads) of one of the measured passes' apps. */
    private static boolean isMeasuredStreamThread(RecordedThread thread, List<Pass> measured) {
        String name = thread.getJavaName();
        return name != null && measured.stream().anyMatch(p -> name.equals(p.clientId + "-StreamThread-1"));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
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
        return oneEntryPerRecord(topics, batch -> batch.getSamples().size());
    }

    /**
     * The least any exact FEATURE selection does per record beyond the baseline: per sample, its unit vector and its
     * squared distance to every hard sample of its class, with the functions the processor uses. Then one changelogged
     * entry per record, as the baseline writes (holding the sum of the distances, so no work is optimised away). No
     * per-sample state, no duplicate claims, no subsets: what is left of the gap to the baseline is the selection math.
     */
    private static Topology floor(Topics topics, HardSetVectors hardSet) {
        Map<Integer, List<double[]>> hardUnits = new HashMap<>();
        for (ClassTarget c : hardSet.getClasses()) {
            hardUnits.put(c.getLabel(), c.getHardSamples().stream().map(h -> UnitVectors.unit(Vectors.fromBytes(
                    h.getEmbedding().getValues(), h.getEmbedding().getDim()), hardSet.getEmbeddingDim(), "hard sample",
                    h.getSampleId())).toList());
        }
        return oneEntryPerRecord(topics, batch -> {
            double sum = 0;
            for (SampleVector sample : batch.getSamples()) {
                FloatVector embedding = sample.getEmbedding();
                double[] unit = UnitVectors.unit(Vectors.fromBytes(embedding.getValues(), embedding.getDim()),
                        hardSet.getEmbeddingDim(), "owner sample", sample.getSampleId());
                for (double[] hard : hardUnits.getOrDefault(sample.getLabel(), List.of())) {
                    sum += UnitVectors.squaredDistance(hard, unit);
                }
            }
            return sum;
        });
    }

    /**
     * A Streams app that reads every batch of {@code sample-vectors} with the topic's serde and adds {@code perRecord}
     * of it to one changelogged RocksDB entry under the record's key: one write per record, as the baseline's definition.
     */
    private static Topology oneEntryPerRecord(Topics topics, ToDoubleFunction<SampleVectors> perRecord) {
        Topic<String, SampleVectors> input = topics.sampleVectors();
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("totals"), Serdes.String(), Serdes.Double()));
        builder.stream(input.name(), Consumed.with(input.keySerde(), input.valueSerde()))
                .process(() -> new Processor<String, SampleVectors, Void, Void>() {
                    private KeyValueStore<String, Double> totals;

                    @Override
                    public void init(ProcessorContext<Void, Void> context) {
                        totals = context.getStateStore("totals");
                    }

                    @Override
                    public void process(Record<String, SampleVectors> record) {
                        Double before = totals.get(record.key());
                        totals.put(record.key(), (before == null ? 0 : before) + perRecord.applyAsDouble(record.value()));
                    }
                }, "totals");
        return builder.build();
    }

    /** The dimension of what each sample carries: a last-layer gradient (GRADIENT) or a penultimate embedding (FEATURE). */
    private static int vectorDim(SelectionMethod method) {
        return method == SelectionMethod.GRADIENT ? GRADIENT_DIM : HIDDEN;
    }

    /**
     * One request (10 classes × 4 hard samples, k = 2) and owners × batches of samples as the worker sends them for
     * {@code method}: last-layer-sized gradients for GRADIENT, embeddings for FEATURE. Returns the request's hard set.
     */
    private static HardSetVectors produce(StackProperties endpoints, Topics topics, String request, SelectionMethod method, int owners,
                                          int batches, int perBatch) {
        Random random = new Random(7);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(10 * 1024 * 1024));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            HardSetVectors hardSet = hardSet(random, request, method);
            producer.send(new ProducerRecord<>(topics.hardsetVectors().name(), request,
                    topics.hardsetVectors().valueSerde().serializer().serialize(topics.hardsetVectors().name(), hardSet)));
            // As the workers place them: every owner's vectors of the request in the request's partition.
            int partition = Keys.requestPartition(request, producer.partitionsFor(topics.sampleVectors().name()).size());
            for (int b = 0; b < batches; b++) {
                for (int o = 0; o < owners; o++) {
                    String owner = "owner-" + o;
                    producer.send(new ProducerRecord<>(topics.sampleVectors().name(), partition, Keys.requestOwner(request, owner),
                            topics.sampleVectors().valueSerde().serializer().serialize(topics.sampleVectors().name(),
                                    batch(random, request, owner, b, perBatch, method))));
                }
            }
            producer.flush();
            return hardSet;
        }
    }

    /** The benchmark's request: 10 classes × 4 hard samples (d = 128 embeddings), k = 2, computed for {@code method}. */
    static HardSetVectors hardSet(Random random, String request, SelectionMethod method) {
        List<ClassTarget> classes = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            List<HardSampleVector> hard = new ArrayList<>();
            for (int h = 0; h < HARD_PER_CLASS; h++) {
                hard.add(new HardSampleVector("h" + c + "-" + h, FloatVectors.of(gaussian(random, HIDDEN))));
            }
            classes.add(new ClassTarget(c, FloatVectors.of(gaussian(random, GRADIENT_DIM)), hard, null));
        }
        return HardSetVectors.newBuilder().setRequestId(request).setModelId("mlp").setModelVersion(1)
                .setMethod(method).setPerHardSample(K).setOptions(SelectionOptions.newBuilder().build())
                .setGradientDim(GRADIENT_DIM).setEmbeddingDim(HIDDEN).setClasses(classes).setComputedAt(Instant.now()).build();
    }

    /**
     * The {@code b}-th record of {@code owner}: {@code perBatch} samples of random labels, each with a distinct content
     * digest (no sample copies another) and a Gaussian gradient (GRADIENT) or embedding (FEATURE).
     */
    static SampleVectors batch(Random random, String request, String owner, int b, int perBatch, SelectionMethod method) {
        List<SampleVector> batch = new ArrayList<>(perBatch);
        for (int s = 0; s < perBatch; s++) {
            byte[] digest = new byte[32];
            random.nextBytes(digest);
            FloatVector vector = FloatVectors.of(gaussian(random, vectorDim(method)));
            batch.add(new SampleVector(owner + "-" + b + "-" + s, random.nextInt(CLASSES),
                    method == SelectionMethod.GRADIENT ? vector : null,
                    method == SelectionMethod.FEATURE ? vector : null, 1f, ByteBuffer.wrap(digest), (long) s, null));
        }
        return new SampleVectors(request, owner, 1, batch);
    }

    private static float[] gaussian(Random random, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /**
     * Scheduler statistics of this process's threads whose name starts as {@code javaName} does within the 15 characters
     * Linux keeps of a thread's name (the stream thread, and threads named after it), by their {@code /proc} directory.
     */
    private static Map<Path, long[]> schedstats(String javaName) throws IOException {
        String comm = javaName.substring(0, Math.min(15, javaName.length()));
        Map<Path, long[]> out = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().equals(comm)) {
                        out.put(task, schedstat(task));
                    }
                } catch (IOException gone) {
                    // the thread ended while listed
                }
            }
        }
        return out;
    }

    /**
     * The stream thread's nanoseconds on a CPU and queued for one since {@code from}: of the threads listed there, the
     * one that ran longest (the others named after it barely run).
     */
    private static long[] streamThreadSchedstat(Map<Path, long[]> from) throws IOException {
        long[] best = {0, 0};
        for (Map.Entry<Path, long[]> thread : from.entrySet()) {
            long[] now;
            try {
                now = schedstat(thread.getKey());
            } catch (IOException ended) {
                continue; // not the stream thread, which runs until the pass is closed
            }
            long[] delta = {now[0] - thread.getValue()[0], now[1] - thread.getValue()[1]};
            if (delta[0] >= best[0]) {
                best = delta;
            }
        }
        return best;
    }

    /** A thread's nanoseconds on a CPU and runnable but waiting for one (the first two fields of its schedstat). */
    private static long[] schedstat(Path thread) throws IOException {
        String[] fields = Files.readString(thread.resolve("schedstat")).strip().split(" ");
        return new long[]{Long.parseLong(fields[0]), Long.parseLong(fields[1])};
    }

    private static double loadAverage1() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }
}
