package io.mycroft.connectors;

import io.mycroft.schemas.idx.IdxFiles;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An IDX image file and its label file, as MNIST and Fashion-MNIST ship them ({@code X-images-idx3-ubyte[.gz]} with
 * {@code X-labels-idx1-ubyte[.gz]}): unsigned-byte images, one label byte each. Pixels become features scaled to [0, 1]
 * (p / 255). Positions are 0-based image indexes. A pair whose headers do not match is rejected whole, once. Read
 * incrementally (a file may still be growing), with the format of {@link IdxFiles}.
 */
final class IdxFile implements SampleFile {
    static final String INDEX = "index";
    /** Offset of a pair rejected for its headers: never read again. */
    private static final long REJECTED = -1;

    private final Path images;
    private final Path labels;
    private long next;
    private long count = -1;
    private int pixels;
    private DataInputStream imageIn;
    private DataInputStream labelIn;

    IdxFile(Path images, Path labels, Map<String, Object> offset) {
        this.images = images;
        this.labels = labels;
        this.next = offset == null ? 0 : ((Number) offset.get(INDEX)).longValue();
    }

    /** The label file paired with an images file, by the MNIST naming convention. */
    static Path labelsOf(Path images) {
        return images.resolveSibling(images.getFileName().toString().replace("-images-idx3-", "-labels-idx1-"));
    }

    static boolean isImages(Path file) {
        return file.getFileName().toString().matches(".+-images-idx3-ubyte(\\.gz)?");
    }

    @Override
    public String system() {
        return "idx";
    }

    @Override
    public boolean finished() {
        return next == REJECTED || (count >= 0 && next >= count);
    }

    @Override
    public List<SourceItem> read(int max) throws IOException {
        List<SourceItem> items = new ArrayList<>();
        if (finished() || !Files.exists(labels)) {
            return items;
        }
        try {
            if (imageIn == null && !open(items)) {
                return items;
            }
            byte[] image = new byte[pixels];
            while (items.size() < max && next < count) {
                imageIn.readFully(image);
                int label = labelIn.readUnsignedByte();
                float[] features = new float[pixels];
                for (int p = 0; p < pixels; p++) {
                    features[p] = (image[p] & 0xff) / 255f;
                }
                long position = next++;
                items.add(new SourceItem.Sample(position, Map.of(INDEX, next), label, features, null, null));
            }
        } catch (EOFException e) {
            close(); // still being written: read again from the last complete image on the next poll
        }
        if (finished()) {
            close();
        }
        return items;
    }

    /** Reads both headers and skips to the offset; false (and a rejection) when they are not a matching pair. */
    private boolean open(List<SourceItem> items) throws IOException {
        imageIn = IdxFiles.open(images);
        labelIn = IdxFiles.open(labels);
        int imageMagic = imageIn.readInt();
        long imageCount = imageIn.readInt();
        int rows = imageIn.readInt();
        int cols = imageIn.readInt();
        int labelMagic = labelIn.readInt();
        long labelCount = labelIn.readInt();
        String problem = imageMagic != IdxFiles.IMAGES_MAGIC ? String.format("magic number 0x%08x, expected 0x%08x for "
                + "unsigned-byte images", imageMagic, IdxFiles.IMAGES_MAGIC)
                : labelMagic != IdxFiles.LABELS_MAGIC ? String.format("label file %s has magic number 0x%08x, expected 0x%08x",
                        labels.getFileName(), labelMagic, IdxFiles.LABELS_MAGIC)
                : imageCount != labelCount ? imageCount + " images but " + labelCount + " labels in " + labels.getFileName()
                : rows <= 0 || cols <= 0 || (long) rows * cols > Integer.MAX_VALUE ? "bad image size " + rows + "x" + cols
                : null;
        if (problem != null) {
            byte[] header = ByteBuffer.allocate(16).putInt(imageMagic).putInt((int) imageCount).putInt(rows).putInt(cols).array();
            next = REJECTED;
            items.add(new SourceItem.Rejected(0, Map.of(INDEX, REJECTED), "not an IDX image/label pair: " + problem, header));
            close();
            return false;
        }
        count = imageCount;
        pixels = rows * cols;
        imageIn.skipNBytes(next * pixels);
        labelIn.skipNBytes(next);
        return true;
    }

    @Override
    public void close() throws IOException {
        if (imageIn != null) {
            imageIn.close();
            labelIn.close();
            imageIn = null;
            labelIn = null;
        }
    }
}
