package io.mycroft.inference.vectors;

import java.util.SplittableRandom;

/**
 * A seeded Johnson–Lindenstrauss projection x ↦ R·x with R of shape [d', D], entries ±1/√d' (Achlioptas' sign
 * matrix; TRAK-style): inner products and norms are kept in expectation. Same seed and dims, same matrix, on any
 * machine. The matrix is held as d'·D floats: fine for last-layer gradients (D = C·(H+1) ≈ 1,290).
 */
public final class RandomProjection {
    private final int inputDim;
    private final int outputDim;
    private final float[] matrix;

    public RandomProjection(int inputDim, int outputDim, long seed) {
        if (inputDim < 1 || outputDim < 1) {
            throw new IllegalArgumentException("projection dims must be ≥ 1, got " + inputDim + " → " + outputDim);
        }
        this.inputDim = inputDim;
        this.outputDim = outputDim;
        this.matrix = new float[inputDim * outputDim];
        SplittableRandom random = new SplittableRandom(seed);
        float scale = (float) (1 / Math.sqrt(outputDim));
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = random.nextBoolean() ? scale : -scale;
        }
    }

    public int outputDim() {
        return outputDim;
    }

    public float[] apply(float[] x) {
        if (x.length != inputDim) {
            throw new IllegalArgumentException("projection takes dim " + inputDim + ", got " + x.length);
        }
        float[] out = new float[outputDim];
        for (int r = 0; r < outputDim; r++) {
            double s = 0;
            int row = r * inputDim;
            for (int i = 0; i < inputDim; i++) {
                s += matrix[row + i] * x[i];
            }
            out[r] = (float) s;
        }
        return out;
    }
}
