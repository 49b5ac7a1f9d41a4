package io.mycroft.processors.math;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One sample's vector (an embedding, a gradient or a tabular feature row) under its sample id. The id identifies the
 * vector: offering the same id twice must mean the same vector. {@code norm} is ‖vector‖₂ as {@link UnitVectors#norm(float[])}
 * gives it, when whoever checked the vector took it (finite and non-zero), else NaN: {@link RetrieveTopKStream} then
 * checks the vector and takes its norm itself.
 */
public record SampleEmbedding(String sampleId, float[] vector, double norm) {
    public SampleEmbedding {
        Objects.requireNonNull(sampleId, "sampleId");
        Objects.requireNonNull(vector, "vector");
    }

    /** A sample whose vector has not been checked. */
    public SampleEmbedding(String sampleId, float[] vector) {
        this(sampleId, vector, Double.NaN);
    }

    /**
     * The first 8 bytes (big-endian) of SHA-256 over the vector's little-endian float32 bytes. Samples with equal keys
     * are exact duplicates (DESIGN §3 "duplicates": one candidate, represented by the smallest sample id); a false
     * match needs a 64-bit collision.
     */
    public long contentKey() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Vectors.toBytes(vector).array());
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /**
     * One representative per exact duplicate group (equal {@link #contentKey()}): the smallest sample id, in the order
     * of first appearance.
     *
     * @throws IllegalArgumentException if a sample id appears twice
     */
    public static List<SampleEmbedding> representatives(List<SampleEmbedding> samples) {
        Set<String> ids = new HashSet<>();
        Map<Long, Integer> slotOfKey = new HashMap<>();
        List<SampleEmbedding> out = new ArrayList<>();
        for (SampleEmbedding s : samples) {
            if (!ids.add(s.sampleId())) {
                throw new IllegalArgumentException("sample id " + s.sampleId() + " appears twice");
            }
            Integer slot = slotOfKey.putIfAbsent(s.contentKey(), out.size());
            if (slot == null) {
                out.add(s);
            } else if (s.sampleId().compareTo(out.get(slot).sampleId()) < 0) {
                out.set(slot, s);
            }
        }
        return out;
    }
}
