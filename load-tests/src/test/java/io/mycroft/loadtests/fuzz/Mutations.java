package io.mycroft.loadtests.fuzz;

import java.util.Arrays;
import java.util.Random;

/** Byte-level mutations of a valid record's bytes, for the fuzz suite. */
public final class Mutations {
    /**
     * Records per input topic; each test mutates about half of them (seeded), so the default suite's 4,400 give some
     * 2,200 mutations per topic. The soak (bin/fuzz-soak.sh) sets more.
     */
    public static final int RECORDS = Integer.getInteger("mycroft.fuzz.records", 4400);

    private Mutations() {
    }

    /** {@code bytes} with 1 to 4 random bits flipped. */
    public static byte[] flipBits(byte[] bytes, Random random) {
        byte[] out = bytes.clone();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            int bit = random.nextInt(out.length * 8);
            out[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        return out;
    }

    /** {@code bytes} cut short at a random length (possibly empty). */
    public static byte[] truncate(byte[] bytes, Random random) {
        return Arrays.copyOf(bytes, random.nextInt(bytes.length));
    }

    /** Random bytes: sometimes with the wire format's magic byte and a schema id no registry knows, sometimes without. */
    public static byte[] garbage(Random random) {
        byte[] out = new byte[random.nextInt(64)];
        random.nextBytes(out);
        if (out.length >= 5 && random.nextBoolean()) {
            out[0] = 0;
            out[1] = 0x7f; // schema ids of the in-memory registry are small: 0x7f…… is never one
        }
        return out;
    }

    /** Bytes that are not UTF-8 text (a lone continuation byte). */
    public static byte[] notUtf8(Random random) {
        return new byte[]{(byte) (0x80 + random.nextInt(0x40)), 'x'};
    }

    /**
     * The value a fuzz test sends for a record of {@code kind}: the byte-level kinds every test shares, by name
     * (FLIPPED, TRUNCATED, GARBAGE, TOMBSTONE = null) damage {@code bytes}; any other kind sends them as they are.
     */
    public static byte[] value(Enum<?> kind, byte[] bytes, Random random) {
        return switch (kind.name()) {
            case "FLIPPED" -> flipBits(bytes, random);
            case "TRUNCATED" -> truncate(bytes, random);
            case "GARBAGE" -> garbage(random);
            case "TOMBSTONE" -> null;
            default -> bytes;
        };
    }
}
