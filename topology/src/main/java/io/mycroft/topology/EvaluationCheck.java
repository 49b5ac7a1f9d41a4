package io.mycroft.topology;

import io.mycroft.processors.DeadLetters;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.serde.WireFormatException;
import mycroft.schemas.Evaluation;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The edge of {@code evaluations}: decodes each record's bytes and forwards the usable evaluations; an undecodable one,
 * one with a bad id, a key that is not {@code requestId|ownerId}, or a non-finite accuracy is forwarded as one dead
 * letter with its original bytes and offset. A tombstone is skipped, not lettered: evaluations is compacted, and a
 * tombstone there is its owner deleting an old evaluation, which the ranking does not need to hear of.
 */
final class EvaluationCheck implements Processor<byte[], byte[], String, SpecificRecord> {
    static final String STAGE = "streams.evaluations";
    private final Topic<String, Evaluation> evaluations;
    private ProcessorContext<String, SpecificRecord> context;

    EvaluationCheck(Topic<String, Evaluation> evaluations) {
        this.evaluations = evaluations;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        Evaluation evaluation;
        try {
            evaluation = evaluations.valueSerde().deserializer().deserialize(evaluations.name(), record.value());
        } catch (WireFormatException e) {
            deadLetter(record, e.getMessage(), e);
            return;
        }
        String problem = problemWith(key, evaluation);
        if (problem != null) {
            deadLetter(record, problem, null);
            return;
        }
        context.forward(new Record<>(key, evaluation, record.timestamp()));
    }

    private static String problemWith(String key, Evaluation e) {
        String problem = Keys.idProblem(e.getRequestId(), "requestId");
        problem = problem != null ? problem : Keys.idProblem(e.getOwnerId(), "ownerId");
        if (problem != null) {
            return problem;
        }
        String expected = Keys.requestOwner(e.getRequestId(), e.getOwnerId());
        if (!expected.equals(key)) {
            return "key '" + key + "' does not match the evaluation's request and owner ('" + expected + "')";
        }
        for (double accuracy : new double[]{e.getHardAccuracyBefore(), e.getHardAccuracyAfter(), e.getTestAccuracyBefore(),
                e.getTestAccuracyAfter()}) {
            if (!Double.isFinite(accuracy)) {
                return "evaluation of " + expected + " has a non-finite accuracy";
            }
        }
        return null;
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason, Exception cause) {
        Optional<RecordMetadata> source = context.recordMetadata();
        long now = context.currentSystemTimeMs();
        context.forward(new Record<>(record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                DeadLetters.letter(STAGE, reason, cause, source.map(RecordMetadata::topic).orElse(evaluations.name()),
                        source.map(RecordMetadata::partition).orElse(null), source.map(RecordMetadata::offset).orElse(null),
                        record.key(), record.value(), Instant.ofEpochMilli(now)), now));
    }
}
