package io.mycroft.processors;

import io.mycroft.schemas.FloatVectors;
import mycroft.schemas.ClassTarget;
import mycroft.schemas.HardSampleVector;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builders of the records selection reads (hard sets, sample vectors), shared with topology's tests through the test-jar. */
public final class SelectionRecords {
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private SelectionRecords() {
    }

    /** A hard set of one or more classes; {@code targets[c]} is y_c, {@code hard[c]} the hard embeddings of class c. */
    public static HardSetVectors hardSet(String requestId, SelectionMethod method, int k, int[] labels, float[][] targets,
                                         float[][][] hard) {
        List<ClassTarget> classes = new ArrayList<>();
        for (int c = 0; c < labels.length; c++) {
            List<HardSampleVector> hardSamples = new ArrayList<>();
            for (int h = 0; h < hard[c].length; h++) {
                hardSamples.add(new HardSampleVector("h" + labels[c] + "-" + h, FloatVectors.of(hard[c][h])));
            }
            classes.add(new ClassTarget(labels[c], FloatVectors.of(targets[c]), hardSamples, null));
        }
        return HardSetVectors.newBuilder().setRequestId(requestId).setModelId("mlp").setModelVersion(1).setMethod(method)
                .setPerHardSample(k).setOptions(SelectionOptions.newBuilder().build())
                .setGradientDim(targets[0].length).setEmbeddingDim(hard[0][0].length).setClasses(classes)
                .setComputedAt(T0).build();
    }

    /** A GRADIENT hard set of one class (label 1, k = 2) with target {@code y} and two 2-d hard embeddings. */
    public static HardSetVectors gradientHardSet(String requestId, float[] y) {
        return hardSet(requestId, SelectionMethod.GRADIENT, 2, new int[] {1}, new float[][] {y}, new float[][][] {{{1f, 0f}, {0f, 1f}}});
    }

    /** {@code dim} independent standard normal values. */
    public static float[] gaussian(Random random, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** A sample whose content digest is that of its vectors, as a worker's is of its decoded features. */
    public static SampleVector sample(String id, int label, float[] gradient, float[] embedding) {
        return new SampleVector(id, label, gradient == null ? null : FloatVectors.of(gradient),
                embedding == null ? null : FloatVectors.of(embedding), 0.5f, digestOf(gradient, embedding), 0L, null);
    }

    /** SHA-256 of the given vectors' float bits (null ones skipped): equal vectors, equal digests. */
    public static ByteBuffer digestOf(float[]... vectors) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (float[] v : vectors) {
                if (v != null) {
                    ByteBuffer bytes = ByteBuffer.allocate(4 * v.length + 4).putInt(v.length);
                    for (float x : v) {
                        bytes.putFloat(x);
                    }
                    sha.update(bytes.array());
                }
            }
            return ByteBuffer.wrap(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SampleVectors batch(String requestId, String ownerId, SampleVector... samples) {
        return new SampleVectors(requestId, ownerId, 1, List.of(samples));
    }
}
