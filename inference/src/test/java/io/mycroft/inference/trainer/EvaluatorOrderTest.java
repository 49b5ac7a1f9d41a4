package io.mycroft.inference.trainer;

import ai.djl.Device;
import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.MlpSpec;
import io.mycroft.inference.model.MlpTrainer;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;
import mycroft.schemas.ModelArtifact;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The evaluation's fine-tune depends on the useful subset as a set, not on the order its samples arrived in. */
class EvaluatorOrderTest {
    private static final MlpSpec SPEC = new MlpSpec(6, List.of(8), 3);
    private static final MlpTrainer.Settings FINE_TUNE = new MlpTrainer.Settings(2, 4, 5e-2f, 1);

    @Test
    void sameSubsetInAnotherOrderGivesBitIdenticalAccuracies() {
        Dataset mt = randomData(12, 7);
        Dataset useful = randomData(40, 8);
        Dataset heldOut = randomData(60, 9);
        int[] reversed = new int[useful.size()];
        for (int i = 0; i < reversed.length; i++) {
            reversed[i] = reversed.length - 1 - i;
        }
        try (Network initial = ModelArtifacts.newNetwork("mt", SPEC, Device.cpu())) {
            ModelArtifact model = ModelArtifacts.djl("mt", 1, SPEC, initial, Instant.parse("2026-01-01T00:00:00Z"));
            Evaluator.Gain inOrder = Evaluator.evaluate(model, mt, useful, heldOut, heldOut, FINE_TUNE);
            Evaluator.Gain reordered = Evaluator.evaluate(model, mt, useful.select(reversed), heldOut, heldOut, FINE_TUNE);
            assertThat(reordered).isEqualTo(inOrder);
            // The fine-tune moved the model, so equality is not the trivial "nothing changed".
            assertThat(inOrder.hardAfter()).isNotEqualTo(inOrder.hardBefore());
        }
    }

    private static Dataset randomData(int n, long seed) {
        Random random = new Random(seed);
        float[][] x = new float[n][SPEC.inputs()];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = random.nextFloat();
            }
            y[i] = (x[i][0] > 0.5f ? 1 : 0) + (x[i][1] > 0.5f ? 1 : 0);
        }
        return new Dataset(x, y);
    }
}
