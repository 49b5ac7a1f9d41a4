package io.mycroft.topology;

import io.mycroft.processors.DeadLetters;
import io.mycroft.processors.InvalidRecordException;
import io.mycroft.schemas.serde.WireFormatException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Records whose bytes do not decode (bad magic, unknown schema id, truncated, another record type), or that decode to
 * something unusable ({@link InvalidRecordException}), go to {@code dead-letters} with the reason and their original
 * bytes, and the app carries on. Anything else (the registry unreachable) fails the app, since the record is fine and
 * must not be lost.
 *
 * <p>A stream task's letter is produced by Kafka Streams in the task's transaction. The global thread (which reads
 * {@code hardset-vectors}) has no record collector — Kafka 4.3 fails with a ClassCastException if its handler returns a
 * letter — so its letters are sent here, by a producer of the handler's own, and acknowledged before the record is
 * skipped. The global thread of every instance reads the whole topic, and re-reads it on a restore from scratch: such a
 * letter is written once per instance and per restore, each with the same topic, partition and offset.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
    /** The task id Kafka Streams gives the global thread's context. */
    private static final TaskId GLOBAL_THREAD = new TaskId(-1, -1);
    /** Config key of a {@code Producer<byte[], byte[]>} to send the global thread's letters with, instead of a new one (tests). */
    public static final String GLOBAL_LETTERS_PRODUCER = "mycroft.global.dead.letters.producer";
    private DeadLetters deadLetters;
    private Supplier<Producer<byte[], byte[]>> producerFactory;
    private Producer<byte[], byte[]> globalProducer;

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.from(configs);
        if (configs.get(GLOBAL_LETTERS_PRODUCER) instanceof Producer<?, ?> given) {
            producerFactory = () -> (Producer<byte[], byte[]>) given;
        } else {
            Map<String, Object> producer = MycroftStreamsConfig.clientSettings(configs);
            producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            // A letter carries the original bytes: as big as the biggest hard set.
            producer.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 10 * 1024 * 1024);
            producerFactory = () -> new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer());
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (!(exception instanceof WireFormatException || exception instanceof InvalidRecordException)) {
            LOG.error("cannot deserialize {}-{}@{}, not a bad record: stopping", context.topic(), context.partition(),
                    context.offset(), exception);
            return Response.fail();
        }
        LOG.warn("dead-lettering {}-{}@{}: {}", context.topic(), context.partition(), context.offset(), exception.getMessage());
        ProducerRecord<byte[], byte[]> letter = deadLetters.fromHandler("streams.deserialize", context, exception);
        if (!GLOBAL_THREAD.equals(context.taskId())) {
            return Response.resume(List.of(letter));
        }
        try {
            globalProducer().send(letter).get();
            return Response.resume();
        } catch (ExecutionException e) {
            LOG.error("cannot dead-letter {}-{}@{} from the global thread: stopping", context.topic(), context.partition(),
                    context.offset(), e.getCause());
            return Response.fail();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Response.fail();
        }
    }

    private synchronized Producer<byte[], byte[]> globalProducer() {
        if (globalProducer == null) {
            globalProducer = producerFactory.get();
        }
        return globalProducer;
    }
}
