package io.mycroft.experiments.data;

import io.mycroft.schemas.idx.IdxFiles;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/** Images as one folder per label holding 28×28 8-bit grayscale PNGs, the layout photo folders usually have. */
public final class PngFolders {
    private PngFolders() {}

    /**
      * A class name as a folder name: characters other than letters, digits, '.', '_' and '-' become '_'
      * ({@code T-shirt/top} → {@code T-shirt_top}, {@code Ankle boot} → {@code Ankle_boot}).
      */
    public static String labelFolder(String className) {
        return className.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
      * Writes sample i as {@code <labelFolder>/<i, 5 digits>.png}.
      *
      * @return the label folders written, sorted
      */
    public static List<String> write(Path dir, List<String> classNames, float[][] images, int[] labels)
            throws IOException {
        TreeSet<String> folders = new TreeSet<>();
        for (int i = 0; i < images.length; i++) {
            String folder = labelFolder(classNames.get(labels[i]));
            Path target = dir.resolve(folder);
            if (folders.add(folder)) {
                Files.createDirectories(target);
            }
            BufferedImage image = new BufferedImage(IdxFiles.SIDE, IdxFiles.SIDE, BufferedImage.TYPE_BYTE_GRAY);
            WritableRaster raster = image.getRaster();
            for (int p = 0; p < images[i].length; p++) {
                raster.setSample(p % IdxFiles.SIDE, p / IdxFiles.SIDE, 0, (int) images[i][p]);
            }
            if (!ImageIO.write(image, "png", target.resolve(String.format("%05d.png", i)).toFile())) {
                throw new IOException("no PNG writer in this JVM");
            }
        }
        return new ArrayList<>(folders);
    }

    /** Reads one PNG back as 784 pixel values 0–255. */
    public static float[] read(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        if (image == null || image.getWidth() != IdxFiles.SIDE || image.getHeight() != IdxFiles.SIDE) {
            throw new IOException(png + ": not a 28×28 image");
        }
        float[] pixels = new float[IdxFiles.SIDE * IdxFiles.SIDE];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = image.getRaster().getSample(p % IdxFiles.SIDE, p / IdxFiles.SIDE, 0);
        }
        return pixels;
    }
}
