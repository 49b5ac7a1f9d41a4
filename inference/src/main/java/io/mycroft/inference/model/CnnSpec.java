package io.mycroft.inference.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The small image CNN of {@link CnnBlock} as a model trainer's model: 28×28 grey images (784 inputs), 128-d embedding,
 * {@code classes} logits. JSON: {@code {"type":"cnn","classes":C}}.
 */
public record CnnSpec(int classes) implements Architecture {
    static final String TYPE = "cnn";
    private static final ObjectMapper JSON = new ObjectMapper();

    public CnnSpec {
        if (classes < 2) {
            throw new IllegalArgumentException("a CNN needs ≥ 2 classes; got " + classes);
        }
    }

    @Override
    public int inputs() {
        return CnnBlock.INPUTS;
    }

    @Override
    public int embeddingDim() {
        return CnnBlock.EMBEDDING_DIM;
    }

    @Override
    public TrunkAndHeadBlock newBlock() {
        return new CnnBlock(classes);
    }

    @Override
    public String toJson() {
        return JSON.createObjectNode().put("type", TYPE).put("classes", classes).toString();
    }

    static CnnSpec fromJson(String json) {
        try {
            JsonNode classes = JSON.readTree(json).get("classes");
            if (classes == null || !classes.canConvertToInt()) {
                throw new ModelRejectedException("architecture of type cnn has no integer \"classes\": " + json);
            }
            return new CnnSpec(classes.intValue());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ModelRejectedException("architecture is not a CNN spec {type: cnn, classes}: " + json, e);
        }
    }
}
