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
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
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

    /** {@code request|hex(contentDigest)}: the key of a content in the index store ({@link ClaimIndex}). */
    static String key(String requestId, ByteBuffer digest) {
        return requestId + Keys.SEPARATOR + HexFormat.of().formatHex(bytes(digest));
    }

    private static byte[] bytes(ByteBuffer digest) {
        byte[] bytes = new byte[digest.remaining()];
        digest.duplicate().get(bytes);
        return bytes;
    }

    /**
     * The claims one record made, as the claim log keeps them: the record's owner, then for each sample it claimed the
     * content digest and sample id (about 40 bytes a claim). The layout is {@link DataOutputStream}'s: the owner and each
     * id as {@code writeUTF} writes them, the count as an int, each digest after its length as a short.
     */
    static byte[] encodeRecordClaims(String ownerId, List<SampleVector> claimed) {
        byte[] owner = modifiedUtf8(ownerId);
        // A plain ASCII id (nearly all are) is written from its characters; only another id gets an encoding of its own.
        byte[][] encodedIds = null;
        int size = Short.BYTES + owner.length + Integer.BYTES;
        for (int i = 0; i < claimed.size(); i++) {
            String id = claimed.get(i).getSampleId();
            if (!isPlainAscii(id)) {
                encodedIds = encodedIds == null ? new byte[claimed.size()][] : encodedIds;
                encodedIds[i] = modifiedUtf8(id);
            }
            int idBytes = encodedIds == null || encodedIds[i] == null ? id.length() : encodedIds[i].length;
            size += Short.BYTES + claimed.get(i).getContentDigest().remaining() + Short.BYTES + idBytes;
        }
        byte[] bytes = new byte[size];
        int at = putShort(bytes, 0, owner.length);
        System.arraycopy(owner, 0, bytes, at, owner.length);
        at += owner.length;
        at = putShort(bytes, putShort(bytes, at, claimed.size() >>> 16), claimed.size()); // the count, an int
        for (int i = 0; i < claimed.size(); i++) {
            ByteBuffer digest = claimed.get(i).getContentDigest();
            at = putShort(bytes, at, digest.remaining());
            digest.get(digest.position(), bytes, at, digest.remaining());
            at += digest.remaining();
            if (encodedIds != null && encodedIds[i] != null) {
                at = putShort(bytes, at, encodedIds[i].length);
                System.arraycopy(encodedIds[i], 0, bytes, at, encodedIds[i].length);
                at += encodedIds[i].length;
            } else {
                String id = claimed.get(i).getSampleId();
                at = putShort(bytes, at, id.length());
                for (int c = 0; c < id.length(); c++) {
                    bytes[at++] = (byte) id.charAt(c);
                }
            }
        }
        return bytes;
    }

    /** Writes the low 16 bits of {@code value} big-endian at {@code at}, as {@code writeShort} does; returns the next index. */
    private static int putShort(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 8);
        bytes[at + 1] = (byte) value;
        return at + 2;
    }

    /** Whether {@code writeUTF} writes {@code s} as its characters, one byte each: all ASCII other than NUL, and short. */
    private static boolean isPlainAscii(String s) {
        if (s.length() > 0xFFFF) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0x7F) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code s} as {@link DataOutputStream#writeUTF} writes it, without the length: the characters themselves when all are
     * ASCII other than NUL (ids nearly always are), else modified UTF-8.
     *
     * @throws UncheckedIOException if it takes more than 65,535 bytes, as {@code writeUTF} does
     */
    private static byte[] modifiedUtf8(String s) {
        if (isPlainAscii(s)) {
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(2 + 3 * s.length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Arrays.copyOfRange(bytes.toByteArray(), 2, bytes.size());
    }

    /** Gives each content digest a record's claim-log entry ({@link #encodeRecordClaims}) claimed, in order. */
    static void decodeDigests(byte[] entry, Consumer<ByteBuffer> each) {
        findClaim(entry, (digest, claim) -> {
            each.accept(digest);
            return false;
        });
    }

    /** The claim ({@code owner|sampleId}) a record's claim-log entry made on {@code digest}, or null if it made none. */
    static String claimIn(byte[] entry, ByteBuffer digest) {
        return findClaim(entry, (claimed, claim) -> claimed.equals(digest));
    }

    /** The first claim (digest, {@code owner|sampleId}) of a claim-log entry that {@code stop} accepts, or null. */
    private static String findClaim(byte[] entry, BiPredicate<ByteBuffer, String> stop) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry))) {
            String ownerId = in.readUTF();
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                ByteBuffer digest = ByteBuffer.wrap(in.readNBytes(in.readUnsignedShort()));
                String claim = ownerId + Keys.SEPARATOR + in.readUTF();
                if (stop.test(digest, claim)) {
                    return claim;
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("a corrupt claim-log entry", e);
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
        return firstClaim != null && !isOf(firstClaim, ownerId);
    }

    /** True when {@code firstClaim} (null: none) is not this very sample's: the sample copies an earlier one. */
    static boolean isDuplicate(String firstClaim, String ownerId, SampleVector sample) {
        String sampleId = sample.getSampleId();
        return firstClaim != null && !(firstClaim.length() == ownerId.length() + 1 + sampleId.length()
                && isOf(firstClaim, ownerId) && firstClaim.endsWith(sampleId));
    }

    /** Whether {@code claim} ({@code owner|sampleId}) is {@code ownerId}'s; no string is built (one is tested per sample). */
    private static boolean isOf(String claim, String ownerId) {
        return claim.length() > ownerId.length() && claim.charAt(ownerId.length()) == Keys.SEPARATOR && claim.startsWith(ownerId);
    }

    /**
     * The batch form of the claims: {@code batches} are all owners' records of {@code requestId} in the offset order of
     * its partition; returns each sample's first claim (null for a sample without a digest).
     */
    public static Function<SampleVector, String> first(String requestId, List<SampleVectors> batches) {
        Map<ByteBuffer, String> first = new HashMap<>();
        for (SampleVectors batch : batches) {
            for (SampleVector sample : batch.getSamples()) {
                if (sample.getContentDigest().hasRemaining()) {
                    first.putIfAbsent(sample.getContentDigest(), claim(batch.getOwnerId(), sample));
                }
            }
        }
        return sample -> first.get(sample.getContentDigest());
    }
}
