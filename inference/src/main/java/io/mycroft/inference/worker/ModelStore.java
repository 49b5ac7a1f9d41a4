package io.mycroft.inference.worker;

import ai.djl.Device;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.ModelRejectedException;
import io.mycroft.inference.model.Network;
import mycroft.schemas.ModelArtifact;

import java.util.HashMap;
import java.util.Map;

/**
 * Every model version seen on the models topic, loaded (and sha256-verified) at most once per version. The topic is
 * compacted by modelId, so a version replaced before this worker started is gone; requests naming it are rejected.
 */
final class ModelStore implements AutoCloseable {
    private final Device device;
    private final Map<String, ModelArtifact> artifacts = new HashMap<>();
    private final Map<String, Network> loaded = new HashMap<>();
    private final Map<String, ModelRejectedException> refused = new HashMap<>();

    ModelStore(Device device) {
        this.device = device;
    }

    void add(ModelArtifact artifact) {
        artifacts.put(key(artifact.getModelId(), artifact.getVersion()), artifact);
    }

    boolean has(String modelId, int version) {
        return artifacts.containsKey(key(modelId, version));
    }

    /** The loaded network; throws the same {@link ModelRejectedException} every time for a model that does not load. */
    Network network(String modelId, int version) {
        String key = key(modelId, version);
        if (refused.containsKey(key)) {
            throw refused.get(key);
        }
        Network network = loaded.get(key);
        if (network == null) {
            ModelArtifact artifact = artifacts.get(key);
            if (artifact == null) {
                throw new ModelRejectedException("model " + key + " is not on the models topic");
            }
            try {
                network = ModelArtifacts.load(artifact, device);
            } catch (ModelRejectedException e) {
                refused.put(key, e);
                throw e;
            }
            loaded.put(key, network);
        }
        return network;
    }

    private static String key(String modelId, int version) {
        return modelId + " v" + version;
    }

    @Override
    public void close() {
        loaded.values().forEach(Network::close);
        loaded.clear();
    }
}
