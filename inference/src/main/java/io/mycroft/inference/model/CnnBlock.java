package io.mycroft.inference.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The small image CNN ({@link CnnSpec}), both the IMAGE_CNN feature extractor's and a model trainer's model: 28×28
 * grey input given flattened (784 values, row by row) → conv 5×5×16 + ReLU → max-pool 2 → conv 5×5×32 + ReLU →
 * max-pool 2 → dense 128 + ReLU (the embedding h) → dense {@code classes} (the logits z). Forward returns (z, h), the
 * contract of {@link Network}.
 */
public final class CnnBlock extends TrunkAndHeadBlock {
    public static final int SIDE = 28;
    public static final int INPUTS = SIDE * SIDE;
    public static final int EMBEDDING_DIM = 128;

    public CnnBlock(int classes) {
        super(trunk(), classes);
    }

    private static SequentialBlock trunk() {
        return new SequentialBlock()
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
    }
}
