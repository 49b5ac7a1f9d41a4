package io.mycroft.processors.math;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of an {@link OmpPath} for the {@code omp-state} store. Layout (big-endian doubles, unsigned LEB128
 * varints):
 * <pre>
 *   u8 version | varint samplesSeen | u8 exhausted | f64 ‖r‖ | f64 ‖y‖ | varint steps
 *   per step: varint idLen, UTF-8 winner | f64 score | u8 dependent
 *             | varint drops, each the index of the step that chose the dropped atom | varint k, k × f64 weights
 * </pre>
 * Doubles are stored bit-exact, so a decoded path continues exactly as the encoded one would have.
 *
 * <p>The version also names the arithmetic the path was computed with. Version 2 (2026-12-05): unit atoms are
 * x·(1/‖x‖) with ‖x‖ through {@link DotKernel}; version 1 divided every entry by a left-to-right ‖x‖. A version-1 path
 * has the same layout and still decodes, but its scores are not those of today's atoms: {@link #current} tells
 * {@link IncrementalOmp#restore(double[], OmpOptions, CandidateStore, byte[])} to recompute it from the candidates instead
 * of continuing it.
 */
public final class OmpStateCodec {
    public static final byte VERSION = 2;
    private static final byte FIRST_VERSION = 1;

    private OmpStateCodec() {
    }

    public static byte[] encode(OmpPath path) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeVarLong(out, path.samplesSeen());
            out.writeBoolean(path.exhausted());
            out.writeDouble(path.residualNorm());
            out.writeDouble(path.targetNorm());
            List<OmpStep> steps = path.steps();
            writeVarLong(out, steps.size());
            List<String> winners = new ArrayList<>();
            for (OmpStep s : steps) {
                winners.add(s.winner());
                byte[] id = s.winner().getBytes(StandardCharsets.UTF_8);
                writeVarLong(out, id.length);
                out.write(id);
                out.writeDouble(s.score());
                out.writeBoolean(s.dependent());
                writeVarLong(out, s.dropped().size());
                for (String d : s.dropped()) {
                    writeVarLong(out, winners.lastIndexOf(d));
                }
                double[] w = s.weights();
                writeVarLong(out, w.length);
                for (double v : w) {
                    out.writeDouble(v);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** True when {@code bytes} were encoded by this version, so the path continues with today's arithmetic. */
    static boolean current(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == VERSION;
    }

    /**
     * Decodes {@link #encode} output of this or an earlier version (same layout); throws {@link IllegalArgumentException}
     * for an unknown version or bad bytes.
     */
    public static OmpPath decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version < FIRST_VERSION || version > VERSION) {
                throw new IllegalArgumentException("omp-state version " + version + " is not supported (expected "
                        + FIRST_VERSION + " to " + VERSION + ")");
            }
            long seen = readVarLong(in);
            boolean exhausted = in.readBoolean();
            double residualNorm = in.readDouble();
            double targetNorm = in.readDouble();
            int count = readLength(in, bytes.length);
            List<OmpStep> steps = new ArrayList<>(count);
            List<String> winners = new ArrayList<>(count);
            for (int t = 0; t < count; t++) {
                byte[] id = new byte[readLength(in, bytes.length)];
                in.readFully(id);
                String winner = new String(id, StandardCharsets.UTF_8);
                winners.add(winner);
                double score = in.readDouble();
                boolean dependent = in.readBoolean();
                int drops = readLength(in, bytes.length);
                List<String> dropped = new ArrayList<>(drops);
                for (int i = 0; i < drops; i++) {
                    int step = readLength(in, bytes.length);
                    if (step > t) {
                        throw new IllegalArgumentException("omp-state step " + t + " drops an atom of later step "
                                + step);
                    }
                    dropped.add(winners.get(step));
                }
                double[] w = new double[readLength(in, bytes.length)];
                for (int i = 0; i < w.length; i++) {
                    w[i] = in.readDouble();
                }
                steps.add(new OmpStep(winner, score, dependent, dropped, w));
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("omp-state has " + in.available() + " trailing bytes");
            }
            return new OmpPath(steps, exhausted, residualNorm, targetNorm, seen);
        } catch (EOFException e) {
            throw new IllegalArgumentException("omp-state bytes are truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeVarLong(DataOutputStream out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    private static long readVarLong(DataInputStream in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("omp-state has a malformed varint");
    }

    /** A count or index, bounded by the input size so corrupt bytes cannot allocate huge arrays. */
    private static int readLength(DataInputStream in, int limit) throws IOException {
        long v = readVarLong(in);
        if (v < 0 || v > limit) {
            throw new IllegalArgumentException("omp-state has an impossible length " + v);
        }
        return (int) v;
    }
}
