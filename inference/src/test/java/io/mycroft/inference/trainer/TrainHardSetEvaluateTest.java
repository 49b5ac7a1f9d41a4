package io.mycroft.inference.trainer;

import io.mycroft.inference.model.Architecture;
import io.mycroft.inference.model.CnnSpec;
import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.MlpSpec;
import io.mycroft.inference.model.MlpTrainer;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.model.Predictions;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.SelectionMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model trainer's side on the shipped Fashion-MNIST subset: train → hard set → evaluate, twice, same numbers — with
 * the MLP and with the small CNN as the model.
 */
class TrainHardSetEvaluateTest {
    private static final MlpSpec SPEC = new MlpSpec(784, List.of(64, 32), 10);
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private record Outcome(String modelSha, double testAccuracy, HardSet hardSet, HardSetRequest request, Evaluator.Gain gain) {
    }

    static Stream<Architecture> architectures() {
        return Stream.of(SPEC, new CnnSpec(10));
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void sameInputsAndSeedsGiveTheSameNumbers(Architecture spec) throws Exception {
        Outcome first = runProtocol(spec);
        Outcome second = runProtocol(spec);

        assertThat(second.modelSha()).isEqualTo(first.modelSha());
        assertThat(second.hardSet().weakClasses()).isEqualTo(first.hardSet().weakClasses());
        assertThat(second.hardSet().shared()).containsExactly(first.hardSet().shared());
        assertThat(second.hardSet().heldOut()).containsExactly(first.hardSet().heldOut());
        assertThat(second.request()).isEqualTo(first.request());
        assertThat(second.gain()).isEqualTo(first.gain());

        assertThat(first.testAccuracy()).as("the model learned something in 2 epochs on 600 images").isGreaterThan(0.5);
        assertThat(first.hardSet().weakClasses()).hasSize(3);
        assertThat(first.hardSet().shared()).hasSize(12);
        assertThat(first.hardSet().heldOut()).hasSize(12);
        assertThat(first.request().getBudget()).isEqualTo(4 * 12);
        assertThat(first.gain().subsetSize()).isEqualTo(60);
        assertThat(first.gain().hardAfter()).as("fine-tuning on weak-class samples fixes some held-out hard samples")
                .isGreaterThan(first.gain().hardBefore());
        System.out.printf("%s: test acc %.4f; weak classes %s; hard before/after %.3f/%.3f; test before/after %.4f/%.4f%n",
                spec.toJson(), first.testAccuracy(), first.hardSet().weakClasses(), first.gain().hardBefore(), first.gain().hardAfter(),
                first.gain().testBefore(), first.gain().testAfter());
    }

    @Test
    void hardSamplesAreTheWeakClassesHardestOnes() throws Exception {
        MtData data = MtData.read(subset(), 600);
        try (Network network = MlpTrainer.train("mt", SPEC, data.training(), new MlpTrainer.Settings(1, 64, 1e-3f, 3))) {
            HardSet hardSet = HardSet.select(network, data.validation(), 2, 6, 2);
            Dataset validation = data.validation();
            float[][] z = Predictions.logits(network, validation);
            java.util.Set<Integer> selected = new java.util.HashSet<>();
            IntStream.concat(Arrays.stream(hardSet.shared()), Arrays.stream(hardSet.heldOut())).forEach(selected::add);
            assertThat(selected).hasSize(2 * 6);
            for (int c : hardSet.weakClasses()) {
                int label = c;
                java.util.Set<Integer> wrong = new java.util.HashSet<>();
                java.util.Set<Integer> chosen = new java.util.HashSet<>();
                for (int i = 0; i < validation.size(); i++) {
                    if (validation.labels()[i] == label && Predictions.argmax(z[i]) != label) {
                        wrong.add(i);
                    }
                    if (validation.labels()[i] == label && selected.contains(i)) {
                        chosen.add(i);
                    }
                }
                assertThat(chosen).hasSize(6);
                // Misclassified samples come first: either all chosen are wrong, or every wrong one was chosen.
                if (wrong.size() >= 6) {
                    assertThat(wrong).containsAll(chosen);
                } else {
                    assertThat(chosen).containsAll(wrong);
                }
            }
        }
    }

    private static Outcome runProtocol(Architecture spec) throws Exception {
        MtData data = MtData.read(subset(), 600);
        Dataset owner = Dataset.idx(subset(), "train").slice(600, 1200);
        try (Network network = MlpTrainer.train("mt", spec, data.training(), new MlpTrainer.Settings(2, 64, 1e-3f, 42))) {
            ModelArtifact artifact = ModelArtifacts.djl("mt", 1, spec, network, AT);
            double testAccuracy = Predictions.accuracy(network, data.test());
            HardSet hardSet = HardSet.select(network, data.validation(), 3, 8, 4);
            HardSetRequest request = HardSetRequests.of("r1", "mt", 1, data.validation(), hardSet, SelectionMethod.GRADIENT, 4,
                    HardSetRequests.defaultOptions(), AT);
            int[] useful = IntStream.range(0, owner.size()).filter(i -> hardSet.weakClasses().contains(owner.labels()[i]))
                    .limit(60).toArray();
            Evaluator.Gain gain = Evaluator.evaluate(artifact, data.training(), owner.select(useful),
                    data.validation().select(hardSet.heldOut()), data.test(), new MlpTrainer.Settings(1, 32, 1e-3f, 7));
            return new Outcome(artifact.getSha256(), testAccuracy, hardSet, request, gain);
        }
    }

    private static Path subset() throws Exception {
        return Path.of(TrainHardSetEvaluateTest.class.getResource("/fashion-mnist-subset").toURI());
    }
}
