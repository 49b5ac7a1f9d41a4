package io.mycroft.inference.worker;

import io.mycroft.loadtests.fuzz.Mutations;
import io.mycroft.schemas.FloatVectors;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.InMemorySchemaRegistry;
import io.mycroft.schemas.serde.SerdeConfig;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SourcePosition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@code owner-samples} through the worker's checks, in the order it runs them (decode and ids, features, then
 * against a model of 4 inputs and 2 classes): each record is either usable or refused with a reason, which the worker
 * dead-letters (InferenceWorker.vectors; exactly once per offset on its live pass, as InferenceWorkerIT checks).
 */
class OwnerSamplesFuzzTest {
    private enum Kind {
        VALID, FLIPPED, TRUNCATED, GARBAGE, TOMBSTONE, OWNER_WITH_SEPARATOR, EMPTY_OWNER, EMPTY_SAMPLE_ID, NAN, INFINITE,
        WRONG_DIM, BAD_LABEL, NO_FEATURES, HUGE
    }

    @Test
    void everyRecordIsUsableOrRefusedWithAReason() {
        long started = System.nanoTime();
        String scope = "fuzz-owner-samples-" + UUID.randomUUID();
        Topic<String, OwnerSample> topic = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, "mock://" + scope)).ownerSamples();
        Random random = new Random(41);
        Kind[] kinds = Kind.values();
        int refused = 0;
        for (long offset = 0; offset < Mutations.RECORDS; offset++) {
            Kind kind = random.nextBoolean() ? Kind.VALID : kinds[1 + random.nextInt(kinds.length - 1)];
            float[] features = {random.nextFloat(), random.nextFloat(), random.nextFloat(), random.nextFloat()};
            OwnerSample.Builder sample = OwnerSample.newBuilder().setOwnerId("o" + random.nextInt(8)).setSampleId("s" + offset)
                    .setLabel(random.nextInt(2)).setFeatures(FloatVectors.of(features))
                    .setSource(new SourcePosition("fuzz", "fuzz", offset)).setIngestedAt(Instant.now());
            switch (kind) {
                case OWNER_WITH_SEPARATOR -> sample.setOwnerId("o|x");
                case EMPTY_OWNER -> sample.setOwnerId("");
                case EMPTY_SAMPLE_ID -> sample.setSampleId("");
                case NAN -> sample.setFeatures(FloatVectors.of(Float.NaN, 0f, 0f, 0f));
                case INFINITE -> sample.setFeatures(FloatVectors.of(0f, Float.NEGATIVE_INFINITY, 0f, 0f));
                case WRONG_DIM -> sample.setFeatures(FloatVectors.of(1f, 2f, 3f));
                case BAD_LABEL -> sample.setLabel(random.nextBoolean() ? -1 : 2);
                case NO_FEATURES -> sample.setFeatures(null);
                case HUGE -> sample.setFeatures(FloatVectors.of(Float.MAX_VALUE, -Float.MAX_VALUE, 1e-45f, 0f));
                default -> { }
            }
            byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), sample.build());
            byte[] value = Mutations.value(kind, bytes, random);
            String reason = null;
            try {
                OwnerSample decoded = SampleInputs.decode(topic, Optional.empty(), new ConsumerRecord<>(topic.name(), 0, offset, null, value));
                SampleInputs.check(decoded, SampleInputs.features(decoded), 4, 2, "m");
            } catch (BadSampleException e) {
                reason = e.getMessage();
            }
            switch (kind) {
                case VALID, HUGE -> assertThat(reason).as("offset %d (%s)", offset, kind).isNull();
                case FLIPPED -> { }
                default -> assertThat(reason).as("offset %d (%s)", offset, kind).isNotBlank();
            }
            refused += reason == null ? 0 : 1;
        }
        System.out.printf("fuzz owner-samples: %d records, %d refused (lettered by the worker), %d usable, %.1f s%n",
                Mutations.RECORDS, refused, Mutations.RECORDS - refused, (System.nanoTime() - started) / 1e9);
        InMemorySchemaRegistry.dropScope(scope);
    }
}
