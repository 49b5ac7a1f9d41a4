package io.mycroft.inference.vectors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.engine.Engine;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.nn.Parameter;
import io.mycroft.inference.model.Architecture;
import io.mycroft.inference.model.CnnSpec;
import io.mycroft.inference.model.MlpSpec;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.model.TrunkAndHeadBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The closed-form last-layer gradient against DJL's autograd through the real network (DESIGN §3: ≤ 1e-5). */
class LastLayerGradientTest {
    static Stream<Architecture> architectures() {
        return Stream.of(new MlpSpec(20, List.of(16, 8), 5), new CnnSpec(4));
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void closedFormEqualsAutogradOfTheHeadForEverySample(Architecture spec) {
        Engine.getEngine("PyTorch").setRandomSeed(7);
        try (Network network = ModelArtifacts.newNetwork("autograd", spec, ai.djl.Device.cpu())) {
            TrunkAndHeadBlock block = (TrunkAndHeadBlock) network.model().getBlock();
            Parameter weight = block.head().getParameters().get("weight");
            Parameter bias = block.head().getParameters().get("bias");
            weight.getArray().setRequiresGradient(true);
            bias.getArray().setRequiresGradient(true);
            Random random = new Random(11);
            double worst = 0;
            for (int sample = 0; sample < 8; sample++) {
                float[] x = new float[spec.inputs()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
                int y = sample % spec.classes();
                Network.Outputs out = network.forward(new float[][]{x});
                float[] closed = LastLayerGradient.of(out.logits()[0], out.embeddings()[0], y);
                float[] auto;
                float autoLoss;
                try (NDManager scope = network.model().getNDManager().newSubManager();
                     GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray input = scope.create(x, new Shape(1, x.length));
                    NDArray z = block.forward(new ParameterStore(scope, false), new NDList(input), true).get(0);
                    NDArray loss = z.logSoftmax(1).get(0, y).neg();
                    collector.zeroGradients(); // gradients accumulate across backward passes
                    collector.backward(loss);
                    autoLoss = loss.getFloat();
                    float[] dw = weight.getArray().getGradient().toFloatArray();
                    float[] db = bias.getArray().getGradient().toFloatArray();
                    auto = interleave(dw, db, spec.classes(), spec.embeddingDim());
                }
                assertThat(closed).hasSize(LastLayerGradient.dim(spec.classes(), spec.embeddingDim()));
                for (int i = 0; i < closed.length; i++) {
                    worst = Math.max(worst, Math.abs(closed[i] - auto[i]));
                }
                assertThat(LastLayerGradient.loss(out.logits()[0], y)).isCloseTo(autoLoss, within(1e-5f));
            }
            assertThat(worst).isLessThanOrEqualTo(1e-5).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void gradientOfAConfidentCorrectSampleIsSmallAndOfAWrongOneIsNot() {
        float[] h = {1f, 2f};
        float[] right = LastLayerGradient.of(new float[]{20f, 0f, 0f}, h, 0);
        float[] wrong = LastLayerGradient.of(new float[]{20f, 0f, 0f}, h, 1);
        assertThat(norm(right)).isLessThan(1e-6);
        // p ≈ (1, 0, 0), y = 1: rows are +[h;1] for class 0 and −[h;1] for class 1.
        assertThat(wrong).containsExactly(new float[]{1f, 2f, 1f, -1f, -2f, -1f, 0f, 0f, 0f}, within(1e-6f));
    }

    @Test
    void predictedIsTheArgmaxOfTheLogitsAndTheSmallestClassOnATie() {
        assertThat(LastLayerGradient.predicted(new float[]{0.1f, 2f, -3f})).isEqualTo(1);
        assertThat(LastLayerGradient.predicted(new float[]{-1f, 4f, 4f})).isEqualTo(1);
        assertThat(LastLayerGradient.predicted(new float[]{7f})).isZero();
    }

    @Test
    void projectionIsSeededAndKeepsNormsRoughly() {
        Random random = new Random(3);
        float[] g = new float[1290];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) random.nextGaussian();
        }
        float[] a = new RandomProjection(1290, 256, 42).apply(g);
        assertThat(new RandomProjection(1290, 256, 42).apply(g)).containsExactly(a);
        assertThat(new RandomProjection(1290, 256, 43).apply(g)).isNotEqualTo(a);
        assertThat(norm(a) / norm(g)).isBetween(0.8, 1.2);
    }

    private static float[] interleave(float[] dw, float[] db, int classes, int hidden) {
        float[] g = new float[classes * (hidden + 1)];
        for (int c = 0; c < classes; c++) {
            System.arraycopy(dw, c * hidden, g, c * (hidden + 1), hidden);
            g[c * (hidden + 1) + hidden] = db[c];
        }
        return g;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
