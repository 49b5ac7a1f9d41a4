package io.mycroft.inference.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A worker's meters (Prometheus names in brackets): owner samples consumed and committed
 * ({@code mycroft_worker_samples_consumed_total}), sample vectors produced ({@code mycroft_worker_vectors_produced_total}),
 * dead letters ({@code mycroft_worker_dead_letters_total}), the time of one batch transaction, inference included
 * ({@code mycroft_worker_batch_seconds}, a histogram), and the live consumer's and producer's own Kafka metrics, among
 * them the lag behind owner-samples ({@code kafka_consumer_fetch_manager_records_lag_max}).
 */
final class WorkerMetrics implements AutoCloseable {
    private final Counter consumed;
    private final Timer batch;
    // A FunctionCounter holds its source weakly: these fields keep the sources alive as long as the worker.
    private final LongSupplier vectorsProduced;
    private final LongSupplier deadLetters;
    private final KafkaClientMetrics consumerMetrics;
    private final KafkaClientMetrics producerMetrics;

    WorkerMetrics(MeterRegistry meters, Consumer<?, ?> live, Producer<?, ?> producer, LongSupplier vectorsProduced,
                  LongSupplier deadLetters) {
        this.vectorsProduced = vectorsProduced;
        this.deadLetters = deadLetters;
        consumed = Counter.builder("mycroft.worker.samples.consumed")
                .description("Owner samples of committed live batches").register(meters);
        batch = Timer.builder("mycroft.worker.batch").description("One batch transaction: decode, inference, produce, commit")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(1)).register(meters);
        FunctionCounter.builder("mycroft.worker.vectors.produced", vectorsProduced, LongSupplier::getAsLong)
                .description("Sample vectors sent (live and backfill)").register(meters);
        FunctionCounter.builder("mycroft.worker.dead.letters", deadLetters, LongSupplier::getAsLong)
                .description("Records sent to dead-letters").register(meters);
        consumerMetrics = new KafkaClientMetrics(live);
        consumerMetrics.bindTo(meters);
        producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(meters);
    }

    void batchCommitted(int liveSamples, long nanos) {
        consumed.increment(liveSamples);
        batch.record(Duration.ofNanos(nanos));
    }

    @Override
    public void close() {
        consumerMetrics.close();
        producerMetrics.close();
    }
}
