package io.mycroft.inference.worker;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The names and values a Prometheus scrape of a worker shows (the names OPERATIONS.md tells operators to watch). */
class WorkerMetricsTest {
    @Test
    void countsBatchesVectorsAndDeadLettersUnderTheirPrometheusNames() {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicLong vectors = new AtomicLong();
        AtomicLong letters = new AtomicLong();
        try (WorkerMetrics metrics = new WorkerMetrics(meters, new MockConsumer<byte[], byte[]>(AutoOffsetResetStrategy.EARLIEST.name()),
                new MockProducer<byte[], byte[]>(), vectors::get, letters::get)) {
            metrics.batchCommitted(200, 1_500_000_000L);
            metrics.batchCommitted(56, 500_000_000L);
            vectors.set(512);
            letters.set(2);
            System.gc(); // the registry holds the counters' sources weakly: they must outlive a collection

            assertThat(meters.scrape()).contains(
                    "mycroft_worker_samples_consumed_total 256.0",
                    "mycroft_worker_vectors_produced_total 512.0",
                    "mycroft_worker_dead_letters_total 2.0",
                    "mycroft_worker_batch_seconds_count 2",
                    "mycroft_worker_batch_seconds_sum 2.0",
                    "mycroft_worker_batch_seconds_bucket{le=\"+Inf\"} 2");
        }
    }
}
