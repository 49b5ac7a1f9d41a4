package io.mycroft.inference.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What the model trainer keeps of a hard set it published: which validation samples were shared and which were held
 * out to evaluate owners with (JSON on the MT's disk; the held-out part never leaves it).
 */
public record HardSetFile(String requestId, String modelId, int modelVersion, List<Integer> weakClasses, int[] shared,
                          int[] heldOut) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static HardSetFile of(String requestId, String modelId, int modelVersion, HardSet hardSet) {
        return new HardSetFile(requestId, modelId, modelVersion, hardSet.weakClasses(), hardSet.shared(), hardSet.heldOut());
    }

    public void write(Path file) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
    }

    public static HardSetFile read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), HardSetFile.class);
    }
}
