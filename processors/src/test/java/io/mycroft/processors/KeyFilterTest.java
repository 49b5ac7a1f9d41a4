package io.mycroft.processors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyFilterTest {
    /** 300,000 keys fill four filters of a chain that starts at 2^15: every added key is still held, few others seem to be. */
    @Test
    void everyAddedKeyIsHeldAndFewOthersSeemToBe() {
        KeyFilter filter = new KeyFilter(1 << 15);
        int n = 300_000;
        for (int i = 0; i < n; i++) {
            filter.add(KeyFilter.hash("r1|" + Integer.toHexString(i * 31 + 7)));
        }
        for (int i = 0; i < n; i++) {
            assertThat(filter.mightHold(KeyFilter.hash("r1|" + Integer.toHexString(i * 31 + 7)))).isTrue();
        }
        int falsePositives = 0;
        for (int i = 0; i < n; i++) {
            falsePositives += filter.mightHold(KeyFilter.hash("r2|" + Integer.toHexString(i * 31 + 7))) ? 1 : 0;
        }
        assertThat(falsePositives).as("at most 0.3 %% per filter, 4 filters").isLessThan(n * 4 * 3 / 1000);
        assertThat(new KeyFilter().mightHold(KeyFilter.hash("r1|7"))).isFalse();
    }

    /** A filter filled to its capacity answers about 0.1 % of a million other keys wrongly (16 bits a key). */
    @Test
    void aFullFilterHasAFalsePositiveRateNearOnePerMille() {
        int capacity = 1 << 16;
        KeyFilter filter = new KeyFilter(capacity);
        for (int i = 0; i < capacity; i++) {
            filter.add(KeyFilter.hash("held|" + i));
        }
        int others = 1_000_000;
        int falsePositives = 0;
        for (int i = 0; i < others; i++) {
            falsePositives += filter.mightHold(KeyFilter.hash("other|" + i)) ? 1 : 0;
        }
        assertThat(falsePositives).as("false positives in %d", others).isBetween(others / 10_000, others * 3 / 1000);
    }
}
