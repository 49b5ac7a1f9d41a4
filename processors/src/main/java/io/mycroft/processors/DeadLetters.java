package io.mycroft.processors;

import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import mycroft.schemas.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

/**
 * Builds the dead letters of the Streams app: the reason, where the record came from, and its bytes unchanged. The
 * processors write their own; the app's exception handlers use {@link #fromHandler}.
 */
public final class DeadLetters {
    private final Topic<String, DeadLetter> topic;

    DeadLetters(Topics topics) {
        this.topic = topics.deadLetters();
    }

    public static DeadLetters from(Map<String, ?> configs) {
        return new DeadLetters(Topics.from(configs));
    }

    public static DeadLetter letter(String stage, String reason, Exception cause, String sourceTopic, Integer partition,
                             Long offset, byte[] key, byte[] value, Instant at) {
        return DeadLetter.newBuilder().setStage(stage).setReason(reason)
                .setErrorClass(cause == null ? null : cause.getClass().getName())
                .setTopic(sourceTopic).setPartition(partition).setOffset(offset)
                .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
                .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
                .setFailedAt(at).build();
    }

    /** The dead letter of {@code record}, read by a plain consumer, with its original bytes, as a record to produce. */
    public ProducerRecord<byte[], byte[]> of(String stage, String reason, Exception cause, ConsumerRecord<byte[], byte[]> record,
                                             Instant at) {
        DeadLetter letter = letter(stage, reason, cause, record.topic(), record.partition(), record.offset(), record.key(),
                record.value(), at);
        return new ProducerRecord<>(topic.name(), null, at.toEpochMilli(), record.key(), topic.valueSerde().serializer().serialize(topic.name(), letter));
    }

    /** The dead letter of the record a handler is given, as a record for Kafka Streams to produce with its transaction. */
    public ProducerRecord<byte[], byte[]> fromHandler(String stage, ErrorHandlerContext context, Exception cause) {
        DeadLetter letter = letter(stage, cause.getMessage(), cause, context.topic(), context.partition(), context.offset(),
                context.sourceRawKey(), context.sourceRawValue(), Instant.ofEpochMilli(context.timestamp()));
        byte[] value = topic.valueSerde().serializer().serialize(topic.name(), letter);
        return new ProducerRecord<>(topic.name(), null, context.timestamp(), context.sourceRawKey(), value);
    }
}
