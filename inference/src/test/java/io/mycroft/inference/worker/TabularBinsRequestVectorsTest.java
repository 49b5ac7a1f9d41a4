package io.mycroft.inference.worker;

import ai.djl.Device;
import io.mycroft.inference.DjlRuntime;
import io.mycroft.inference.model.MlpSpec;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.trainer.HardSetRequests;
import io.mycroft.inference.vectors.LastLayerGradient;
import io.mycroft.processors.math.SampleEmbedding;
import io.mycroft.processors.math.TabularBinning;
import io.mycroft.processors.math.UnitVectors;
import io.mycroft.processors.math.Vectors;
import io.mycroft.schemas.FloatVectors;
import mycroft.schemas.FeatureSpace;
import mycroft.schemas.FloatVector;
import mycroft.schemas.HardSample;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;
import mycroft.schemas.SourcePosition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Feature space TABULAR_BINS in the worker: embeddings are the bin codes of the samples' features under quantile bins
 * fitted on the request's D_hard, so the cosine of an owner and a hard sample is 1 − 2·gap/L, gap = Σ_f |bin gap|
 * (DESIGN §3 "Tabular binning"): the Streams app's nearest neighbours are the nearest in bins.
 */
class TabularBinsRequestVectorsTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final int FEATURES = 4;
    private static Network network;
    private static float[][] hard;
    private static float[][] owner;

    @BeforeAll
    static void setUp() {
        DjlRuntime.start().setRandomSeed(8);
        network = ModelArtifacts.newNetwork("tab", new MlpSpec(FEATURES, List.of(8), 3), Device.cpu());
        Random random = new Random(21);
        hard = new float[9][];
        for (int i = 0; i < hard.length; i++) {
            hard[i] = new float[]{(float) random.nextGaussian(), random.nextInt(4), 10 + random.nextFloat(), 3f};
        }
        owner = new float[30][];
        for (int i = 0; i < owner.length; i++) {
            owner[i] = new float[]{(float) (1.5 * random.nextGaussian()), random.nextInt(6) - 1, 9.5f + 2 * random.nextFloat(),
                    2 + random.nextInt(3)};
        }
    }

    @AfterAll
    static void tearDown() {
        network.close();
    }

    @Test
    void embeddingsAreBinCodesFittedOnDHardAndCosineFollowsTheBinGap() throws Exception {
        RequestVectors vectors = RequestVectors.of(request(SelectionMethod.FEATURE, hard), network, new FeatureExtractors());
        List<SampleEmbedding> rows = new ArrayList<>();
        for (int i = 0; i < hard.length; i++) {
            rows.add(new SampleEmbedding("h" + i, hard[i]));
        }
        TabularBinning binning = TabularBinning.fit(rows, TabularBinning.Scheme.QUANTILE, TabularBinning.DEFAULT_BINS);
        int dim = binning.codeDim();

        HardSetVectors hardSet = vectors.hardSet(AT);
        assertThat(hardSet.getEmbeddingDim()).isEqualTo(dim);
        Map<String, float[]> hardCodes = new HashMap<>();
        hardSet.getClasses().forEach(c -> c.getHardSamples().forEach(h -> hardCodes.put(h.getSampleId(), floats(h.getEmbedding()))));
        assertThat(hardCodes).hasSize(hard.length);

        List<SampleVector> out = vectors.samples(inputs(owner));
        assertThat(out).hasSize(owner.length);
        // The Streams app's ranking of owner samples for a hard sample (RetrieveTopKStream: squared distance of unit
        // vectors, ties by sampleId) is the ranking by bin gap, ties included: equal gaps give bit-equal distances.
        for (int h = 0; h < hard.length; h++) {
            double[] unit = UnitVectors.unit(hardCodes.get("h" + h), dim, "h");
            long[] hardBins = binning.bin(hard[h], "h");
            Comparator<Integer> byDistance = Comparator.comparingDouble((Integer o) -> UnitVectors.squaredDistance(unit,
                    UnitVectors.unit(floats(out.get(o).getEmbedding()), dim, "o"))).thenComparing(o -> out.get(o).getSampleId());
            Comparator<Integer> byGap = Comparator.comparingLong((Integer o) -> TabularBinning.distance(binning.bin(owner[o], "o"),
                    List.of(hardBins))).thenComparing(o -> out.get(o).getSampleId());
            List<Integer> ranked = IntStream.range(0, owner.length).boxed().sorted(byDistance).toList();
            assertThat(ranked).isEqualTo(IntStream.range(0, owner.length).boxed().sorted(byGap).toList());
        }
        for (int o = 0; o < owner.length; o++) {
            float[] code = floats(out.get(o).getEmbedding());
            assertThat(out.get(o).getGradient()).isNull();
            assertThat(code).containsExactly(binning.code(owner[o], "o"));
            for (int h = 0; h < hard.length; h++) {
                long gap = TabularBinning.distance(binning.bin(owner[o], "o"), List.of(binning.bin(hard[h], "h")));
                assertThat(cosine(code, hardCodes.get("h" + h))).isCloseTo(1 - 2.0 * gap / dim, within(1e-6));
            }
        }
    }

    @Test
    void funcFeatKeepsTheModelsGradientsAndGradientRequestsSendNoCodes() throws Exception {
        SampleVector funcFeat = RequestVectors.of(request(SelectionMethod.FUNCFEAT, hard), network, new FeatureExtractors())
                .samples(inputs(owner)).get(0);
        Network.Outputs mt = network.forward(new float[][]{owner[0]});
        assertThat(floats(funcFeat.getGradient())).containsExactly(
                LastLayerGradient.of(mt.logits()[0], mt.embeddings()[0], funcFeat.getLabel()), within(1e-6f));
        assertThat(floats(funcFeat.getEmbedding())).containsOnly(1f, -1f);

        RequestVectors gradient = RequestVectors.of(request(SelectionMethod.GRADIENT, hard), network, new FeatureExtractors());
        assertThat(gradient.samples(inputs(owner)).get(0).getEmbedding()).isNull();
        assertThat(gradient.hardSet(AT).getEmbeddingDim()).isEqualTo(8);
    }

    @Test
    void hardSamplesThatDoNotFitTheModelAreRejectedBeforeBinning() {
        float[][] bad = {{1, 2, 3}};
        assertThatThrownBy(() -> RequestVectors.of(request(SelectionMethod.FEATURE, bad), network, new FeatureExtractors()))
                .isInstanceOf(RequestRejectedException.class).hasMessageContaining("hard sample h0").hasMessageContaining("expected 4");
    }

    private static HardSetRequest request(SelectionMethod method, float[][] rows) {
        List<HardSample> samples = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            samples.add(new HardSample("h" + i, i % 3, FloatVectors.of(rows[i])));
        }
        SelectionOptions options = HardSetRequests.defaultOptions();
        options.setFeatureSpace(FeatureSpace.TABULAR_BINS);
        return HardSetRequest.newBuilder().setRequestId("r").setModelId("tab").setModelVersion(1).setMethod(method)
                .setBudget(2 * rows.length).setPerHardSample(2).setHardSamples(samples).setOptions(options).setCreatedAt(AT).build();
    }

    private static List<RequestVectors.Input> inputs(float[][] rows) {
        List<RequestVectors.Input> out = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            OwnerSample s = OwnerSample.newBuilder().setOwnerId("o").setSampleId("s" + i).setLabel(i % 3)
                    .setFeatures(FloatVectors.of(rows[i])).setSource(new SourcePosition("t", "t", (long) i))
                    .setIngestedAt(AT).build();
            out.add(new RequestVectors.Input(s, rows[i], i, ByteBuffer.wrap(new byte[32])));
        }
        return out;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static float[] floats(FloatVector v) {
        return Vectors.fromBytes(v.getValues(), v.getDim());
    }
}
