package io.mycroft.inference.model;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads labelled image sets in the IDX format of MNIST and Fashion-MNIST ({@code <kind>-images-idx3-ubyte.gz} and
 * {@code <kind>-labels-idx1-ubyte.gz}); pixels become floats in [0, 1], each image flattened row by row.
 */
public final class IdxFiles {
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private IdxFiles() {
    }

    /** The set {@code kind} ("train" or "t10k") of the directory {@code dir}. */
    public static Dataset read(Path dir, String kind) throws IOException {
        Path images = dir.resolve(kind + "-images-idx3-ubyte.gz");
        Path labels = dir.resolve(kind + "-labels-idx1-ubyte.gz");
        try (DataInputStream img = open(images); DataInputStream lab = open(labels)) {
            expect(img.readInt(), IMAGES_MAGIC, images);
            int n = img.readInt();
            int pixels = img.readInt() * img.readInt();
            expect(lab.readInt(), LABELS_MAGIC, labels);
            if (lab.readInt() != n) {
                throw new IOException(labels + " does not hold " + n + " labels like " + images);
            }
            float[][] features = new float[n][pixels];
            int[] classes = new int[n];
            byte[] row = new byte[pixels];
            for (int i = 0; i < n; i++) {
                img.readFully(row);
                for (int p = 0; p < pixels; p++) {
                    features[i][p] = (row[p] & 0xff) / 255f;
                }
                classes[i] = lab.readUnsignedByte();
            }
            return new Dataset(features, classes);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return new DataInputStream(new GZIPInputStream(in, 1 << 16));
    }

    private static void expect(int magic, int expected, Path file) throws IOException {
        if (magic != expected) {
            throw new IOException(file + " is not an IDX file of the expected kind (magic " + Integer.toHexString(magic) + ")");
        }
    }
}
