package io.mycroft.processors.math;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The math package stays pure Java (DESIGN §3): no Kafka, Avro or record types; the processors beside it adapt. */
class PureMathTest {
    private static final Path SOURCES = Path.of("src/main/java/io/mycroft/processors/math");

    @Test
    void theMathImportsNoKafkaAvroOrSchemaTypes() throws IOException {
        List<String> imports;
        try (Stream<Path> files = Files.list(SOURCES)) {
            imports = files.flatMap(file -> {
                try {
                    return Files.readAllLines(file).stream().filter(line -> line.startsWith("import "))
                            .map(line -> file.getFileName() + ": " + line);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(imports).isNotEmpty().noneMatch(line -> line.contains("org.apache.kafka") || line.contains("org.apache.avro")
                || line.contains("mycroft.schemas")
                || (line.contains("io.mycroft.processors.") && !line.contains("io.mycroft.processors.math.")));
    }
}
