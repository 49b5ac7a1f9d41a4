package io.mycroft.schemas.idx;

import java.io.BufferedInputStream;
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
 * The IDX format of (Fashion-)MNIST, the one reader and writer of the project (the owner directory connector, the
 * model trainer's data and the experiments' generated owners all use it): big-endian magic {@code 0x0000_08_NN}
 * (unsigned bytes, NN dimensions), then NN int32 sizes, then the bytes. Files ending in {@code .gz} are gzip'd. Images
 * come as {@code <kind>-images-idx3-ubyte[.gz]} with {@code <kind>-labels-idx1-ubyte[.gz]}.
 */
public final class IdxFiles {
    /** Side of the images the experiments write (Fashion-MNIST's 28 × 28). */
    public static final int SIDE = 28;
    /** Magic number of an unsigned-byte images file (3 dimensions: n, rows, columns). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte labels file (1 dimension: n). */
    public static final int LABELS_MAGIC = 0x00000801;
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxFiles() {
    }

    /** Reads an images file (3 dimensions) as n rows of rows·columns pixel values 0–255, row-major. */
    public static float[][] readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int[] dims = header(in, 3, file);
            if (dims[1] <= 0 || dims[2] <= 0) {
                throw new IOException(file + ": bad image size " + dims[1] + "×" + dims[2]);
            }
            byte[] row = new byte[dims[1] * dims[2]];
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

    /** The images file of a pair, {@code dir/<kind>-images-idx3-ubyte.gz}. */
    public static Path images(Path dir, String kind) {
        return dir.resolve(kind + "-images-idx3-ubyte.gz");
    }

    /** The labels file of a pair, {@code dir/<kind>-labels-idx1-ubyte.gz}. */
    public static Path labels(Path dir, String kind) {
        return dir.resolve(kind + "-labels-idx1-ubyte.gz");
    }

    /**
     * Writes 28 × 28 images (pixel values must be integers 0–255). Gzip output has no name or timestamp in its header,
     * so equal images give equal bytes.
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

    /** A buffered stream of the file's IDX bytes, gunzipped when the name ends in {@code .gz}. */
    public static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in);
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
