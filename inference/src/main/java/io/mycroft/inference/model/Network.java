package io.mycroft.inference.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A loaded model whose forward pass returns (logits z, penultimate features h) — a DJL-trained {@link MlpBlock} or a
 * TorchScript module. Owns its DJL {@link Model}; close it when done. Not thread-safe: one network per worker loop.
 */
public final class Network implements AutoCloseable {
    private final Model model;
    private final int inputs;
    private final int classes;
    private final int embeddingDim;
    /** Rows of every forward pass (see {@link #forward}). */
    static final int PASS_ROWS = 32;
    /** One pass's input in native memory, reused: creating the tensor from it costs ~0.05 ms instead of ~0.4 ms per 256 × 784. */
    private final ByteBuffer input;

    /** What one forward pass gives per sample: {@code logits[i]} (dim C) and {@code embeddings[i]} (dim H). */
    public record Outputs(float[][] logits, float[][] embeddings) {
    }

    public Network(Model model, int inputs, int classes, int embeddingDim) {
        this.model = model;
        this.inputs = inputs;
        this.classes = classes;
        this.embeddingDim = embeddingDim;
        this.input = ByteBuffer.allocateDirect(4 * PASS_ROWS * inputs).order(ByteOrder.nativeOrder());
    }

    public Model model() {
        return model;
    }

    public int inputs() {
        return inputs;
    }

    public int classes() {
        return classes;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    /**
     * Forward pass (inference mode) over a batch of flattened inputs, each of {@link #inputs()} values. The batch goes
     * through in passes of exactly {@link #PASS_ROWS} rows, the last one zero-padded: libtorch picks its matrix kernel by
     * shape (on this CPU 1–3 rows gave other bits than 5–64), so a fixed shape keeps a sample's vectors independent of
     * which samples share its batch, and so every run of the same samples is bit-identical (the audit's premise).
     */
    public Outputs forward(float[][] batch) {
        for (int i = 0; i < batch.length; i++) {
            if (batch[i].length != inputs) {
                throw new IllegalArgumentException("sample " + i + " has " + batch[i].length + " features, the model takes " + inputs);
            }
        }
        float[][] logits = new float[batch.length][];
        float[][] embeddings = new float[batch.length][];
        for (int start = 0; start < batch.length; start += PASS_ROWS) {
            int rows = Math.min(PASS_ROWS, batch.length - start);
            input.clear();
            FloatBuffer floats = input.asFloatBuffer();
            for (int i = 0; i < rows; i++) {
                floats.put(batch[start + i]);
            }
            floats.put(new float[(PASS_ROWS - rows) * inputs]);
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDList out = pair(model, scope, scope.create(input, new Shape(PASS_ROWS, inputs), DataType.FLOAT32));
                System.arraycopy(rows(out.get(0), classes, "logits"), 0, logits, start, rows);
                System.arraycopy(rows(out.get(1), embeddingDim, "penultimate features"), 0, embeddings, start, rows);
            }
        }
        return new Outputs(logits, embeddings);
    }

    /**
     * The widths (C, H) of the (logits, h) that {@code model} returns for one all-zero input of {@code inputs} values:
     * how the shapes of a TorchScript module, which its file does not declare, are read off the module itself.
     */
    static int[] outputWidths(Model model, int inputs) {
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDList out = pair(model, scope, scope.zeros(new Shape(1, inputs)));
            int[] widths = new int[2];
            for (int i = 0; i < 2; i++) {
                Shape shape = out.get(i).getShape();
                if (shape.dimension() != 2 || shape.get(0) != 1) {
                    throw new ModelRejectedException("model " + model.getName() + " returned " + (i == 0 ? "logits" : "penultimate features")
                            + " of shape " + shape + " for one input; expected [1, width]");
                }
                widths[i] = Math.toIntExact(shape.get(1));
            }
            return widths;
        }
    }

    /** The forward pass in inference mode; refuses a model that does not return exactly (logits, h). */
    private static NDList pair(Model model, NDManager scope, NDArray x) {
        NDList out = model.getBlock().forward(new ParameterStore(scope, false), new NDList(x), false);
        if (out.size() != 2) {
            throw new ModelRejectedException("model " + model.getName() + " returned " + out.size()
                    + " outputs; it must return (logits, penultimate features)");
        }
        return out;
    }

    private float[][] rows(NDArray array, int dim, String what) {
        Shape shape = array.getShape();
        if (shape.dimension() != 2 || shape.get(1) != dim) {
            throw new ModelRejectedException("model " + model.getName() + " returned " + what + " of shape " + shape
                    + "; expected [batch, " + dim + "]");
        }
        float[] flat = array.toFloatArray();
        float[][] out = new float[(int) shape.get(0)][dim];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(flat, i * dim, out[i], 0, dim);
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
