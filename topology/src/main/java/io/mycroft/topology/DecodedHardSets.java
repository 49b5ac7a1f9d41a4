package io.mycroft.topology;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The value serde of the global {@code hardsets} store: every record of a request reads its hard set (≈ 72 KB at
 * 1,290 dims), so a decoded hard set is kept and handed out again while the stored bytes are exactly the same — one
 * decode per request version, however many records read it. The cache holds the {@value #MAX_ENTRIES} hard sets read
 * last; it is shared by the stream threads, which only read what they get.
 */
final class DecodedHardSets<T> implements Deserializer<T> {
    static final int MAX_ENTRIES = 32;

    private record Decoded<T>(byte[] bytes, T value) {
    }

    private final Deserializer<T> decode;
    /** Most recently read first. */
    private final List<Decoded<T>> recent = new ArrayList<>();

    private DecodedHardSets(Deserializer<T> decode) {
        this.decode = decode;
    }

    static <T> Serde<T> serde(Serde<T> serde) {
        return Serdes.serdeFrom(serde.serializer(), new DecodedHardSets<>(serde.deserializer()));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        decode.configure(configs, isKey);
    }

    @Override
    public void close() {
        decode.close();
    }

    @Override
    public synchronized T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return decode.deserialize(topic, null);
        }
        for (int i = 0; i < recent.size(); i++) {
            Decoded<T> d = recent.get(i);
            if (Arrays.equals(d.bytes, bytes)) {
                recent.remove(i);
                recent.add(0, d);
                return d.value;
            }
        }
        T value = decode.deserialize(topic, bytes);
        recent.add(0, new Decoded<>(bytes.clone(), value));
        if (recent.size() > MAX_ENTRIES) {
            recent.remove(MAX_ENTRIES);
        }
        return value;
    }
}
