package io.mycroft.inference.features;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** all-MiniLM-L6-v2 from the Maven artifact, offline: 384-d unit vectors, paraphrases closer than unrelated sentences. */
class TextMiniLmTest {
    private static TextMiniLm miniLm;

    @BeforeAll
    static void load() {
        miniLm = TextMiniLm.load();
    }

    @Test
    void embeddingsAre384DimensionalUnitVectors() {
        float[][] e = miniLm.embed(List.of("A short sentence.", "Zwei Wörter."));
        assertThat(e).hasNumberOfRows(2);
        for (float[] v : e) {
            assertThat(v).hasSize(384);
            double norm = 0;
            for (float x : v) {
                assertThat(Float.isFinite(x)).isTrue();
                norm += x * x;
            }
            assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-3));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> miniLm.embed(List.of(" ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
    }

    @Test
    void similarSentencesAreCloserThanUnrelatedOnes() {
        List<String[]> pairs = List.of(
                new String[]{"The cat sits on the mat.", "A cat is sitting on a rug.", "Interest rates rose by half a percent."},
                new String[]{"How do I reset my password?", "I forgot my password, how can I change it?", "The match ended in a draw."},
                new String[]{"The train to Berlin is delayed.", "Our train to Berlin is running late.", "She planted tomatoes in the garden."},
                new String[]{"This jacket keeps me warm in winter.", "A warm coat for cold weather.", "The compiler reported a syntax error."});
        for (String[] p : pairs) {
            float[][] e = miniLm.embed(List.of(p));
            double similar = cosine(e[0], e[1]);
            double unrelated = cosine(e[0], e[2]);
            assertThat(similar).as("%s ~ %s vs %s", p[0], p[1], p[2]).isGreaterThan(unrelated + 0.3);
        }
        // Deterministic: the same text embeds to the same vector, alone or in a batch.
        assertThat(miniLm.embed(List.of(pairs.get(0)[1]))[0]).containsExactly(miniLm.embed(List.of(pairs.get(0)))[1], within(1e-5f));
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
