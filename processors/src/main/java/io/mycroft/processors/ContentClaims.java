package io.mycroft.processors;

import io.mycroft.schemas.Keys;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Who a content is credited to within a request: the {@code owner|sampleId} whose sample with that content (the worker's
 * SHA-256 {@code contentDigest}) came first in the request's partition of {@code sample-vectors}. A later sample of
 * another owner with the same content is credited to that first claim and never offered; a later one of the same owner
 * under another id is offered (exact copies count once in the selection). Both are duplicates.
 */
public final class ContentClaims {
    private ContentClaims() {
    }

    /** {@code request|hex(contentDigest)}; null for an empty digest, which names no content. */
    static String key(String requestId, SampleVector sample) {
        byte[] digest = digest(sample);
        return digest.length == 0 ? null : key(requestId, digest);
    }

    private static String key(String requestId, byte[] digest) {
        return requestId + Keys.SEPARATOR + HexFormat.of().formatHex(digest);
    }

    private static byte[] digest(SampleVector sample) {
        ByteBuffer digest = sample.getContentDigest();
        byte[] bytes = new byte[digest.remaining()];
        digest.duplicate().get(bytes);
        return bytes;
    }

    /**
     * The claims one record made, as the claim log keeps them: the record's owner, then for each sample it claimed the
     * content digest and sample id (about 40 bytes a claim).
     */
    static byte[] encodeRecordClaims(String ownerId, List<SampleVector> claimed) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + 48 * claimed.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(ownerId);
            out.writeInt(claimed.size());
            for (SampleVector sample : claimed) {
                byte[] digest = digest(sample);
                out.writeShort(digest.length);
                out.write(digest);
                out.writeUTF(sample.getSampleId());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Gives each (content key, claim) of a record of {@code requestId} encoded by {@link #encodeRecordClaims}. */
    static void decodeRecordClaims(String requestId, byte[] entry, BiConsumer<String, String> keyAndClaim) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry))) {
            String ownerId = in.readUTF();
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                byte[] digest = in.readNBytes(in.readUnsignedShort());
                keyAndClaim.accept(key(requestId, digest), ownerId + Keys.SEPARATOR + in.readUTF());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a corrupt claim-log entry of request " + requestId, e);
        }
    }

    /**
     * {@code request|owner|sampleId}: the key under which a duplicate sample is recorded once counted, so that a re-send
     * of it (a source connector restarting from an earlier offset) is not counted again. It has one more separator than
     * a content key (ids contain none), so the two never collide, and a request's cancel clears both.
     */
    static String countedCopyKey(String requestId, String ownerId, String sampleId) {
        return requestId + Keys.SEPARATOR + ownerId + Keys.SEPARATOR + sampleId;
    }

    /** The claim {@code ownerId|sampleId}. */
    static String claim(String ownerId, SampleVector sample) {
        return ownerId + Keys.SEPARATOR + sample.getSampleId();
    }

    /** True when {@code firstClaim} (null: none) is another owner's: the sample's content is credited to it. */
    static boolean creditedToAnother(String firstClaim, String ownerId) {
        return firstClaim != null && !firstClaim.startsWith(ownerId + Keys.SEPARATOR);
    }

    /** True when {@code firstClaim} (null: none) is not this very sample's: the sample copies an earlier one. */
    static boolean isDuplicate(String firstClaim, String ownerId, SampleVector sample) {
        return firstClaim != null && !firstClaim.equals(claim(ownerId, sample));
    }

    /**
     * The batch form of the claims: {@code batches} are all owners' records of {@code requestId} in the offset order of
     * its partition; returns each sample's first claim (null for a sample without a digest).
     */
    public static Function<SampleVector, String> first(String requestId, List<SampleVectors> batches) {
        Map<String, String> first = new HashMap<>();
        for (SampleVectors batch : batches) {
            for (SampleVector sample : batch.getSamples()) {
                String key = key(requestId, sample);
                if (key != null) {
                    first.putIfAbsent(key, claim(batch.getOwnerId(), sample));
                }
            }
        }
        return sample -> {
            String key = key(requestId, sample);
            return key == null ? null : first.get(key);
        };
    }
}
