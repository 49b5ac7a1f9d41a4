package io.mycroft.processors.math;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Binary encoding of a {@link SieveStreaming} state (key request|owner|class). The hard-sample vectors are not stored:
 * they come from the request's hard-set vectors and are passed to {@link #decode}.
 *
 * <pre>
 * version 1, little-endian:
 *   byte   version (= 1)
 *   int    budget B
 *   double epsilon
 *   int    hardCount
 *   double maxSingleton m
 *   int    sieveCount
 *   sieveCount × { int exponent i, hardCount × double best_h, int idCount, idCount × { int len, len bytes UTF-8 } }
 * </pre>
 * Doubles are stored bit-exactly, so a decoded stream continues exactly as the live one would.
 */
public final class SieveStreamingCodec {
    public static final byte VERSION = 1;

    private SieveStreamingCodec() {
    }

    public static byte[] encode(SieveStreaming stream) {
        List<byte[]> chunks = new ArrayList<>();
        int total = 1 + 4 + 8 + 4 + 8 + 4;
        for (Map.Entry<Integer, SieveStreaming.Sieve> e : stream.sieves().entrySet()) {
            SieveStreaming.Sieve s = e.getValue();
            total += 4 + 8 * s.best().length + 4;
            for (String id : s.sampleIds()) {
                byte[] b = id.getBytes(StandardCharsets.UTF_8);
                chunks.add(b);
                total += 4 + b.length;
            }
        }
        ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(VERSION).putInt(stream.budget()).putDouble(stream.epsilon()).putInt(stream.hardCount())
                .putDouble(stream.maxSingleton()).putInt(stream.sieves().size());
        int chunk = 0;
        for (Map.Entry<Integer, SieveStreaming.Sieve> e : stream.sieves().entrySet()) {
            out.putInt(e.getKey());
            for (double b : e.getValue().best()) {
                out.putDouble(b);
            }
            out.putInt(e.getValue().sampleIds().size());
            for (int i = 0; i < e.getValue().sampleIds().size(); i++) {
                byte[] id = chunks.get(chunk++);
                out.putInt(id.length).put(id);
            }
        }
        return out.array();
    }

    /**
     * Restores a stream; {@code hard} must be the same D_hard_c vectors, in the same order, as when it was encoded.
     *
     * @throws IllegalArgumentException for an unknown version, truncated or trailing bytes, or a state that does not fit
     *                                  {@code hard}
     */
    public static SieveStreaming decode(byte[] bytes, List<SampleEmbedding> hard) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown sieve state encoding version " + version
                        + ", this build reads version " + VERSION);
            }
            int budget = in.getInt();
            double epsilon = in.getDouble();
            int hardCount = in.getInt();
            double maxSingleton = in.getDouble();
            int sieveCount = in.getInt();
            if (hardCount != hard.size() || hardCount < 0 || sieveCount < 0 || sieveCount > in.remaining()) {
                throw new IllegalArgumentException("sieve state for " + hardCount + " hard samples with " + sieveCount
                        + " sieves does not fit " + hard.size() + " hard samples");
            }
            TreeMap<Integer, SieveStreaming.Sieve> sieves = new TreeMap<>();
            for (int s = 0; s < sieveCount; s++) {
                int exponent = in.getInt();
                double[] best = new double[hardCount];
                for (int h = 0; h < hardCount; h++) {
                    best[h] = in.getDouble();
                }
                int ids = in.getInt();
                if (ids < 0 || ids > budget || ids > in.remaining()) {
                    throw new IllegalArgumentException("corrupt sieve state: " + ids + " ids, budget " + budget);
                }
                List<String> sampleIds = new ArrayList<>(ids);
                for (int i = 0; i < ids; i++) {
                    int len = in.getInt();
                    if (len < 0 || len > in.remaining()) {
                        throw new IllegalArgumentException("corrupt sieve state: id length " + len);
                    }
                    byte[] id = new byte[len];
                    in.get(id);
                    sampleIds.add(new String(id, StandardCharsets.UTF_8));
                }
                sieves.put(exponent, new SieveStreaming.Sieve(sampleIds, best));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("corrupt sieve state: " + in.remaining() + " trailing bytes");
            }
            return new SieveStreaming(hard, budget, epsilon, maxSingleton, sieves);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("corrupt sieve state: truncated after " + in.position() + " bytes", e);
        }
    }
}
