package io.mycroft.processors.math;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OmpStateCodecTest {

    @Test
    void roundTripsEveryPathExactly() {
        for (long seed = 0; seed < 1_000; seed++) {
            OmpInstances.Instance in = OmpInstances.random(seed);
            OmpPath path = OrthogonalMatchingPursuit.solve(in.y(), in.candidates(), in.options());
            byte[] bytes = OmpStateCodec.encode(path);
            assertThat(bytes[0]).isEqualTo(OmpStateCodec.VERSION);
            OmpPath decoded = OmpStateCodec.decode(bytes);
            assertThat(decoded).isEqualTo(path);
            assertThat(decoded.samePath(path)).isTrue();
            assertThat(OmpStateCodec.encode(decoded)).isEqualTo(bytes);
        }
    }

    @Test
    void isCompactTheWeightsDominate() {
        OmpInstances.Instance in = OmpInstances.random(3);
        OmpPath path = OrthogonalMatchingPursuit.solve(in.y(), in.candidates(), in.options().withBudget(6));
        int weights = path.steps().stream().mapToInt(s -> s.weights().length).sum();
        int ids = path.steps().stream().mapToInt(s -> s.winner().length()).sum();
        assertThat(OmpStateCodec.encode(path).length).isLessThanOrEqualTo(8 * weights + ids + 13 * path.steps().size() + 32);
    }

    /** A version-1 path has the same layout: it decodes to the same path, and {@link OmpStateCodec#current} says it is stale. */
    @Test
    void anEarlierVersionDecodesAndIsNotCurrent() {
        OmpInstances.Instance in = OmpInstances.random(5);
        OmpPath path = OrthogonalMatchingPursuit.solve(in.y(), in.candidates(), in.options());
        byte[] bytes = OmpStateCodec.encode(path);
        assertThat(OmpStateCodec.current(bytes)).isTrue();
        bytes[0] = 1;
        assertThat(OmpStateCodec.current(bytes)).isFalse();
        assertThat(OmpStateCodec.decode(bytes)).isEqualTo(path);
    }

    @Test
    void rejectsUnknownVersionsAndBrokenBytes() {
        OmpInstances.Instance in = OmpInstances.random(11);
        byte[] bytes = OmpStateCodec.encode(OrthogonalMatchingPursuit.solve(in.y(), in.candidates(), in.options()));
        byte[] future = bytes.clone();
        future[0] = OmpStateCodec.VERSION + 1;
        assertThatThrownBy(() -> OmpStateCodec.decode(future)).hasMessageContaining("version " + (OmpStateCodec.VERSION + 1));
        byte[] none = bytes.clone();
        none[0] = 0;
        assertThatThrownBy(() -> OmpStateCodec.decode(none)).hasMessageContaining("version 0");
        assertThatThrownBy(() -> OmpStateCodec.decode(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> OmpStateCodec.decode(longer)).hasMessageContaining("trailing");
    }
}
