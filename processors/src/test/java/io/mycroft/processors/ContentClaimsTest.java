package io.mycroft.processors;

import mycroft.schemas.SampleVector;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContentClaimsTest {
    private static final List<String> IDS = List.of("s-1", "x", "with\u0000nul", "é-accent", "\uD83D\uDE00-emoji", "\u20AC", "");

    @Test
    void aRecordsClaimsAreEncodedAsDataOutputStreamWritesThemAndFoundAgain() throws IOException {
        Random random = new Random(3);
        for (String owner : List.of("owner-7", "ówner", "o\u0000")) {
            List<SampleVector> claimed = new ArrayList<>();
            for (String id : IDS) {
                byte[] digest = new byte[1 + random.nextInt(40)];
                random.nextBytes(digest);
                claimed.add(sample(id, ByteBuffer.wrap(digest)));
            }
            byte[] entry = ContentClaims.encodeRecordClaims(owner, claimed);
            assertArrayEquals(reference(owner, claimed), entry);
            for (SampleVector s : claimed) {
                assertEquals(owner + "|" + s.getSampleId(), ContentClaims.claimIn(entry, s.getContentDigest()));
            }
            assertNull(ContentClaims.claimIn(entry, ByteBuffer.wrap(new byte[41])));
        }
    }

    @Test
    void anIdLongerThanTheLogCanHoldIsRefusedAsWriteUtfRefusesIt() {
        SampleVector huge = sample("a".repeat(65_536), ByteBuffer.wrap(new byte[32]));
        assertThrows(UncheckedIOException.class, () -> ContentClaims.encodeRecordClaims("o", List.of(huge)));
    }

    @Test
    void duplicateAndCreditTestsAgreeWithTheClaimsTheyCompare() {
        List<String> owners = List.of("o", "o1", "o10", "p");
        for (String claimOwner : owners) {
            for (String claimId : List.of("1", "s", "s1", "1s")) {
                String claim = claimOwner + "|" + claimId;
                for (String owner : owners) {
                    for (String id : List.of("1", "s", "s1", "1s", "0|s")) {
                        SampleVector sample = sample(id, ByteBuffer.allocate(0));
                        assertEquals(!claim.equals(owner + "|" + id), ContentClaims.isDuplicate(claim, owner, sample), claim + " " + owner + " " + id);
                        assertEquals(!claim.startsWith(owner + "|"), ContentClaims.creditedToAnother(claim, owner), claim + " " + owner);
                    }
                }
            }
        }
    }

    private static SampleVector sample(String id, ByteBuffer digest) {
        return new SampleVector(id, 0, null, null, 0.5f, digest, 0L, null);
    }

    /** The layout as {@link DataOutputStream} wrote it before the encoder was written out by hand. */
    private static byte[] reference(String owner, List<SampleVector> claimed) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(owner);
            out.writeInt(claimed.size());
            for (SampleVector s : claimed) {
                byte[] digest = new byte[s.getContentDigest().remaining()];
                s.getContentDigest().duplicate().get(digest);
                out.writeShort(digest.length);
                out.write(digest);
                out.writeUTF(s.getSampleId());
            }
        }
        return bytes.toByteArray();
    }
}
