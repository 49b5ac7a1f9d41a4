package io.mycroft.topology;

import io.mycroft.processors.DeadLetters;
import io.mycroft.schemas.serde.WireFormatException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Records whose bytes do not decode (bad magic, unknown schema id, truncated, another record type) go to
 * {@code dead-letters} with the reason and their original bytes, in the same transaction as the app's output; the app
 * carries on. Anything else (the registry unreachable) fails the app, since the record is fine and must not be lost.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (!(exception instanceof WireFormatException)) {
            LOG.error("cannot deserialize {}-{}@{}, not a bad record: stopping", context.topic(), context.partition(),
                    context.offset(), exception);
            return Response.fail();
        }
        LOG.warn("dead-lettering {}-{}@{}: {}", context.topic(), context.partition(), context.offset(), exception.getMessage());
        return Response.resume(List.of(deadLetters.fromHandler("streams.deserialize", context, exception)));
    }
}
