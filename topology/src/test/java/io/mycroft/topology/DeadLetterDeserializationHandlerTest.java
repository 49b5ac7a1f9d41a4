package io.mycroft.topology;

import io.mycroft.schemas.ExampleRecords;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.InMemorySchemaRegistry;
import io.mycroft.schemas.serde.SchemaRegistryException;
import io.mycroft.schemas.serde.SerdeConfig;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.SampleVectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import io.mycroft.schemas.serde.WireFormatException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterDeserializationHandlerTest {
    private static final String SCOPE = "dlq-handler";
    private final Map<String, Object> configs = Map.of(SerdeConfig.REGISTRY_URL, "mock://" + SCOPE, Topics.PREFIX, "t-");
    private final Topics topics = Topics.from(configs);

    @AfterEach
    void dropRegistry() {
        InMemorySchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void badBytesBecomeADeadLetterWithReasonSourceAndTheOriginalBytes() {
        byte[] key = "r1|o".getBytes();
        byte[] value = topics.deadLetters().valueSerde().serializer().serialize("t-sample-vectors", ExampleRecords.deadLetter());
        Exception mismatch = catchDeserialization(value);

        DeserializationExceptionHandler.Response response = handler().handleError(context(key, value), record(key, value), mismatch);

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).hasSize(1);
        ProducerRecord<byte[], byte[]> out = response.deadLetterQueueRecords().get(0);
        assertThat(out.topic()).isEqualTo("t-dead-letters");
        assertThat(out.key()).isEqualTo(key);
        DeadLetter letter = topics.deadLetters().valueSerde().deserializer().deserialize(out.topic(), out.value());
        assertThat(letter.getStage()).isEqualTo("streams.deserialize");
        assertThat(letter.getReason()).startsWith("SCHEMA_MISMATCH").contains("mycroft.schemas.DeadLetter");
        assertThat(letter.getTopic()).isEqualTo("t-sample-vectors");
        assertThat(letter.getPartition()).isEqualTo(2);
        assertThat(letter.getOffset()).isEqualTo(17L);
        assertThat(letter.getOriginalValue().array()).isEqualTo(value);
    }

    /**
     * Issue 17: on the global thread (hardset-vectors) a returned letter made Kafka Streams fail with a
     * ClassCastException; the handler sends it itself, waits for the ack, and returns no letter.
     */
    @Test
    void onTheGlobalThreadTheLetterIsSentByTheHandlersOwnProducer() {
        byte[] key = "r1".getBytes();
        byte[] value = {0, 0, 0, 0, 42, 7};
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        Map<String, Object> withProducer = new java.util.HashMap<>(configs);
        withProducer.put(DeadLetterDeserializationHandler.GLOBAL_LETTERS_PRODUCER, producer);
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(withProducer);

        DeserializationExceptionHandler.Response response = handler.handleError(context(key, value, new TaskId(-1, -1)),
                record(key, value), new WireFormatException(WireFormatException.Reason.UNKNOWN_SCHEMA_ID, "schema id 42 is not in the registry"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
        assertThat(producer.history()).singleElement().satisfies(out -> {
            assertThat(out.topic()).isEqualTo("t-dead-letters");
            DeadLetter letter = topics.deadLetters().valueSerde().deserializer().deserialize(out.topic(), out.value());
            assertThat(letter.getReason()).isEqualTo("UNKNOWN_SCHEMA_ID: schema id 42 is not in the registry");
            assertThat(letter.getPartition()).isEqualTo(2);
            assertThat(letter.getOffset()).isEqualTo(17L);
            assertThat(letter.getOriginalValue().array()).isEqualTo(value);
        });
    }

    @Test
    void anUnusableDecodedRecordIsABadRecord() {
        byte[] value = {0, 0, 0, 0, 1};
        DeserializationExceptionHandler.Response response = handler().handleError(context(null, value), record(null, value),
                new io.mycroft.processors.InvalidRecordException("hard set of r2 has no classes"));
        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).hasSize(1);
    }

    @Test
    void anUnreachableRegistryIsNotABadRecordAndStopsTheApp() {
        byte[] value = {0, 0, 0, 0, 1};
        DeserializationExceptionHandler.Response response = handler().handleError(context(null, value), record(null, value),
                new SchemaRegistryException("registry down", new java.io.IOException("connection refused")));
        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    private Exception catchDeserialization(byte[] value) {
        try {
            topics.sampleVectors().valueSerde().deserializer().deserialize("t-sample-vectors", value);
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("expected the bytes not to decode as " + SampleVectors.class.getSimpleName());
    }

    private DeadLetterDeserializationHandler handler() {
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(configs);
        return handler;
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
        return new ConsumerRecord<>("t-sample-vectors", 2, 17L, key, value);
    }

    private static ErrorHandlerContext context(byte[] key, byte[] value) {
        return context(key, value, new TaskId(0, 2));
    }

    private static ErrorHandlerContext context(byte[] key, byte[] value, TaskId task) {
        return new ErrorHandlerContext() {
            public String topic() { return "t-sample-vectors"; }
            public int partition() { return 2; }
            public long offset() { return 17L; }
            public org.apache.kafka.common.header.Headers headers() { return new RecordHeaders(); }
            public String processorNodeId() { return "sample-vectors"; }
            public TaskId taskId() { return task; }
            public long timestamp() { return 1_767_225_600_000L; }
            public byte[] sourceRawKey() { return key; }
            public byte[] sourceRawValue() { return value; }
        };
    }
}
