package io.mycroft.processors.math;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Candidate#requireValid}: the norm is the finiteness check; it must accept and refuse exactly what the scan does. */
class CandidateTest {

    @Test
    void refusesEveryNonFiniteEntryAndNamesIt() {
        Random rnd = new Random(3);
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] f = new float[1290];
            Arrays.fill(f, Float.MAX_VALUE);
            int at = rnd.nextInt(f.length);
            f[at] = bad;
            assertThatThrownBy(() -> new Candidate("s", f).requireValid(1290, "gradient of s"))
                    .isInstanceOf(InvalidVectorException.class)
                    .hasMessage("gradient of s has a non-finite entry " + bad + " at index " + at);
        }
    }

    @Test
    void acceptsTheLargestFiniteEntriesAndChecksTheDim() {
        float[] f = new float[1290];
        Arrays.fill(f, -Float.MAX_VALUE);
        Candidate c = new Candidate("s", f);
        assertThatCode(() -> c.requireValid(1290, "x")).doesNotThrowAnyException();
        assertThat(c.norm()).isFinite();
        assertThatThrownBy(() -> new Candidate("s", new float[3]).requireValid(4, "x"))
                .isInstanceOf(InvalidVectorException.class).hasMessage("x has dim 3, expected 4");
    }
}
