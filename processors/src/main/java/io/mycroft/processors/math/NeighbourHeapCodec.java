package io.mycroft.processors.math;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of a {@link NeighbourHeap} (the value of the {@code topk} store, key request|owner|hardSample).
 *
 * <pre>
 * version 1, little-endian:
 *   byte   version (= 1)
 *   int    capacity
 *   int    size
 *   size × { double squaredDistance, long contentKey, int idLength, idLength bytes UTF-8 sampleId }  nearest first
 * </pre>
 * Distances are stored as their exact IEEE-754 bits, so a decoded heap ranks new arrivals exactly as the live one did.
 */
public final class NeighbourHeapCodec {
    public static final byte VERSION = 1;

    private NeighbourHeapCodec() {
    }

    public static byte[] encode(NeighbourHeap heap) {
        List<Neighbour> ns = heap.neighbours();
        List<byte[]> ids = new ArrayList<>(ns.size());
        int bytes = 1 + 4 + 4;
        for (Neighbour n : ns) {
            byte[] id = n.sampleId().getBytes(StandardCharsets.UTF_8);
            ids.add(id);
            bytes += 8 + 8 + 4 + id.length;
        }
        ByteBuffer out = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        out.put(VERSION).putInt(heap.capacity()).putInt(ns.size());
        for (int i = 0; i < ns.size(); i++) {
            out.putDouble(ns.get(i).squaredDistance()).putLong(ns.get(i).contentKey()).putInt(ids.get(i).length)
                    .put(ids.get(i));
        }
        return out.array();
    }

    /**
     * @throws IllegalArgumentException if the bytes are not a version-1 heap (unknown version, truncated, trailing
     *                                  bytes, or contents violating the heap invariants)
     */
    public static NeighbourHeap decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown topk heap encoding version " + version
                        + ", this build reads version " + VERSION);
            }
            int capacity = in.getInt();
            int size = in.getInt();
            if (size < 0 || size > capacity || size > in.remaining() / 20) {
                throw new IllegalArgumentException("corrupt topk heap: size " + size + ", capacity " + capacity);
            }
            List<Neighbour> ns = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                double d = in.getDouble();
                long key = in.getLong();
                int len = in.getInt();
                if (len < 0 || len > in.remaining()) {
                    throw new IllegalArgumentException("corrupt topk heap: id length " + len + " at entry " + i);
                }
                byte[] id = new byte[len];
                in.get(id);
                ns.add(new Neighbour(new String(id, StandardCharsets.UTF_8), d, key));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("corrupt topk heap: " + in.remaining() + " trailing bytes");
            }
            return NeighbourHeap.of(capacity, ns);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("corrupt topk heap: truncated after " + in.position() + " bytes", e);
        }
    }
}
