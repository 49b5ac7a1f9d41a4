package io.mycroft.processors;

import io.mycroft.schemas.Topic;
import mycroft.schemas.SampleVectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * {@link SourceRecords} over the broker: a consumer built like Kafka Streams' own restore consumer (same cluster and
 * security settings, {@code read_committed} under exactly-once, no group), assigned to one partition and seeked to the
 * first offset asked for. It needs every asked offset still in the log: {@code sample-vectors} must be retained for as
 * long as its requests live ({@code retention.ms = -1}, as {@code Topics.SAMPLE_VECTORS} creates it).
 */
final class KafkaSourceRecords implements SourceRecords {
    private static final Duration POLL = Duration.ofMillis(500);
    /** Polls without a new record before the read gives up (the broker is gone, or the records are). */
    private static final int IDLE_POLLS = 120;

    private final Topic<String, SampleVectors> topic;
    private final KafkaConsumer<byte[], byte[]> consumer;

    KafkaSourceRecords(Map<String, Object> appConfigs, Topic<String, SampleVectors> topic, String clientId) {
        this.topic = topic;
        Map<String, Object> config = new StreamsConfig(appConfigs).getRestoreConsumerConfigs(clientId);
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void read(int partition, List<Long> offsets, BiConsumer<byte[], byte[]> each) {
        if (offsets.isEmpty()) {
            return;
        }
        TopicPartition tp = new TopicPartition(topic.name(), partition);
        consumer.assign(List.of(tp));
        long logStart = consumer.beginningOffsets(List.of(tp)).get(tp);
        if (logStart > offsets.get(0)) {
            throw new IllegalStateException(tp + " starts at offset " + logStart + " but the candidates to rebuild need offset "
                    + offsets.get(0) + ": sample-vectors must keep every record while its request lives (retention.ms = -1)");
        }
        consumer.seek(tp, offsets.get(0));
        int next = 0;
        int idle = 0;
        while (next < offsets.size()) {
            var records = consumer.poll(POLL).records(tp);
            idle = records.isEmpty() ? idle + 1 : 0;
            if (idle > IDLE_POLLS) {
                throw new IllegalStateException("no record at offset " + offsets.get(next) + " of " + tp + " after "
                        + POLL.multipliedBy(IDLE_POLLS).toSeconds() + " s");
            }
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (next < offsets.size() && r.offset() == offsets.get(next)) {
                    each.accept(r.key(), r.value());
                    next++;
                } else if (next < offsets.size() && r.offset() > offsets.get(next)) {
                    throw new IllegalStateException("offset " + offsets.get(next) + " of " + tp + " holds no committed record");
                }
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
