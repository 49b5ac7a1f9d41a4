package io.mycroft.inference.cli;

import io.mycroft.inference.worker.InferenceWorker;
import io.mycroft.inference.worker.WorkerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code mycroft worker}: runs one inference worker ("pod") until it is stopped (SIGTERM / Ctrl-C). */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run an inference worker: owner-samples -> sample-vectors and hardset-vectors (exactly once).")
public final class WorkerCommand implements Callable<Integer> {
    /** Exit code of a setting the user can fix (the message says which). */
    static final int USER_ERROR = 2;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--group", defaultValue = "mycroft-inference", description = "Consumer group of all workers (default: ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--worker-id", description = "Stable id of this worker: its transactional and static member id."
            + " A restart with the same id fences the old process at once (default: $HOSTNAME).")
    String workerId;

    @Option(names = "--batch-size", defaultValue = "0", description = "Owner samples per forward pass; 0 = 256 on a CPU, 2048 on a GPU.")
    int batchSize;

    @Option(names = "--linger-ms", defaultValue = "50", description = "Longest wait for a batch to fill (default: ${DEFAULT-VALUE}).")
    long lingerMs;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu (fails if the engine has none) or auto (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--metrics-port", defaultValue = "7071",
            description = "Port of GET /metrics (Prometheus); 0 = any free port (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--metrics-address", defaultValue = "127.0.0.1",
            description = "Address the metrics endpoint binds to; 0.0.0.0 to be scraped from other hosts (default: ${DEFAULT-VALUE}).")
    String metricsAddress;

    @Override
    public Integer call() throws InterruptedException {
        String id = workerId != null ? workerId : System.getenv().getOrDefault("HOSTNAME", "worker-0");
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricsEndpoint endpoint = null;
        InferenceWorker worker;
        try {
            WorkerConfig config = new WorkerConfig(connection.bootstrapServers(), connection.schemaRegistryUrl(),
                    connection.topicPrefix(), group, id, batchSize, Duration.ofMillis(lingerMs), device, connection.clientSettings());
            if (metricsPort < 0 || metricsPort > 65535) {
                throw new IllegalArgumentException("--metrics-port must be in [0, 65535], was " + metricsPort);
            }
            endpoint = new MetricsEndpoint(meters, metricsAddress, metricsPort);
            worker = new InferenceWorker(config, meters);
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            // e.g. --batch-size -5, --device gpu without a GPU, a metrics port in use
            if (endpoint != null) {
                endpoint.close();
            }
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
            return USER_ERROR;
        }
        MetricsEndpoint metrics = endpoint;
        spec.commandLine().getOut().println("worker " + id + ": metrics on http://" + metricsAddress + ":" + metrics.port() + "/metrics");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.stop();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "worker-stop"));
        try (metrics; worker) {
            worker.run();
        } finally {
            stopped.countDown();
        }
        return 0;
    }
}
