package io.mycroft.inference.worker;

import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** What the worker produces, serialised through the topic catalogue and sent inside the current transaction. */
final class Outputs {
    static final String STAGE = "inference";
    private final KafkaProducer<byte[], byte[]> producer;
    private final Topic<String, SampleVectors> sampleVectors;
    private final Topic<String, HardSetVectors> hardSetVectors;
    private final Topic<String, DeadLetter> deadLetters;
    /** Written by the worker thread only; volatile so the metrics endpoint reads a current value. */
    private volatile long samplesSent;
    private volatile long deadLettersSent;

    Outputs(KafkaProducer<byte[], byte[]> producer, Topics topics) {
        this.producer = producer;
        this.sampleVectors = topics.sampleVectors();
        this.hardSetVectors = topics.hardsetVectors();
        this.deadLetters = topics.deadLetters();
    }

    /**
     * SampleVectors records keyed request|owner, at most {@link WorkerConfig#MAX_SAMPLES_PER_RECORD} samples each, in
     * the request's partition ({@link Keys#requestPartition}).
     */
    void samples(String requestId, String ownerId, int modelVersion, List<SampleVector> samples) {
        byte[] key = key(Keys.requestOwner(requestId, ownerId));
        int partition = Keys.requestPartition(requestId, producer.partitionsFor(sampleVectors.name()).size());
        for (int from = 0; from < samples.size(); from += WorkerConfig.MAX_SAMPLES_PER_RECORD) {
            List<SampleVector> chunk = samples.subList(from, Math.min(samples.size(), from + WorkerConfig.MAX_SAMPLES_PER_RECORD));
            producer.send(new ProducerRecord<>(sampleVectors.name(), partition, key,
                    serialize(sampleVectors, new SampleVectors(requestId, ownerId, modelVersion, List.copyOf(chunk)))));
        }
        samplesSent += samples.size();
    }

    void hardSet(HardSetVectors vectors) {
        send(hardSetVectors, vectors.getRequestId(), vectors);
    }

    /** The tombstone that tells the Streams app a request was cancelled. */
    void hardSetCancelled(String requestId) {
        producer.send(new ProducerRecord<>(hardSetVectors.name(), key(requestId), null));
    }

    void deadLetter(String stage, String reason, Exception cause, String topic, Integer partition, Long offset,
                    byte[] key, byte[] value) {
        DeadLetter letter = DeadLetter.newBuilder().setStage(stage).setReason(reason)
                .setErrorClass(cause == null ? null : cause.getClass().getName())
                .setTopic(topic).setPartition(partition).setOffset(offset)
                .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
                .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
                .setFailedAt(Instant.now()).build();
        producer.send(new ProducerRecord<>(deadLetters.name(), key, serialize(deadLetters, letter)));
        deadLettersSent++;
    }

    long samplesSent() {
        return samplesSent;
    }

    long deadLettersSent() {
        return deadLettersSent;
    }

    private <V> void send(Topic<String, V> topic, String key, V value) {
        producer.send(new ProducerRecord<>(topic.name(), key(key), serialize(topic, value)));
    }

    private static <V> byte[] serialize(Topic<String, V> topic, V value) {
        return topic.valueSerde().serializer().serialize(topic.name(), value);
    }

    private static byte[] key(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
