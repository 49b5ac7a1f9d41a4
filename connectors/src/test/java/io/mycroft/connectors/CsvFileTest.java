package io.mycroft.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFileTest {
    @TempDir
    Path dir;

    @Test
    void readsRowsWithFeaturesInHeaderOrderAndOffsetsAfterEachRow() throws Exception {
        Path file = write("a,label,b\n1.5,3,-2\n0,4,1e3\n");
        List<SourceItem> items = new CsvFile(file, "label", null).read(10);
        assertThat(items).hasSize(2);
        SourceItem.Sample first = (SourceItem.Sample) items.get(0);
        assertThat(first.position()).isEqualTo(2);
        assertThat(first.label()).isEqualTo(3);
        assertThat(first.features()).containsExactly(1.5f, -2f);
        assertThat(first.offset()).isEqualTo(Map.of(CsvFile.BYTE, 19L, CsvFile.LINE, 3L));
        assertThat(((SourceItem.Sample) items.get(1)).features()).containsExactly(0f, 1000f);
    }

    @Test
    void resumesExactlyAfterTheCommittedOffset() throws Exception {
        Path file = write("x,label\n1,0\n2,1\n3,2\n4,3\n");
        List<SourceItem> firstTwo = new CsvFile(file, "label", null).read(2);
        List<SourceItem> rest = new CsvFile(file, "label", firstTwo.get(1).offset()).read(10);
        assertThat(rest).extracting(SourceItem::position).containsExactly(4L, 5L);
        assertThat(rest).extracting(i -> ((SourceItem.Sample) i).label()).containsExactly(2, 3);
    }

    @Test
    void waitsForAnIncompleteLastLineAndPicksUpAppendedRows() throws Exception {
        Path file = write("x,label\n1,0\n2,");
        CsvFile csv = new CsvFile(file, "label", null);
        assertThat(csv.read(10)).extracting(SourceItem::position).containsExactly(2L);
        assertThat(csv.read(10)).isEmpty();
        append(file, "1\r\n\n3,2\n");
        assertThat(csv.read(10)).extracting(SourceItem::position).containsExactly(3L, 5L);
        assertThat(csv.read(10)).isEmpty();
    }

    @Test
    void waitsForAnIncompleteHeader() throws Exception {
        Path file = write("x,lab");
        CsvFile csv = new CsvFile(file, "label", null);
        assertThat(csv.read(10)).isEmpty();
        append(file, "el\n7,1\n");
        assertThat(csv.read(10)).extracting(SourceItem::position).containsExactly(2L);
    }

    @Test
    void rejectsBadRowsWithReasonsAndOriginalBytesAndKeepsReading() throws Exception {
        Path file = write("a,label,b\n1,2\n1,2,3,4\n1,two,3\n1,2,NaN\n1,2,zz\n5,6,7\n");
        List<SourceItem> items = new CsvFile(file, "label", null).read(10);
        assertThat(items).hasSize(6);
        assertThat(items.subList(0, 5)).allMatch(i -> i instanceof SourceItem.Rejected);
        assertThat(items.subList(0, 5)).extracting(i -> ((SourceItem.Rejected) i).reason()).containsExactly(
                "the row has 2 fields, the header 3",
                "the row has 4 fields, the header 3",
                "label 'two' in column 'label' is not an integer",
                "value 'NaN' in column 'b' is not a finite number",
                "value 'zz' in column 'b' is not a finite number");
        assertThat(((SourceItem.Rejected) items.get(1)).original()).isEqualTo("1,2,3,4".getBytes(StandardCharsets.UTF_8));
        assertThat(((SourceItem.Sample) items.get(5)).features()).containsExactly(5f, 7f);
    }

    @Test
    void rejectsEveryRowWhenTheHeaderLacksTheLabelColumn() throws Exception {
        Path file = write("a,b\n1,2\n");
        SourceItem.Rejected row = (SourceItem.Rejected) new CsvFile(file, "label", null).read(10).get(0);
        assertThat(row.reason()).isEqualTo("the header has no label column 'label' (columns: a,b); set csv.label.column");
    }

    @Test
    void readsLinesLongerThanOneChunk() throws Exception {
        int columns = 300_000;
        StringBuilder header = new StringBuilder("label");
        StringBuilder row = new StringBuilder("1");
        for (int c = 0; c < columns; c++) {
            header.append(",c").append(c);
            row.append(",0.25");
        }
        Path file = write(header + "\n" + row + "\n");
        SourceItem.Sample sample = (SourceItem.Sample) new CsvFile(file, "label", null).read(10).get(0);
        assertThat(sample.features()).hasSize(columns).containsOnly(0.25f);
    }

    private Path write(String text) throws Exception {
        return Files.writeString(dir.resolve("data.csv"), text);
    }

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardOpenOption.APPEND);
    }
}
