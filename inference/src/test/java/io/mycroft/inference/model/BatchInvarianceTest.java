package io.mycroft.inference.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.mycroft.inference.DjlRuntime;
import io.mycroft.inference.features.TextMiniLm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sample's vectors do not depend on which samples share its forward pass: the worker batches by arrival timing, so
 * without this two runs of the same samples (a crash and its replay, an audit) would differ in the last bits. Before
 * {@link Network#forward} used fixed-shape passes, the MLP's rows forwarded in batches of 1–3 differed from the same rows
 * in a batch of 64.
 */
class BatchInvarianceTest {
    @BeforeAll
    static void engine() {
        DjlRuntime.start();
        Engine.getEngine("PyTorch").setRandomSeed(9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn"})
    void aSamplesVectorsAreTheSameBitsInAnyBatch(String kind) {
        Architecture spec = kind.equals("mlp") ? new MlpSpec(784, List.of(256, 64), 10) : new CnnSpec(10);
        try (Network network = ModelArtifacts.newNetwork("batch-invariance", spec, Device.cpu())) {
            Random random = new Random(1);
            float[][] x = new float[70][network.inputs()];
            for (float[] row : x) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = random.nextFloat();
                }
            }
            Network.Outputs whole = network.forward(x);
            for (int size : new int[]{1, 2, 3, 7, 33}) {
                for (int start = 0; start < x.length; start += size) {
                    Network.Outputs part = network.forward(Arrays.copyOfRange(x, start, Math.min(x.length, start + size)));
                    for (int i = 0; i < part.logits().length; i++) {
                        assertThat(part.logits()[i]).as("logits of row %d in batches of %d", start + i, size)
                                .containsExactly(whole.logits()[start + i]);
                        assertThat(part.embeddings()[i]).as("embedding of row %d in batches of %d", start + i, size)
                                .containsExactly(whole.embeddings()[start + i]);
                    }
                }
            }
        }
    }

    @Test
    void aTextsEmbeddingIsTheSameBitsInAnyBatch() {
        TextMiniLm miniLm = TextMiniLm.load();
        List<String> texts = List.of("a short one", "a much longer text about shipping containers and their ports", "mid size text");
        float[][] together = miniLm.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(miniLm.embed(List.of(texts.get(i)))[0]).containsExactly(together[i]);
        }
    }
}
