package io.mycroft.topology;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DecodedHardSetsTest {
    /** Decodes to a new String every time and records what it decoded. */
    private final List<String> decoded = new ArrayList<>();
    private final Deserializer<String> counting = (topic, bytes) -> {
        String value = new String(bytes, StandardCharsets.UTF_8);
        decoded.add(value);
        return value;
    };
    private final Deserializer<String> cached = DecodedHardSets.serde(Serdes.serdeFrom(Serdes.String().serializer(), counting))
            .deserializer();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theSameBytesAreDecodedOnceAndOtherBytesAgain() {
        String first = cached.deserialize("t", bytes("r1 v1"));

        assertThat(cached.deserialize("t", bytes("r1 v1"))).isSameAs(first);
        assertThat(cached.deserialize("t", bytes("r1 v2"))).isEqualTo("r1 v2");
        assertThat(cached.deserialize("t", bytes("r1 v1"))).isSameAs(first);
        assertThat(decoded).containsExactly("r1 v1", "r1 v2");
    }

    @Test
    void theBytesAreCopiedSoAChangedBufferIsNotMistakenForTheCachedOne() {
        byte[] buffer = bytes("r1 v1");
        cached.deserialize("t", buffer);
        buffer[4] = '2';

        assertThat(cached.deserialize("t", buffer)).isEqualTo("r1 v2");
        assertThat(decoded).containsExactly("r1 v1", "r1 v2");
    }

    @Test
    void onlyTheMostRecentlyReadHardSetsAreKept() {
        for (int i = 0; i <= DecodedHardSets.MAX_ENTRIES; i++) {
            cached.deserialize("t", bytes("r" + i));
        }
        cached.deserialize("t", bytes("r" + DecodedHardSets.MAX_ENTRIES));
        cached.deserialize("t", bytes("r0"));

        assertThat(decoded).hasSize(DecodedHardSets.MAX_ENTRIES + 2).endsWith("r0");
    }

    @Test
    void aTombstoneStaysNull() {
        Serde<String> serde = DecodedHardSets.serde(Serdes.String());

        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }
}
