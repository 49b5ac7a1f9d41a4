package io.mycroft.inference.trainer;

import ai.djl.Device;
import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.MlpTrainer;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;
import mycroft.schemas.ModelArtifact;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Evaluation of a TorchScript model (the committed {@code mlp.pt}, 784-32-16-10, exported untrained by python3-torch):
 * the copy is fine-tuned whole, seeded, like a DJL model.
 */
class TorchScriptEvaluateTest {
    private static final MlpTrainer.Settings FINE_TUNE = new MlpTrainer.Settings(2, 32, 1e-3f, 7);

    @Test
    void fineTunesATorchScriptCopyTheSameWayTwice() throws Exception {
        ModelArtifact artifact = torchScript();
        MtData data = MtData.read(subset(), 600);
        Dataset owner = Dataset.idx(subset(), "train").slice(600, 1200);
        HardSet hardSet;
        try (Network network = ModelArtifacts.load(artifact, Device.cpu())) {
            hardSet = HardSet.select(network, data.validation(), 3, 8, 4);
        }
        int[] weak = IntStream.range(0, owner.size()).filter(i -> hardSet.weakClasses().contains(owner.labels()[i]))
                .limit(60).toArray();
        Dataset heldOut = data.validation().select(hardSet.heldOut());

        Evaluator.Gain first = Evaluator.evaluate(artifact, data.training(), owner.select(weak), heldOut, data.test(), FINE_TUNE);
        Evaluator.Gain second = Evaluator.evaluate(artifact, data.training(), owner.select(weak), heldOut, data.test(), FINE_TUNE);

        assertThat(second).isEqualTo(first);
        assertThat(first.subsetSize()).isEqualTo(60);
        assertThat(first.hardBefore()).as("held-out D_hard is misclassified by construction").isZero();
        assertThat(first.testAfter()).as("2 epochs on 660 images teach the untrained module").isGreaterThan(first.testBefore() + 0.2);
        System.out.printf("TorchScript: hard before/after %.3f/%.3f; test before/after %.4f/%.4f%n",
                first.hardBefore(), first.hardAfter(), first.testBefore(), first.testAfter());
    }

    @Test
    void trainsEveryParameterOfTheModuleNotOnlyItsHead() throws Exception {
        MtData data = MtData.read(subset(), 600);
        try (Network network = ModelArtifacts.load(torchScript(), Device.cpu())) {
            Map<String, float[]> before = parameters(network);
            MlpTrainer.fit(network, data.training(), FINE_TUNE);
            Map<String, float[]> after = parameters(network);

            assertThat(after.keySet()).containsExactly("trunk.0.weight", "trunk.0.bias", "trunk.2.weight", "trunk.2.bias",
                    "head.weight", "head.bias");
            after.forEach((name, values) -> assertThat(values).as(name).isNotEqualTo(before.get(name)));
        }
    }

    private static Map<String, float[]> parameters(Network network) {
        Map<String, float[]> values = new LinkedHashMap<>();
        network.model().getBlock().getParameters().forEach(p -> values.put(p.getKey(), p.getValue().getArray().toFloatArray()));
        return values;
    }

    private static ModelArtifact torchScript() throws Exception {
        try (InputStream in = TorchScriptEvaluateTest.class.getResourceAsStream("/torchscript/mlp.pt")) {
            return ModelArtifacts.torchScript("ts-mlp", 1, in.readAllBytes(), 784, 10, 16, Instant.parse("2026-01-01T00:00:00Z"));
        }
    }

    private static Path subset() throws Exception {
        return Path.of(TorchScriptEvaluateTest.class.getResource("/fashion-mnist-subset").toURI());
    }
}
