package io.mycroft.inference.features;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The small image CNN of the IMAGE_CNN feature space: 28×28 grey input given flattened (784 values, row by row) →
 * conv 5×5×16 + ReLU → max-pool 2 → conv 5×5×32 + ReLU → max-pool 2 → dense 128 + ReLU (the embedding h) → dense
 * {@code classes} (the logits z). Forward returns (z, h), the contract of {@link io.mycroft.inference.model.Network}.
 */
public final class CnnBlock extends AbstractBlock {
    public static final int SIDE = 28;
    public static final int INPUTS = SIDE * SIDE;
    public static final int EMBEDDING_DIM = 128;
    private static final byte VERSION = 1;
    private final SequentialBlock trunk;
    private final Linear head;

    public CnnBlock(int classes) {
        super(VERSION);
        SequentialBlock layers = new SequentialBlock()
                .add(x -> new NDList(x.singletonOrThrow().reshape(-1, 1, SIDE, SIDE)))
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(16).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(32).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(EMBEDDING_DIM).build())
                .add(Activation.reluBlock());
        trunk = addChildBlock("trunk", layers);
        head = addChildBlock("head", Linear.builder().setUnits(classes).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList h = trunk.forward(store, inputs, training, params);
        NDList z = head.forward(store, h, training, params);
        return new NDList(z.singletonOrThrow(), h.singletonOrThrow());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] h = trunk.getOutputShapes(inputShapes);
        return new Shape[]{head.getOutputShapes(h)[0], h[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        trunk.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, trunk.getOutputShapes(inputShapes));
    }
}
