package io.mycroft.inference.features;

import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.Predictions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The committed IMAGE_CNN extractor: loads, gives finite 128-d embeddings that group Fashion-MNIST images by class. */
class ImageCnnTest {
    private static ImageCnn cnn;
    private static Dataset images;

    @BeforeAll
    static void load() throws Exception {
        cnn = ImageCnn.load();
        // 300 t10k images (the extractor was trained on train-split images only).
        images = Dataset.idx(Path.of(ImageCnnTest.class.getResource("/fashion-mnist-subset").toURI()), "t10k").slice(0, 300);
    }

    @AfterAll
    static void close() {
        cnn.close();
    }

    @Test
    void embeddingsAre128DimensionalAndFinite() {
        float[][] e = cnn.embed(images.slice(0, 32).features());
        assertThat(e).hasNumberOfRows(32);
        for (float[] row : e) {
            assertThat(row).hasSize(128);
            for (float v : row) {
                assertThat(Float.isFinite(v)).isTrue();
                assertThat(v).isGreaterThanOrEqualTo(0f); // after ReLU
            }
        }
        assertThat(cnn.embeddingDim()).isEqualTo(128);
        assertThat(cnn.inputs()).isEqualTo(784);
    }

    @Test
    void sameImageSameEmbeddingInAnyBatch() {
        float[][] alone = cnn.embed(new float[][]{images.features()[7]});
        float[][] inBatch = cnn.embed(images.slice(0, 16).features());
        assertThat(alone[0]).containsExactly(inBatch[7], org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void trainedWeightsClassifyHeldOutImages() {
        // The pre-training reached 0.85 on the 2,000 shipped test images; a broken or untrained file is near 0.1.
        assertThat(Predictions.accuracy(cnnNetwork(), images)).isGreaterThan(0.75);
    }

    @Test
    void sameClassImagesAreCloserThanDifferentClassImages() {
        float[][] e = cnn.embed(images.features());
        double[] cnnDistances = meanDistances(e, images.labels());
        double[] pixelDistances = meanDistances(images.features(), images.labels());
        // Over all 44,850 pairs of 300 images: mean same-class distance well below mean different-class distance ...
        assertThat(cnnDistances[0]).isLessThan(0.7 * cnnDistances[1]);
        // ... and the classes separate better than in raw pixel space.
        assertThat(cnnDistances[0] / cnnDistances[1]).isLessThan(pixelDistances[0] / pixelDistances[1]);
        // Per class too: every class's own images are closer to each other than to the other classes' on average.
        for (int c = 0; c < 10; c++) {
            double[] d = classDistances(e, images.labels(), c);
            assertThat(d[0]).as("class %d", c).isLessThan(d[1]);
        }
    }

    private static io.mycroft.inference.model.Network cnnNetwork() {
        return cnn.network();
    }

    /** {mean Euclidean distance over same-class pairs, over different-class pairs}. */
    private static double[] meanDistances(float[][] x, int[] y) {
        double[] sum = new double[2];
        long[] n = new long[2];
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                int k = y[i] == y[j] ? 0 : 1;
                sum[k] += distance(x[i], x[j]);
                n[k]++;
            }
        }
        return new double[]{sum[0] / n[0], sum[1] / n[1]};
    }

    private static double[] classDistances(float[][] x, int[] y, int c) {
        double[] sum = new double[2];
        long[] n = new long[2];
        for (int i = 0; i < x.length; i++) {
            if (y[i] != c) {
                continue;
            }
            for (int j = 0; j < x.length; j++) {
                if (j != i) {
                    int k = y[j] == c ? 0 : 1;
                    sum[k] += distance(x[i], x[j]);
                    n[k]++;
                }
            }
        }
        return new double[]{sum[0] / n[0], sum[1] / n[1]};
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
