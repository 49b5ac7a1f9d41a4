package io.mycroft.inference.worker;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.mycroft.inference.DjlRuntime;
import io.mycroft.inference.model.MlpSpec;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.vectors.LastLayerGradient;
import io.mycroft.inference.vectors.RandomProjection;
import io.mycroft.processors.UsefulSubsetProcessor;
import io.mycroft.processors.math.AnalyticGaussian;
import io.mycroft.processors.math.PrivateClassTargets;
import io.mycroft.processors.math.Vectors;
import io.mycroft.schemas.FloatVectors;
import mycroft.schemas.FeatureSpace;
import mycroft.schemas.HardSample;
import mycroft.schemas.HardSetPrivacy;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.PrivacyAccounting;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;
import mycroft.schemas.SourcePosition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** What a worker computes for a request: hard-set targets (Σ of closed-form gradients per class), projections, methods. */
class RequestVectorsTest {
    private static final MlpSpec SPEC = new MlpSpec(6, List.of(4), 3);
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private static Network network;

    @BeforeAll
    static void model() {
        DjlRuntime.start();
        Engine.getEngine("PyTorch").setRandomSeed(9);
        network = ModelArtifacts.newNetwork("rv", SPEC, Device.cpu());
    }

    @AfterAll
    static void close() {
        network.close();
    }

    @Test
    void targetOfAClassIsTheSumOfItsHardSamplesGradients() throws Exception {
        float[][] x = {{1, 0, 0, 0, 0, 1}, {0, 1, 0, 1, 0, 0}, {0.5f, 0.5f, 0, 0, 1, 0}};
        int[] y = {2, 0, 2};
        HardSetVectors hardSet = RequestVectors.of(request(x, y, SelectionMethod.GRADIENT, options()), network).hardSet(AT);

        Network.Outputs out = network.forward(x);
        float[] g0 = LastLayerGradient.of(out.logits()[0], out.embeddings()[0], 2);
        float[] g2 = LastLayerGradient.of(out.logits()[2], out.embeddings()[2], 2);
        assertThat(hardSet.getClasses()).extracting(c -> c.getLabel()).containsExactly(0, 2);
        assertThat(hardSet.getGradientDim()).isEqualTo(LastLayerGradient.dim(3, 4));
        assertThat(hardSet.getEmbeddingDim()).isEqualTo(4);
        float[] target = floats(hardSet.getClasses().get(1).getTargetGradient().getValues(), hardSet.getGradientDim());
        for (int i = 0; i < target.length; i++) {
            assertThat(target[i]).isCloseTo(g0[i] + g2[i], within(1e-6f));
        }
        assertThat(hardSet.getClasses().get(1).getHardSamples()).extracting(h -> h.getSampleId()).containsExactly("h0", "h2");
        assertThat(floats(hardSet.getClasses().get(1).getHardSamples().get(1).getEmbedding().getValues(), 4))
                .containsExactly(out.embeddings()[2]);
    }

    /**
     * With privacy each hard gradient is clipped to C, the class sums get N(0, σ²) per coordinate from Random(seed), σ
     * from the analytic Gaussian mechanism at sensitivity 2C, the accounting rides on the vectors, and no embedding is
     * shared. The same request gives the same targets again; selection accepts the vectors.
     */
    @Test
    void aPrivateRequestsTargetsAreClippedSumsWithSeededNoiseAndItSharesNoEmbedding() throws Exception {
        float[][] x = {{1, 0, 0, 0, 0, 1}, {0, 1, 0, 1, 0, 0}, {0.5f, 0.5f, 0, 0, 1, 0}};
        int[] y = {2, 0, 2};
        HardSetRequest request = HardSetRequest.newBuilder(request(x, y, SelectionMethod.GRADIENT, options()))
                .setPrivacy(new HardSetPrivacy(1.0, 1e-5, 0.05, 3L)).build();
        HardSetVectors hardSet = RequestVectors.of(request, network).hardSet(AT);

        Network.Outputs out = network.forward(x);
        float[][] g = new float[3][];
        for (int i = 0; i < 3; i++) {
            g[i] = LastLayerGradient.of(out.logits()[i], out.embeddings()[i], y[i]);
        }
        double sigma = AnalyticGaussian.sigma(1.0, 1e-5, 0.1);
        java.util.Map<Integer, double[]> expected = PrivateClassTargets.of(y, g, g[0].length, 0.05, sigma, 3L).targets();
        PrivacyAccounting accounting = hardSet.getPrivacy();
        assertThat(accounting.getEpsilon()).isEqualTo(1.0);
        assertThat(accounting.getDelta()).isEqualTo(1e-5);
        assertThat(accounting.getSensitivity()).isEqualTo(0.1);
        assertThat(accounting.getNoiseStd()).isEqualTo(sigma);
        assertThat(accounting.getClippedSamples()).isEqualTo((int) java.util.Arrays.stream(g).filter(v -> Vectors.norm(v) > 0.05).count());
        for (int c = 0; c < 2; c++) {
            int label = hardSet.getClasses().get(c).getLabel();
            float[] target = floats(hardSet.getClasses().get(c).getTargetGradient().getValues(), hardSet.getGradientDim());
            for (int i = 0; i < target.length; i++) {
                assertThat((double) target[i]).isCloseTo(expected.get(label)[i], within(1e-5));
            }
        }
        assertThat(hardSet.getEmbeddingDim()).isZero();
        assertThat(hardSet.getClasses()).allSatisfy(c -> assertThat(c.getHardSamples()).allSatisfy(h -> assertThat(h.getEmbedding().getDim()).isZero()));
        assertThat(RequestVectors.of(request, network).hardSet(AT).getClasses()).isEqualTo(hardSet.getClasses());
        assertThat(UsefulSubsetProcessor.problemWith(hardSet)).isNull();
        assertThat(RequestRegistration.problemWith("r", request)).isNull();
        assertThat(RequestRegistration.problemWith("r", HardSetRequest.newBuilder(request).setOptions(
                SelectionOptions.newBuilder(options()).setLabelConsistencyNeighbours(2).build()).build()))
                .contains("privacy and label consistency do not go together");
        assertThat(RequestRegistration.problemWith("r", HardSetRequest.newBuilder(request)
                .setPrivacy(new HardSetPrivacy(0.0, 1e-5, 1.0, 0L)).build())).contains("privacy.epsilon");
    }

    /**
     * A private FEATURE request shares per class the noisy sum of its hard samples' unit embeddings (clipped to C; a
     * zero embedding, as h0's here after the ReLU, adds nothing),
     * noise N(0, σ_e²) from Random(seed), σ_e from the analytic Gaussian at sensitivity 2·min(C, 1); no target gradient
     * and no single embedding. A private FUNCFEAT request shares both sums from one generator (gradients first), the
     * noise of each from the joint release, here with the hand-computed case of AnalyticGaussianTest: C = 1, ε = 1,
     * δ = 0.1269367375 give σ_g = σ_e = 2√2.
     */
    @Test
    void privateFeatureAndFuncFeatRequestsShareNoisyEmbeddingSums() throws Exception {
        float[][] x = {{1, 0, 0, 0, 0, 1}, {0, 1, 0, 1, 0, 0}, {0.5f, 0.5f, 0, 0, 1, 0}};
        int[] y = {2, 0, 2};
        Network.Outputs out = network.forward(x);
        float[][] units = new float[3][];
        float[][] g = new float[3][];
        for (int i = 0; i < 3; i++) {
            double norm = Vectors.norm(out.embeddings()[i]);
            units[i] = new float[out.embeddings()[i].length];
            for (int j = 0; j < units[i].length; j++) {
                units[i][j] = norm == 0 ? 0f : (float) (out.embeddings()[i][j] / norm); // zero: no direction, adds nothing
            }
            g[i] = LastLayerGradient.of(out.logits()[i], out.embeddings()[i], y[i]);
        }

        HardSetRequest feature = HardSetRequest.newBuilder(request(x, y, SelectionMethod.FEATURE, options()))
                .setPrivacy(new HardSetPrivacy(2.0, 1e-5, 0.5, 7L)).build();
        HardSetVectors f = RequestVectors.of(feature, network).hardSet(AT);
        double sigmaE = AnalyticGaussian.sigma(2.0, 1e-5, 1.0);
        java.util.Map<Integer, double[]> sums = PrivateClassTargets.of(y, units, 4, 0.5, sigmaE, 7L).targets();
        assertThat(f.getPrivacy().getEmbeddingSensitivity()).isEqualTo(1.0);
        assertThat(f.getPrivacy().getEmbeddingNoiseStd()).isEqualTo(sigmaE);
        assertThat(f.getPrivacy().getClippedEmbeddings())
                .isEqualTo((int) java.util.Arrays.stream(units).filter(u -> Vectors.norm(u) > 0.5).count()).isPositive();
        assertThat(f.getPrivacy().getNoiseStd()).isZero();
        assertThat(f.getEmbeddingDim()).isEqualTo(4);
        for (var c : f.getClasses()) {
            assertThat(c.getTargetGradient().getDim()).isZero();
            assertThat(c.getHardSamples()).allSatisfy(h -> assertThat(h.getEmbedding().getDim()).isZero());
            float[] sum = floats(c.getEmbeddingSum().getValues(), 4);
            for (int j = 0; j < 4; j++) {
                assertThat((double) sum[j]).isCloseTo(sums.get(c.getLabel())[j], within(1e-5));
            }
        }
        assertThat(RequestVectors.of(feature, network).hardSet(AT).getClasses()).isEqualTo(f.getClasses());
        assertThat(UsefulSubsetProcessor.problemWith(f)).isNull();
        assertThat(RequestRegistration.problemWith("r", feature)).isNull();

        HardSetRequest funcFeat = HardSetRequest.newBuilder(request(x, y, SelectionMethod.FUNCFEAT, options()))
                .setPrivacy(new HardSetPrivacy(1.0, 0.1269367375, 1.0, 3L)).build();
        HardSetVectors ff = RequestVectors.of(funcFeat, network).hardSet(AT);
        assertThat(ff.getPrivacy().getNoiseStd()).isCloseTo(2 * Math.sqrt(2), within(1e-8));
        assertThat(ff.getPrivacy().getEmbeddingNoiseStd()).isCloseTo(2 * Math.sqrt(2), within(1e-8));
        assertThat(ff.getPrivacy().getSensitivity()).isEqualTo(2.0);
        assertThat(ff.getPrivacy().getEmbeddingSensitivity()).isEqualTo(2.0);
        assertThat(ff.getPrivacy().getAccountant()).contains("jointly");
        java.util.Random noise = new java.util.Random(3L);
        double sigma = ff.getPrivacy().getNoiseStd();
        java.util.Map<Integer, double[]> targets = PrivateClassTargets.of(y, g, g[0].length, 1.0, sigma, noise).targets();
        java.util.Map<Integer, double[]> embeddingSums = PrivateClassTargets.of(y, units, 4, 1.0, sigma, noise).targets();
        for (var c : ff.getClasses()) {
            float[] target = floats(c.getTargetGradient().getValues(), ff.getGradientDim());
            for (int j = 0; j < target.length; j++) {
                assertThat((double) target[j]).isCloseTo(targets.get(c.getLabel())[j], within(1e-5));
            }
            float[] sum = floats(c.getEmbeddingSum().getValues(), 4);
            for (int j = 0; j < 4; j++) {
                assertThat((double) sum[j]).isCloseTo(embeddingSums.get(c.getLabel())[j], within(1e-5));
            }
        }
        assertThat(UsefulSubsetProcessor.problemWith(ff)).isNull();
    }

    @Test
    void projectsGradientsWithTheRequestsSeedAndSendsWhatTheMethodNeeds() throws Exception {
        float[][] x = {{1, 0, 0, 0, 0, 1}};
        SelectionOptions projected = options();
        projected.setProjectionDim(5);
        projected.setProjectionSeed(11L);
        RequestVectors funcFeat = RequestVectors.of(request(x, new int[]{1}, SelectionMethod.FUNCFEAT, projected), network);
        assertThat(funcFeat.hardSet(AT).getGradientDim()).isEqualTo(5);

        RequestVectors.Input input = new RequestVectors.Input(ownerSample(1), x[0], 42L, ByteBuffer.wrap(new byte[32]));
        SampleVector both = funcFeat.samples(List.of(input)).get(0);
        Network.Outputs out = network.forward(x);
        float[] expected = new RandomProjection(LastLayerGradient.dim(3, 4), 5, 11L)
                .apply(LastLayerGradient.of(out.logits()[0], out.embeddings()[0], 1));
        assertThat(floats(both.getGradient().getValues(), 5)).containsExactly(expected, within(1e-6f));
        assertThat(both.getEmbedding()).isNotNull();
        assertThat(both.getSourceOffset()).isEqualTo(42L);
        assertThat(both.getLoss()).isCloseTo(LastLayerGradient.loss(out.logits()[0], 1), within(1e-6f));

        SampleVector feature = RequestVectors.of(request(x, new int[]{1}, SelectionMethod.FEATURE, options()), network)
                .samples(List.of(input)).get(0);
        assertThat(feature.getGradient()).isNull();
        assertThat(feature.getEmbedding().getDim()).isEqualTo(4);
    }

    /** Every sample carries the model's argmax class; GRADIENT requests carry embeddings only under label consistency. */
    @Test
    void sendsThePredictedClassAndEmbeddingsForLabelConsistency() throws Exception {
        float[][] x = {{1, 0, 0, 0, 0, 1}, {0, 1, 0.5f, 0, 0, 0}};
        RequestVectors.Input[] inputs = {new RequestVectors.Input(ownerSample(1), x[0], 1L, ByteBuffer.wrap(new byte[32])),
                new RequestVectors.Input(ownerSample(2), x[1], 2L, ByteBuffer.wrap(new byte[32]))};
        Network.Outputs out = network.forward(x);
        List<SampleVector> plain = RequestVectors.of(request(x, new int[]{1, 2}, SelectionMethod.GRADIENT, options()), network)
                .samples(List.of(inputs));
        SelectionOptions consistent = options();
        consistent.setLabelConsistencyNeighbours(3);
        List<SampleVector> checked = RequestVectors.of(request(x, new int[]{1, 2}, SelectionMethod.GRADIENT, consistent), network)
                .samples(List.of(inputs));
        for (int i = 0; i < x.length; i++) {
            assertThat(plain.get(i).getPredictedLabel()).isEqualTo(LastLayerGradient.predicted(out.logits()[i]));
            assertThat(plain.get(i).getEmbedding()).isNull();
            assertThat(floats(checked.get(i).getEmbedding().getValues(), 4)).containsExactly(out.embeddings()[i]);
            assertThat(checked.get(i).getGradient()).isEqualTo(plain.get(i).getGradient());
        }
    }

    @Test
    void rejectsWhatTheWorkerCannotServe() {
        float[][] x = {{1, 0, 0, 0, 0, 1}};
        SelectionOptions cnn = options();
        cnn.setFeatureSpace(FeatureSpace.IMAGE_CNN);
        assertThatThrownBy(() -> RequestVectors.of(request(x, new int[]{1}, SelectionMethod.FEATURE, cnn), network))
                .isInstanceOf(RequestRejectedException.class).hasMessageContaining("IMAGE_CNN");
        assertThatThrownBy(() -> RequestVectors.of(request(new float[][]{{1, 2}}, new int[]{1}, SelectionMethod.GRADIENT, options()),
                network).hardSet(AT)).isInstanceOf(RequestRejectedException.class).hasMessageContaining("has dim 2, expected 6");
        assertThatThrownBy(() -> RequestVectors.of(request(x, new int[]{5}, SelectionMethod.GRADIENT, options()), network).hardSet(AT))
                .isInstanceOf(RequestRejectedException.class).hasMessageContaining("label 5, unknown");
    }

    private static HardSetRequest request(float[][] x, int[] y, SelectionMethod method, SelectionOptions options) {
        List<HardSample> hard = new java.util.ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            hard.add(new HardSample("h" + i, y[i], FloatVectors.of(x[i])));
        }
        return HardSetRequest.newBuilder().setRequestId("r").setModelId("rv").setModelVersion(1).setMethod(method)
                .setBudget(4 * x.length).setPerHardSample(4).setHardSamples(hard).setOptions(options).setCreatedAt(AT).build();
    }

    private static SelectionOptions options() {
        return io.mycroft.inference.trainer.HardSetRequests.defaultOptions();
    }

    private static OwnerSample ownerSample(int label) {
        return OwnerSample.newBuilder().setOwnerId("o").setSampleId("s").setLabel(label)
                .setFeatures(FloatVectors.of(1, 0, 0, 0, 0, 1)).setSource(new SourcePosition("t", "t", 0L))
                .setIngestedAt(AT).build();
    }

    private static float[] floats(ByteBuffer bytes, int dim) {
        return Vectors.fromBytes(bytes, dim);
    }
}
