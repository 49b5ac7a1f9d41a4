package io.mycroft.inference.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

/**
 * The {@link Architecture} of a DJL-trained multilayer perceptron, as carried in {@code ModelArtifact.architecture}:
 * {@code inputs → hidden[0] → … → hidden[n−1] → classes}, ReLU after every hidden layer. The last hidden layer is the
 * penultimate feature h (embedding) and the last linear layer the one whose gradient the workers compute.
 */
public record MlpSpec(int inputs, List<Integer> hidden, int classes) implements Architecture {
    private static final ObjectMapper JSON = new ObjectMapper();

    public MlpSpec {
        hidden = List.copyOf(hidden);
        if (inputs < 1 || classes < 2 || hidden.isEmpty() || hidden.stream().anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("an MLP needs inputs ≥ 1, at least one hidden layer of ≥ 1 units and ≥ 2 classes;"
                    + " got inputs=" + inputs + " hidden=" + hidden + " classes=" + classes);
        }
    }

    /** H, the dimension of the penultimate features. */
    @Override
    public int embeddingDim() {
        return hidden.get(hidden.size() - 1);
    }

    @Override
    public TrunkAndHeadBlock newBlock() {
        return new MlpBlock(this);
    }

    @Override
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@link #toJson()}; a malformed spec throws {@link ModelRejectedException}. */
    public static MlpSpec fromJson(String json) {
        try {
            return JSON.readValue(json, MlpSpec.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ModelRejectedException("architecture is not an MLP spec {inputs, hidden, classes}: " + json, e);
        }
    }
}
