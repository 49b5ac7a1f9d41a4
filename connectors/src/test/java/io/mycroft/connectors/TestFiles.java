package io.mycroft.connectors;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/** Owner files in the formats the directory connector reads, with contents the tests can predict. */
final class TestFiles {
    private TestFiles() {
    }

    /** An IDX pair (gzip when the names end in .gz): pixel p of image i is {@link #idxPixel}, its label {@link #idxLabel}. */
    static void writeIdx(Path images, Path labels, int count, int rows, int cols) throws IOException {
        try (DataOutputStream out = new DataOutputStream(open(images))) {
            out.writeInt(0x00000803);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            for (int i = 0; i < count; i++) {
                for (int p = 0; p < rows * cols; p++) {
                    out.writeByte(idxPixel(i, p));
                }
            }
        }
        try (DataOutputStream out = new DataOutputStream(open(labels))) {
            out.writeInt(0x00000801);
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                out.writeByte(idxLabel(i));
            }
        }
    }

    static int idxPixel(int image, int pixel) {
        return (image + pixel * 7) % 256;
    }

    static int idxLabel(int image) {
        return image % 10;
    }

    /** A grey-scale PNG whose pixel (x, y) is 50 * x + y. */
    static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, 50 * x + y);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    /** The PNG signature followed by garbage, as a truncated upload looks. */
    static byte[] brokenPng() {
        return new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3, 4, 5};
    }

    private static OutputStream open(Path file) throws IOException {
        OutputStream out = Files.newOutputStream(file);
        return file.toString().endsWith(".gz") ? new GZIPOutputStream(out) : out;
    }
}
