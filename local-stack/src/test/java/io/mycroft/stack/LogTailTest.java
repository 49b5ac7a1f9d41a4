package io.mycroft.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
    @TempDir
    Path dir;

    @Test
    void lastLinesAcrossManyBlocksEqualsTheEndOfAllLines() throws Exception {
        List<String> all = IntStream.range(0, 5000).mapToObj(i -> "line " + i + " " + "x".repeat(i % 97)).toList();
        Path log = dir.resolve("big.log");
        Files.writeString(log, all.stream().collect(Collectors.joining("\n", "", "\n")));

        assertThat(LogTail.lastLines(log, 1)).containsExactly("line 4999 " + "x".repeat(4999 % 97));
        assertThat(LogTail.lastLines(log, 700)).isEqualTo(all.subList(4300, 5000));
        assertThat(LogTail.lastLines(log, 9999)).isEqualTo(all);
    }

    @Test
    void lastLinesOfAFileWithoutFinalNewlineOrOfNoFile() throws Exception {
        Path log = dir.resolve("short.log");
        Files.writeString(log, "a\nb\nc");

        assertThat(LogTail.lastLines(log, 2)).containsExactly("b", "c");
        assertThat(LogTail.lastLines(dir.resolve("missing.log"), 5)).isEmpty();
    }

    @Test
    void copyNewPrintsOnlyWhatWasAppended() throws Exception {
        Path log = dir.resolve("growing.log");
        Files.writeString(log, "old\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        long position = Files.size(log);
        Files.writeString(log, "old\nnew\n");
        position = LogTail.copyNew(log, position, out);

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("new\n");
        assertThat(position).isEqualTo(Files.size(log));
    }
}
