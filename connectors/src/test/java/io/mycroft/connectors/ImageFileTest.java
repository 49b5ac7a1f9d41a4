package io.mycroft.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFileTest {
    @TempDir
    Path dir;

    @Test
    void rawBytesWithMediaTypeAndTheFolderAsLabel() throws Exception {
        byte[] png = TestFiles.png(4, 3);
        Path file = write("9/a.png", png);
        ImageFile image = new ImageFile(file, false, null);
        SourceItem.Sample sample = (SourceItem.Sample) image.read(10).get(0);
        assertThat(sample.label()).isEqualTo(9);
        assertThat(sample.raw()).isEqualTo(png);
        assertThat(sample.mediaType()).isEqualTo("image/png");
        assertThat(sample.features()).isNull();
        assertThat(image.finished()).isTrue();
        assertThat(image.read(10)).isEmpty();
        assertThat(new ImageFile(file, false, sample.offset()).finished()).isTrue();
    }

    @Test
    void decodedPixelsRowMajorScaledToOne() throws Exception {
        SourceItem.Sample sample = (SourceItem.Sample) new ImageFile(write("2/b.png", TestFiles.png(4, 3)), true, null)
                .read(1).get(0);
        assertThat(sample.features()).hasSize(12);
        assertThat(sample.features()[1 * 4 + 3]).isEqualTo((50 * 3 + 1) / 255f); // (x=3, y=1)
        assertThat(sample.raw()).isNull();
    }

    @Test
    void rejectsBrokenImagesOtherFilesAndFoldersThatAreNotLabels() throws Exception {
        assertThat(reason(write("1/broken.png", TestFiles.brokenPng()))).startsWith("unreadable image/png");
        assertThat(reason(write("1/text.jpg", "hello".getBytes()))).isEqualTo(
                "neither a PNG nor a JPEG (no PNG signature or JPEG SOI marker)");
        assertThat(reason(write("dogs/d.png", TestFiles.png(1, 1)))).isEqualTo("folder 'dogs' is not an integer label");
    }

    private static String reason(Path file) throws Exception {
        SourceItem item = new ImageFile(file, false, null).read(1).get(0);
        assertThat(item.offset()).isEqualTo(Map.of(ImageFile.INDEX, 1L));
        assertThat(((SourceItem.Rejected) item).original()).isEqualTo(Files.readAllBytes(file));
        return ((SourceItem.Rejected) item).reason();
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }
}
