package io.mycroft.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateOwnerDataTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return GenerateOwnerData.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void writesTheQuickScenario(@TempDir Path tmp) {
        assertThat(run("scenarios/quick.yaml", "1", tmp.toString(), "../data")).isZero();
        assertThat(tmp.resolve("owners/owner-b/data-images-idx3-ubyte.gz")).exists();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("owners/owner-a: 120 samples");
        assertThat(run("--png-folders", "scenarios/quick.yaml", "1", tmp.resolve("png").toString(), "../data")).isZero();
        assertThat(tmp.resolve("png/owners/owner-c/Trouser")).isDirectory();
    }

    @Test
    void badInputsGetMeaningfulExitCodes(@TempDir Path tmp) throws Exception {
        assertThat(run("scenarios/quick.yaml")).isEqualTo(2);
        assertThat(run("scenarios/quick.yaml", "one", tmp.toString())).isEqualTo(2);
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(Path.of("scenarios/quick.yaml")).replaceFirst("size: 120", "size: 1.5")
                .replace("owners:", "randomOwners: {count: 2, size: [10, 20], seed: x}\nowners:"));
        err.reset();
        assertThat(run(bad.toString(), "1", tmp.resolve("o").toString(), "../data")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                bad + ": 2 problem(s) in the scenario:",
                "  randomOwners.seed: must be an integer, was 'x'",
                "  owners[0].size: must be an integer in [1, 1000000], was 1.5");
        Path big = tmp.resolve("big.yaml");
        Files.writeString(big, Files.readString(Path.of("scenarios/quick.yaml")).replace("size: 120", "size: 5000"));
        assertThat(run(big.toString(), "1", tmp.resolve("p").toString(), "../data")).isEqualTo(3);
        assertThat(run("scenarios/quick.yaml", "1", tmp.resolve("q").toString(), tmp.resolve("nowhere").toString()))
                .isEqualTo(4);
    }
}
