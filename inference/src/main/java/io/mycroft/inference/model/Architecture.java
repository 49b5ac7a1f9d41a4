package io.mycroft.inference.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The architecture of a DJL-format model, as carried in {@code ModelArtifact.architecture} (JSON): an {@link MlpSpec}
 * (the first format, no {@code type} field) or a {@link CnnSpec} ({@code "type": "cnn"}). Either builds a
 * {@link TrunkAndHeadBlock}, so the worker takes the last-layer gradient and the embedding h of both the same way.
 */
public sealed interface Architecture permits MlpSpec, CnnSpec {
    /** Values of one (flattened) input sample. */
    int inputs();

    /** C, the number of classes (logits). */
    int classes();

    /** H, the dimension of the penultimate features. */
    int embeddingDim();

    /** A new, uninitialised block of this architecture. */
    TrunkAndHeadBlock newBlock();

    String toJson();

    /** Parses {@link #toJson()} of either architecture; anything else throws {@link ModelRejectedException}. */
    static Architecture fromJson(String json) {
        JsonNode type;
        try {
            type = new ObjectMapper().readTree(json).get("type");
        } catch (JsonProcessingException e) {
            throw new ModelRejectedException("architecture is not JSON: " + json, e);
        }
        if (type == null) {
            return MlpSpec.fromJson(json);
        }
        if (CnnSpec.TYPE.equals(type.asText())) {
            return CnnSpec.fromJson(json);
        }
        throw new ModelRejectedException("architecture type " + type + " is unknown; DJL models are MLPs (no type) or \""
                + CnnSpec.TYPE + "\": " + json);
    }
}
