package io.mycroft.experiments.data;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
  * The IDX format of (Fashion-)MNIST: big-endian magic {@code 0x0000_08_NN} (unsigned bytes, NN dimensions), then NN
  * int32 sizes, then the bytes. Files ending in {@code .gz} are gzip'd. Images here are n × 28 × 28.
  */
public final class IdxFiles {
    public static final int SIDE = 28;
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxFiles() {}

    /** Reads an images file (3 dimensions) as n rows of 784 pixel values 0–255. */
    public static float[][] readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int[] dims = header(in, 3, file);
            if (dims[1] != SIDE || dims[2] != SIDE) {
                throw new IOException(file + ": images are " + dims[1] + "×" + dims[2] + ", expected 28×28");
            }
            byte[] row = new byte[SIDE * SIDE];
            float[][] images = new float[dims[0]][];
            for (int i = 0; i < dims[0]; i++) {
                in.readFully(row);
                float[] pixels = new float[row.length];
                for (int p = 0; p < row.length; p++) {
                    pixels[p] = row[p] & 0xFF;
                }
                images[i] = pixels;
            }
            return images;
        }
    }

    /** Reads a labels file (1 dimension). */
    public static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int[] dims = header(in, 1, file);
            byte[] bytes = new byte[dims[0]];
            in.readFully(bytes);
            int[] labels = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                labels[i] = bytes[i] & 0xFF;
            }
            return labels;
        }
    }

    /**
      * Writes images (pixel values must be integers 0–255). Gzip output has no name or timestamp in its header, so equal
      * images give equal bytes.
      */
    public static void writeImages(Path file, float[][] images) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(images.length * SIDE * SIDE);
        for (float[] image : images) {
            if (image.length != SIDE * SIDE) {
                throw new IllegalArgumentException("an image has " + image.length + " pixels, expected " + SIDE * SIDE);
            }
            for (float p : image) {
                if (p < 0 || p > 255 || p != Math.rint(p)) {
                    throw new IllegalArgumentException("pixel value " + p + " is not an integer in [0, 255]");
                }
                body.write((int) p);
            }
        }
        write(file, new int[] {images.length, SIDE, SIDE}, body.toByteArray());
    }

    public static void writeLabels(Path file, int[] labels) throws IOException {
        byte[] body = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new IllegalArgumentException("label " + labels[i] + " does not fit an unsigned byte");
            }
            body[i] = (byte) labels[i];
        }
        write(file, new int[] {labels.length}, body);
    }

    private static void write(Path file, int[] dims, byte[] body) throws IOException {
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file));
                OutputStream os = file.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw;
                DataOutputStream out = new DataOutputStream(os)) {
            out.writeInt((UNSIGNED_BYTE << 8) | dims.length);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(body);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return new DataInputStream(new java.io.BufferedInputStream(
                file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in));
    }

    private static int[] header(DataInputStream in, int expectedDims, Path file) throws IOException {
        int magic = in.readInt();
        if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != UNSIGNED_BYTE || (magic & 0xFF) != expectedDims) {
            throw new IOException(file + ": magic 0x" + Integer.toHexString(magic) + " is not an unsigned-byte IDX file with "
                    + expectedDims + " dimension(s)");
        }
        int[] dims = new int[expectedDims];
        for (int i = 0; i < expectedDims; i++) {
            dims[i] = in.readInt();
        }
        return dims;
    }
}
