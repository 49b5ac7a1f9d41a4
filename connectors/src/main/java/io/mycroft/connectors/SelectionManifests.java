package io.mycroft.connectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import mycroft.schemas.ClassSubset;
import mycroft.schemas.SelectedSample;
import mycroft.schemas.SubsetUpdate;

/**
 * An owner's current useful subset per request as a JSON file, {@code <root>/<ownerId>/selection-<requestId>.json}:
 * request, sequence number, score, and the selected sample ids with label and weight. Each update replaces the file in
 * one atomic move, so an owner never reads half a manifest, and replaying updates in order ends in the same file.
 */
final class SelectionManifests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    SelectionManifests(Path root) {
        this.root = root;
    }

    Path file(String ownerId, String requestId) {
        return root.resolve(safe(ownerId)).resolve("selection-" + safe(requestId) + ".json");
    }

    void write(SubsetUpdate update) throws IOException {
        ObjectNode manifest = JSON.createObjectNode()
                .put("requestId", update.getRequestId())
                .put("ownerId", update.getOwnerId())
                .put("seq", update.getSeq())
                .put("score", update.getScore())
                .put("cancelled", update.getCancelled())
                .put("asOf", update.getAsOf().toString());
        ArrayNode samples = manifest.putArray("samples");
        for (ClassSubset subset : update.getClasses()) {
            for (SelectedSample sample : subset.getSelected()) {
                samples.addObject().put("sampleId", sample.getSampleId()).put("label", subset.getLabel())
                        .put("weight", sample.getWeight());
            }
        }
        Path file = file(update.getOwnerId(), update.getRequestId());
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), manifest);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A tombstone on subset-updates: the request is gone, and so is its manifest. */
    void delete(String ownerId, String requestId) throws IOException {
        Files.deleteIfExists(file(ownerId, requestId));
    }

    /** Ids become file names: keep them from leaving the owner's folder. */
    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
