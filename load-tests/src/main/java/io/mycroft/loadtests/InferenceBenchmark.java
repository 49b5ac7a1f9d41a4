package io.mycroft.loadtests;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.vectors.SampleGradients;
import io.mycroft.inference.worker.InferenceWorker;
import io.mycroft.inference.worker.WorkerConfig;
import io.mycroft.schemas.FloatVectors;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.stack.LocalStack;
import io.mycroft.stack.StackProperties;
import mycroft.schemas.HardSample;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;
import mycroft.schemas.SourcePosition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Inference benchmark (issue 6; report load-tests/reports/inference.md and .json):
 * <ol>
 *   <li>samples/s of gradient + embedding extraction for the Fashion-MNIST MLP 784-256-128-10, batch 256, DJL (the
 *       worker's code path: TorchScript forward + closed-form last-layer gradient in Java) against PyTorch in Python on
 *       the same TorchScript model, alternating rounds in one run so both see the same machine load (the ratio is the
 *       median of the per-round ratios);</li>
 *   <li>worker throughput through Kafka on a fresh local stack: an in-process {@link InferenceWorker} backfilling
 *       pre-loaded owner samples for a new request (after a warm-up request), then a live stream.</li>
 * </ol>
 * Usage: {@code InferenceBenchmark WORK_DIR REPORT_DIR [ROUNDS] [WORKER_SAMPLES]}.
 */
public final class InferenceBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 256;
    private static final int BATCHES = 1000; // ~1-3 s per round: long enough to ride out short bursts of load
    private static final int INPUTS = 784;

    private InferenceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path reports = Path.of(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int workerSamples = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        Files.createDirectories(work);
        Files.createDirectories(reports);

        List<Double> torch = new ArrayList<>();
        List<Double> djl = new ArrayList<>();
        JsonNode torchInfo = null;
        for (int round = 0; round < rounds; round++) {
            torchInfo = pythonRound(work);
            torch.add(torchInfo.get("samples_per_s").asDouble());
            djl.add(djlRound(work.resolve("mlp784.pt")));
            System.out.printf("round %d: pytorch %.0f, djl %.0f samples/s%n", round, torch.get(round), djl.get(round));
        }
        double torchRate = median(torch);
        double djlRate = median(djl);
        // Each DJL round runs right after a PyTorch round, under the same machine load: compare them pairwise.
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            ratios.add(djl.get(i) / torch.get(i));
        }
        Worker worker = workerThroughput(work, Files.readAllBytes(work.resolve("mlp784.pt")), workerSamples);

        ObjectNode json = JSON.createObjectNode();
        json.put("model", "MLP 784-256-128-10 (TorchScript from python3-torch " + torchInfo.get("torch_version").asText() + ")");
        json.put("batch", BATCH);
        json.put("batches_per_round", BATCHES);
        json.put("rounds", rounds);
        json.put("threads", 1);
        json.put("djl_samples_per_s", Math.round(djlRate));
        json.put("pytorch_samples_per_s", Math.round(torchRate));
        json.put("djl_vs_pytorch_ratio", Math.round(median(ratios) * 1000) / 1000.0);
        json.putPOJO("djl_vs_pytorch_round_ratios", ratios.stream().map(r -> Math.round(r * 1000) / 1000.0).toList());
        json.putPOJO("djl_rounds", djl.stream().map(Math::round).toList());
        json.putPOJO("pytorch_rounds", torch.stream().map(Math::round).toList());
        json.put("worker_samples", workerSamples);
        json.put("worker_samples_per_s", Math.round(worker.backfillRate()));
        json.put("worker_live_samples_per_s", Math.round(worker.liveRate()));
        json.put("measured_at", Instant.now().toString());
        JSON.writerWithDefaultPrettyPrinter().writeValue(reports.resolve("inference.json").toFile(), json);
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }

    /** One Python round (it warms up itself and times BATCHES batches). */
    private static JsonNode pythonRound(Path work) throws Exception {
        Path script = Path.of("load-tests", "inference", "torch_bench.py");
        Process python = new ProcessBuilder("/usr/bin/python3", script.toString(), work.toString(),
                String.valueOf(BATCH), String.valueOf(BATCHES), "1").inheritIO().start();
        if (python.waitFor() != 0) {
            throw new IllegalStateException("torch_bench.py failed (is python3-torch installed? apt-get install -y python3-torch)");
        }
        return JSON.readTree(work.resolve("torch.json").toFile());
    }

    /** One DJL round: the worker's per-batch work (forward, h, loss, closed-form gradient) on the same model. */
    private static double djlRound(Path model) throws Exception {
        ModelArtifact artifact = ModelArtifacts.torchScript("bench", 1, Files.readAllBytes(model), INPUTS, 10, 128, Instant.now());
        Random random = new Random(1);
        float[][] x = new float[BATCH][INPUTS];
        int[] y = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            for (int j = 0; j < INPUTS; j++) {
                x[i][j] = random.nextFloat();
            }
            y[i] = random.nextInt(10);
        }
        try (Network network = ModelArtifacts.load(artifact, Device.cpu())) {
            SampleGradients gradients = new SampleGradients(network, null);
            for (int i = 0; i < 100; i++) { // the JIT compiles the Java side of the gradient during these
                gradients.compute(x, y);
            }
            long start = System.nanoTime();
            for (int i = 0; i < BATCHES; i++) {
                gradients.compute(x, y);
            }
            return (double) BATCH * BATCHES / ((System.nanoTime() - start) / 1e9);
        }
    }

    private record Worker(double backfillRate, double liveRate) {
    }

    private static Worker workerThroughput(Path work, byte[] model, int samples) throws Exception {
        LocalStack stack = new LocalStack(Files.createTempDirectory(work, "stack-"), line -> System.out.println("[stack] " + line));
        StackProperties endpoints = stack.up(true);
        Topics topics = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, endpoints.schemaRegistryUrl()));
        InferenceWorker worker = null;
        Thread loop = null;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 10 * 1024 * 1024, ProducerConfig.LINGER_MS_CONFIG, 20),
                new StringSerializer(), new ByteArraySerializer());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()))) {
            ModelArtifact artifact = ModelArtifacts.torchScript("bench", 1, model, INPUTS, 10, 128, Instant.now());
            send(producer, topics.models(), "bench", artifact);
            produceSamples(producer, topics, 0, samples);
            worker = new InferenceWorker(new WorkerConfig(endpoints.bootstrapServers(), endpoints.schemaRegistryUrl(), "",
                    "bench", "bench-0", BATCH, Duration.ofMillis(50), "cpu"));
            InferenceWorker running = worker;
            loop = new Thread(running::run, "worker");
            loop.start();
            // The worker first reads the pre-loaded samples with no request: a request then has them all to backfill.
            awaitNoLag(admin, topics, "bench");
            backfill(producer, topics, running, "warm-up");
            double backfillRate = samples / backfill(producer, topics, running, "measured");
            producer.send(new ProducerRecord<>(topics.hardsetRequests().name(), "warm-up", null));
            producer.flush();
            // Live: 'measured' stays active; new samples stream in and are turned into vectors as they come.
            long before = running.samplesSent();
            long start = System.nanoTime();
            produceSamples(producer, topics, samples, samples);
            System.out.printf("live: produced %d samples in %.2f s%n", samples, (System.nanoTime() - start) / 1e9);
            while (running.samplesSent() - before < samples) {
                Thread.sleep(10);
            }
            awaitNoLag(admin, topics, "bench");
            double liveRate = samples / ((System.nanoTime() - start) / 1e9);
            System.out.printf("live: %d samples in %.2f s%n", samples, samples / liveRate);
            return new Worker(backfillRate, liveRate);
        } finally {
            if (worker != null) {
                worker.stop();
                loop.join(30_000);
                worker.close();
            }
            stack.down();
        }
    }

    /** Publishes a request and returns the seconds until the worker has backfilled every pre-loaded sample for it. */
    private static double backfill(KafkaProducer<String, byte[]> producer, Topics topics, InferenceWorker worker, String id)
            throws Exception {
        long start = System.nanoTime();
        send(producer, topics.hardsetRequests(), id, request(id));
        producer.flush();
        awaitDone(worker, id);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("request %s: backfill %s in %.2f s%n", id, worker.progress().get(id), seconds);
        return seconds;
    }

    /** Waits until the group's committed offsets reach the end of owner-samples. */
    private static void awaitNoLag(Admin admin, Topics topics, String group) throws Exception {
        String topic = topics.ownerSamples().name();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < Topics.OWNER_SAMPLES.partitions(); p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            long lag = 0;
            for (var e : admin.listOffsets(latest).all().get().entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += e.getValue().offset() - (c == null ? 0 : c.offset());
            }
            if (lag == 0) {
                return;
            }
            Thread.sleep(20);
        }
    }

    private static void awaitDone(InferenceWorker worker, String id) throws InterruptedException {
        while (worker.progress().get(id) == null || !worker.progress().get(id).done()) {
            Thread.sleep(20);
        }
    }

    private static void produceSamples(KafkaProducer<String, byte[]> producer, Topics topics, int from, int count) {
        Topic<String, OwnerSample> ownerSamples = topics.ownerSamples(); // one serde: it caches the schema id
        Random random = new Random(from);
        for (int i = from; i < from + count; i++) {
            float[] f = new float[INPUTS];
            for (int j = 0; j < INPUTS; j++) {
                f[j] = random.nextFloat();
            }
            String owner = "owner-" + (i % 8);
            send(producer, ownerSamples, owner, OwnerSample.newBuilder().setOwnerId(owner).setSampleId("s" + i)
                    .setLabel(i % 10).setFeatures(FloatVectors.of(f)).setSource(new SourcePosition("bench", "random", (long) i))
                    .setIngestedAt(Instant.now()).build());
        }
        producer.flush();
    }

    private static HardSetRequest request(String id) {
        Random random = new Random(id.hashCode());
        List<HardSample> hard = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            float[] f = new float[INPUTS];
            Arrays.fill(f, random.nextFloat());
            hard.add(new HardSample("h" + i, i, FloatVectors.of(f)));
        }
        return HardSetRequest.newBuilder().setRequestId(id).setModelId("bench").setModelVersion(1)
                .setMethod(SelectionMethod.GRADIENT).setBudget(16).setPerHardSample(4).setHardSamples(hard)
                .setOptions(SelectionOptions.newBuilder().build()).setCreatedAt(Instant.now()).build();
    }

    private static <V> void send(KafkaProducer<String, byte[]> producer, Topic<String, V> topic, String key, V value) {
        producer.send(new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value)));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
