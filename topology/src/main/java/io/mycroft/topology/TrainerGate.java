package io.mycroft.topology;

import io.mycroft.processors.DeadLetters;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The edge of a trainer's own topic {@code <shared>.<t>} (hardset-requests, models; see {@link Topics#TRAINER_TWINNED}):
 * forwards a record's original bytes, for the shared topic, iff its key and the id in its value belong to trainer t
 * ({@link Keys#trainerOf}); anything else (a foreign id, a key that is not t's, bytes that do not decode) is forwarded as
 * one dead letter with the reason and the original bytes, and never reaches the shared topic. A tombstone (a trainer
 * withdrawing its request or model) passes iff its key is t's.
 */
final class TrainerGate<V> implements Processor<byte[], byte[], byte[], Object> {
    static final String STAGE = "streams.trainer-gate";
    private final Topics topics;
    private final Topic<String, V> shared;
    private final String what;
    private final Function<V, String> idOf;
    private ProcessorContext<byte[], Object> context;

    /** {@code what} names the id in messages ("request", "model"); {@code idOf} reads it from a value of {@code shared}. */
    TrainerGate(Topics topics, Topic<String, V> shared, String what, Function<V, String> idOf) {
        this.topics = topics;
        this.shared = shared;
        this.what = what;
        this.idOf = idOf;
    }

    @Override
    public void init(ProcessorContext<byte[], Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElseThrow();
        String trainer = topics.channelTrainer(shared.spec(), topic).orElseThrow(
                () -> new IllegalStateException(topic + " is no trainer's twin of " + shared.name()));
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (!trainer.equals(key == null ? null : Keys.trainerOf(key))) {
            deadLetter(record, "key '" + key + "' does not belong to the channel's trainer " + trainer + " (topic " + topic + ")", null);
            return;
        }
        if (record.value() != null) {
            String id;
            try {
                id = idOf.apply(shared.valueSerde().deserializer().deserialize(topic, record.value()));
            } catch (SerializationException e) { // not decodable: no id to judge
                deadLetter(record, e.getMessage(), e);
                return;
            }
            if (id == null || !trainer.equals(Keys.trainerOf(id))) {
                deadLetter(record, what + " id " + id + " does not belong to the channel's trainer " + trainer + " (topic " + topic + ")", null);
                return;
            }
        }
        context.forward(record);
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason, Exception cause) {
        Optional<RecordMetadata> source = context.recordMetadata();
        long now = context.currentSystemTimeMs();
        context.forward(new Record<>(record.key(), DeadLetters.letter(STAGE, reason, cause,
                source.map(RecordMetadata::topic).orElse(null), source.map(RecordMetadata::partition).orElse(null),
                source.map(RecordMetadata::offset).orElse(null), record.key(), record.value(), Instant.ofEpochMilli(now)), now));
    }
}
