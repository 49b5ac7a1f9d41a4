package io.mycroft.topology;

import io.mycroft.processors.DeadLetters;
import io.mycroft.processors.InvalidRecordException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * A processor refused a record ({@link InvalidRecordException}, or a bad vector from the selection math): it goes to
 * {@code dead-letters} with its original bytes, and the app carries on. Other exceptions are bugs and stop the app.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (!isBadInput(exception)) {
            return Response.fail();
        }
        LOG.warn("dead-lettering {}-{}@{} at {}: {}", context.topic(), context.partition(), context.offset(),
                context.processorNodeId(), exception.getMessage());
        return Response.resume(List.of(deadLetters.fromHandler("streams." + context.processorNodeId(), context, exception)));
    }

    private static boolean isBadInput(Exception exception) {
        return exception instanceof InvalidRecordException
                || exception instanceof io.mycroft.processors.math.InvalidVectorException;
    }
}
