package io.mycroft.connectors;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * One PNG or JPEG image in a folder named after its integer label ({@code 7/img-001.png}): one sample at position 0,
 * as the file's bytes with their media type, or as decoded pixels (row-major, channels interleaved, scaled to [0, 1]).
 * Every image is decoded either way, so an unreadable one goes to dead-letters rather than to the model.
 */
final class ImageFile implements SampleFile {
    static final String INDEX = "index";

    private final Path path;
    private final boolean decode;
    private boolean done;

    ImageFile(Path path, boolean decode, Map<String, Object> offset) {
        this.path = path;
        this.decode = decode;
        this.done = offset != null;
    }

    static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase();
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
    }

    @Override
    public String system() {
        return "images";
    }

    @Override
    public boolean finished() {
        return done;
    }

    @Override
    public List<SourceItem> read(int max) throws IOException {
        if (done) {
            return List.of();
        }
        byte[] bytes = Files.readAllBytes(path);
        done = true;
        return List.of(item(bytes));
    }

    private SourceItem item(byte[] bytes) {
        Map<String, Object> offset = Map.of(INDEX, 1L);
        String folder = path.getParent().getFileName().toString();
        int label;
        try {
            label = Integer.parseInt(folder);
        } catch (NumberFormatException e) {
            return new SourceItem.Rejected(0, offset, "folder '" + folder + "' is not an integer label", bytes);
        }
        String mediaType = mediaType(bytes);
        if (mediaType == null) {
            return new SourceItem.Rejected(0, offset, "neither a PNG nor a JPEG (no PNG signature or JPEG SOI marker)", bytes);
        }
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            return new SourceItem.Rejected(0, offset, "unreadable " + mediaType + ": " + e.getMessage(), bytes);
        }
        if (image == null) {
            return new SourceItem.Rejected(0, offset, "unreadable " + mediaType + ": no decoder accepted it", bytes);
        }
        if (!decode) {
            return new SourceItem.Sample(0, offset, label, null, bytes, mediaType);
        }
        Raster raster = image.getRaster();
        float[] pixels = raster.getPixels(0, 0, raster.getWidth(), raster.getHeight(), (float[]) null);
        float max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] /= max;
        }
        return new SourceItem.Sample(0, offset, label, pixels, null, null);
    }

    private static String mediaType(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return "image/jpeg";
        }
        return null;
    }
}
