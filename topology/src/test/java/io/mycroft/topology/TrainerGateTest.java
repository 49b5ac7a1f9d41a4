package io.mycroft.topology;

import io.mycroft.processors.SelectionRecords;
import io.mycroft.schemas.ExampleRecords;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.ModelArtifact;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The trainers' own topics through the whole topology: a trainer's ids reach the shared topic, anyone else's do not. */
class TrainerGateTest {

    @Test
    void aTrainersOwnRequestIsCopiedToTheSharedTopicByteForByte() {
        try (TopologyFixture f = new TopologyFixture()) {
            byte[] value = encode(f.topics.hardsetRequests(), request("alice.mnist-1"));
            twin(f, Topics.HARDSET_REQUESTS, "alice").pipeInput(bytes("alice.mnist-1"), value);

            List<TestRecord<byte[], byte[]>> copied = shared(f, f.topics.hardsetRequests()).readRecordsToList();
            assertThat(copied).hasSize(1);
            assertThat(copied.get(0).key()).isEqualTo(bytes("alice.mnist-1"));
            assertThat(copied.get(0).value()).isEqualTo(value);
            assertThat(f.deadLetters.isEmpty()).isTrue();
        }
    }

    @Test
    void aForeignRequestIdIsDeadLetteredWithItsReasonAndBytesAndNeverCopied() {
        try (TopologyFixture f = new TopologyFixture()) {
            byte[] value = encode(f.topics.hardsetRequests(), request("bob.mnist-1"));
            twin(f, Topics.HARDSET_REQUESTS, "alice").pipeInput(bytes("alice.mnist-1"), value);

            assertThat(shared(f, f.topics.hardsetRequests()).isEmpty()).isTrue();
            DeadLetter letter = f.deadLetters.readValue();
            assertThat(letter.getStage()).isEqualTo(TrainerGate.STAGE);
            assertThat(letter.getReason()).isEqualTo("request id bob.mnist-1 does not belong to the channel's trainer alice"
                    + " (topic hardset-requests.alice)");
            assertThat(letter.getTopic()).isEqualTo("hardset-requests.alice");
            assertThat(letter.getOriginalKey()).isEqualTo(ByteBuffer.wrap(bytes("alice.mnist-1")));
            assertThat(letter.getOriginalValue()).isEqualTo(ByteBuffer.wrap(value));
            assertThat(f.deadLetters.isEmpty()).isTrue();
        }
    }

    @Test
    void aForeignKeyAnOperatorIdAndUndecodableBytesAreDeadLetteredAndNeverCopied() {
        try (TopologyFixture f = new TopologyFixture()) {
            TestInputTopic<byte[], byte[]> alice = twin(f, Topics.HARDSET_REQUESTS, "alice");
            // Bob's key over Alice's id would overwrite Bob's request on the compacted shared topic; a tombstone, cancel it.
            alice.pipeInput(bytes("bob.mnist-1"), encode(f.topics.hardsetRequests(), request("alice.mnist-1")));
            alice.pipeInput(bytes("bob.mnist-1"), (byte[]) null);
            alice.pipeInput(bytes("r1"), encode(f.topics.hardsetRequests(), request("r1")));
            alice.pipeInput(bytes("alice.x"), new byte[]{9, 9, 9});

            assertThat(shared(f, f.topics.hardsetRequests()).isEmpty()).isTrue();
            List<DeadLetter> letters = f.deadLetters.readValuesToList();
            assertThat(letters).extracting(DeadLetter::getReason).startsWith(
                    "key 'bob.mnist-1' does not belong to the channel's trainer alice (topic hardset-requests.alice)",
                    "key 'bob.mnist-1' does not belong to the channel's trainer alice (topic hardset-requests.alice)",
                    "key 'r1' does not belong to the channel's trainer alice (topic hardset-requests.alice)").hasSize(4);
            assertThat(letters.get(3).getOriginalValue()).isEqualTo(ByteBuffer.wrap(new byte[]{9, 9, 9}));
        }
    }

    @Test
    void aTrainerCancelsItsOwnRequestAndPublishesItsOwnModelsOnly() {
        try (TopologyFixture f = new TopologyFixture()) {
            twin(f, Topics.HARDSET_REQUESTS, "alice").pipeInput(bytes("alice.mnist-1"), (byte[]) null);
            TestRecord<byte[], byte[]> cancelled = shared(f, f.topics.hardsetRequests()).readRecord();
            assertThat(cancelled.key()).isEqualTo(bytes("alice.mnist-1"));
            assertThat(cancelled.value()).isNull();

            TestInputTopic<byte[], byte[]> models = twin(f, Topics.MODELS, "alice");
            byte[] own = encode(f.topics.models(), model("alice.mlp"));
            models.pipeInput(bytes("alice.mlp"), own);
            models.pipeInput(bytes("alice.cnn"), encode(f.topics.models(), model("mlp")));
            assertThat(shared(f, f.topics.models()).readValuesToList()).containsExactly(own);
            assertThat(f.deadLetters.readValue().getReason())
                    .isEqualTo("model id mlp does not belong to the channel's trainer alice (topic models.alice)");
        }
    }

    private static TestInputTopic<byte[], byte[]> twin(TopologyFixture f, io.mycroft.schemas.TopicSpec shared, String trainer) {
        return f.driver.createInputTopic(f.topics.trainerTwin(shared, trainer).name(), new ByteArraySerializer(),
                new ByteArraySerializer(), SelectionRecords.T0, Duration.ofMillis(1));
    }

    private static TestOutputTopic<byte[], byte[]> shared(TopologyFixture f, Topic<String, ?> topic) {
        return f.driver.createOutputTopic(topic.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static <V> byte[] encode(Topic<String, V> topic, V value) {
        return topic.valueSerde().serializer().serialize(topic.name(), value);
    }

    private static HardSetRequest request(String id) {
        return HardSetRequest.newBuilder(ExampleRecords.request()).setRequestId(id).build();
    }

    private static ModelArtifact model(String id) {
        return ModelArtifact.newBuilder(ExampleRecords.model()).setModelId(id).build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
