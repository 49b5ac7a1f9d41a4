package io.mycroft.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    private static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path dir;

    @Test
    void readsImagesAsScaledPixelsWithTheirLabelsAndResumesAtTheOffset() throws Exception {
        Path images = dir.resolve("t-images-idx3-ubyte.gz");
        TestFiles.writeIdx(images, IdxFile.labelsOf(images), 5, 3, 2);
        IdxFile idx = new IdxFile(images, IdxFile.labelsOf(images), null);
        List<SourceItem> firstTwo = idx.read(2);
        assertThat(firstTwo).extracting(SourceItem::position).containsExactly(0L, 1L);
        SourceItem.Sample second = (SourceItem.Sample) firstTwo.get(1);
        assertThat(second.label()).isEqualTo(TestFiles.idxLabel(1));
        assertThat(second.features()).hasSize(6);
        for (int p = 0; p < 6; p++) {
            assertThat(second.features()[p]).isEqualTo(TestFiles.idxPixel(1, p) / 255f);
        }
        assertThat(second.offset()).isEqualTo(Map.of(IdxFile.INDEX, 2L));
        assertThat(idx.finished()).isFalse();
        idx.close();

        IdxFile resumed = new IdxFile(images, IdxFile.labelsOf(images), second.offset());
        List<SourceItem> rest = resumed.read(10);
        assertThat(rest).extracting(SourceItem::position).containsExactly(2L, 3L, 4L);
        assertThat(((SourceItem.Sample) rest.get(2)).features()[5]).isEqualTo(TestFiles.idxPixel(4, 5) / 255f);
        assertThat(resumed.finished()).isTrue();
        IdxFile done = new IdxFile(images, IdxFile.labelsOf(images), rest.get(2).offset());
        assertThat(done.read(10)).isEmpty();
        assertThat(done.finished()).isTrue();
    }

    @Test
    void waitsForTheLabelFileAndForImagesStillBeingWritten() throws Exception {
        Path images = dir.resolve("u-images-idx3-ubyte");
        TestFiles.writeIdx(images, dir.resolve("elsewhere"), 4, 2, 2);
        IdxFile idx = new IdxFile(images, IdxFile.labelsOf(images), null);
        assertThat(idx.read(10)).isEmpty();
        TestFiles.writeIdx(dir.resolve("whole"), IdxFile.labelsOf(images), 4, 2, 2);
        byte[] all = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(all, 16 + 4 * 2 + 3)); // two images and a bit of the third
        assertThat(idx.read(10)).extracting(SourceItem::position).containsExactly(0L, 1L);
        Files.write(images, all);
        assertThat(idx.read(10)).extracting(SourceItem::position).containsExactly(2L, 3L);
        assertThat(idx.finished()).isTrue();
    }

    @Test
    void rejectsAPairWhoseCountsDifferOnce() throws Exception {
        Path images = dir.resolve("v-images-idx3-ubyte");
        TestFiles.writeIdx(images, dir.resolve("unused"), 3, 2, 2);
        try (DataOutputStream labels = new DataOutputStream(Files.newOutputStream(IdxFile.labelsOf(images)))) {
            labels.writeInt(0x00000801);
            labels.writeInt(2);
            labels.write(new byte[] {1, 2});
        }
        IdxFile idx = new IdxFile(images, IdxFile.labelsOf(images), null);
        List<SourceItem> items = idx.read(10);
        assertThat(items).singleElement().isInstanceOfSatisfying(SourceItem.Rejected.class, r -> assertThat(r.reason())
                .isEqualTo("not an IDX image/label pair: 3 images but 2 labels in v-labels-idx1-ubyte"));
        assertThat(idx.finished()).isTrue();
        assertThat(new IdxFile(images, IdxFile.labelsOf(images), items.get(0).offset()).finished()).isTrue();
    }

    @Test
    void readsFashionMnistAsDebianShipsIt() throws Exception {
        Path images = FASHION_MNIST.resolve("t10k-images-idx3-ubyte.gz");
        assumeTrue(Files.exists(images), "Debian package dataset-fashion-mnist not installed");
        List<SourceItem> items = new IdxFile(images, IdxFile.labelsOf(images), null).read(100);
        assertThat(items).hasSize(100).allSatisfy(i -> assertThat(((SourceItem.Sample) i).features()).hasSize(784));
        try (DataInputStream labels = new DataInputStream(new GZIPInputStream(
                Files.newInputStream(IdxFile.labelsOf(images))))) {
            labels.skipNBytes(8);
            for (SourceItem item : items) {
                assertThat(((SourceItem.Sample) item).label()).isEqualTo(labels.readUnsignedByte());
            }
        }
    }
}
