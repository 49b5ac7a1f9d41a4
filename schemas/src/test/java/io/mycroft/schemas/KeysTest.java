package io.mycroft.schemas;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeysTest {
    @Test
    void requestOwnerKeysSplitBack() {
        String key = Keys.requestOwner("r-7", "hospital.b");
        assertThat(key).isEqualTo("r-7|hospital.b");
        assertThat(Keys.requestOf(key)).isEqualTo("r-7");
        assertThat(Keys.ownerOf(key)).isEqualTo("hospital.b");
    }

    @Test
    void idsWithTheSeparatorOrEmptyAreRefused() {
        assertThatThrownBy(() -> Keys.requestOwner("r|1", "o")).hasMessageContaining("requestId 'r|1' contains '|'");
        assertThatThrownBy(() -> Keys.requestOwner("r", "")).hasMessageContaining("ownerId must not be empty");
        assertThatThrownBy(() -> Keys.ownerOf("no-separator")).hasMessageContaining("not of the form");
    }

    /** Every owner's vectors of a request share a partition: the one Kafka's default partitioner gives the request id. */
    @Test
    void aRequestsSampleVectorsArePlacedByTheRequestAlone() {
        for (String request : new String[]{"r1", "alice.mnist-1", "bench-" + java.util.UUID.randomUUID()}) {
            int expected = org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                    request.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % 4;
            assertThat(Keys.requestPartition(request, 4)).isEqualTo(expected).isBetween(0, 3);
        }
        long distinct = java.util.stream.IntStream.range(0, 64).map(i -> Keys.requestPartition("r" + i, 4)).distinct().count();
        assertThat(distinct).as("requests spread over the partitions").isEqualTo(4);
    }

    @Test
    void aRequestIdNamesItsTrainerBeforeTheFirstDot() {
        assertThat(Keys.trainerOf("alice.mnist-1")).isEqualTo("alice");
        assertThat(Keys.trainerOf("alice.mnist.2")).isEqualTo("alice");
        assertThat(Keys.trainerOf("r1")).isNull();
        assertThat(Keys.trainerOf(".r1")).isNull();
        assertThat(Keys.recipientOf("alice.mnist-1")).isEqualTo("trainer:alice");
        assertThat(Keys.recipientOf("r1")).isEqualTo("operator");
    }
}
