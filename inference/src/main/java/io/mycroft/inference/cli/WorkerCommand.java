package io.mycroft.inference.cli;

import io.mycroft.inference.worker.InferenceWorker;
import io.mycroft.inference.worker.WorkerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

    @Override
    public Integer call() throws InterruptedException {
        String id = workerId != null ? workerId : System.getenv().getOrDefault("HOSTNAME", "worker-0");
        WorkerConfig config = new WorkerConfig(connection.bootstrapServers(), connection.schemaRegistryUrl(),
                connection.topicPrefix(), group, id, batchSize, Duration.ofMillis(lingerMs), device);
        InferenceWorker worker;
        try {
            worker = new InferenceWorker(config);
        } catch (IllegalArgumentException | IllegalStateException e) {
            spec.commandLine().getErr().println("worker: " + e.getMessage()); // e.g. --device gpu without a GPU
            return USER_ERROR;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.stop();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "worker-stop"));
        try (worker) {
            worker.run();
        } finally {
            stopped.countDown();
        }
        return 0;
    }
}
