package io.mycroft.inference.worker;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** An {@link InferenceWorker} looping on a thread of the test JVM; closing stops it, waits for its loop and closes it. */
final class InProcessWorker implements AutoCloseable {
    private final InferenceWorker worker;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Thread loop;

    private InProcessWorker(WorkerConfig config) {
        this.worker = new InferenceWorker(config, meters);
        this.loop = new Thread(worker::run, "worker-" + config.workerId());
    }

    static InProcessWorker start(WorkerConfig config) {
        InProcessWorker w = new InProcessWorker(config);
        w.loop.start();
        return w;
    }

    InferenceWorker worker() {
        return worker;
    }

    /** The worker's metrics as its GET /metrics would show them. */
    String scrape() {
        return meters.scrape();
    }

    @Override
    public void close() throws InterruptedException {
        worker.stop();
        loop.join(30_000);
        worker.close();
    }
}
