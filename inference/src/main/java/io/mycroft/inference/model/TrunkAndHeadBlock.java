package io.mycroft.inference.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A trunk giving the penultimate features h and a linear head giving the logits z = W·h + b; forward returns (z, h),
 * the contract of {@link Network} (and of a TorchScript model). Subclasses only build their trunk.
 */
public abstract class TrunkAndHeadBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private final Block trunk;
    private final Linear head;

    protected TrunkAndHeadBlock(Block trunk, int classes) {
        super(VERSION);
        this.trunk = addChildBlock("trunk", trunk);
        this.head = addChildBlock("head", Linear.builder().setUnits(classes).build());
    }

    /** The last linear layer, whose weight [C, H] and bias [C] the last-layer gradient is taken of. */
    public Linear head() {
        return head;
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
