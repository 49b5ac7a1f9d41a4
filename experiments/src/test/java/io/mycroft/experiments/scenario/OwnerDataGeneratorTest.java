package io.mycroft.experiments.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycroft.experiments.data.CsvFiles;
import io.mycroft.experiments.data.DatasetId;
import io.mycroft.experiments.data.DatasetLoader;
import io.mycroft.experiments.data.SourceData;
import io.mycroft.inference.model.Dataset;
import io.mycroft.schemas.idx.IdxFiles;
import io.mycroft.experiments.data.PngFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerDataGeneratorTest {
    static final Path DATA = Path.of("..", "data");
    static SourceData fashion;
    static SourceData letter;

    static final String LETTER = """
            name: letter-test
            dataset: letter
            modelTrainer: {weakClasses: [H, K], trainPerClass: 50, weakTrainPerClass: 5, validationPerClass: 30,
                                          testPerClass: 40}
            owners:
                - {id: a, size: 300, classMix: {H: 0.3, K: 0.2, "*": 0.5}}
                - {id: b, size: 200, labelNoise: 0.3, corruption: {kind: GAUSSIAN_NOISE, fraction: 0.5, severity: 0.5},
                      domainShift: 0.5}
                - {id: c, size: 100, classMix: {H: 1}, overlap: {owner: a, fraction: 0.4}}
            budgets: [{kPerHard: 1}]
            """;

    @BeforeAll
    static void load() throws IOException {
        fashion = DatasetLoader.load(DATA, DatasetId.FASHION_MNIST);
        letter = DatasetLoader.load(DATA, DatasetId.LETTER);
    }

    @Test
    void shippedDataLoads() throws IOException {
        assertThat(fashion.pool().size()).isEqualTo(6000);
        assertThat(fashion.test().orElseThrow().size()).isEqualTo(2000);
        assertThat(fashion.pool().features()[0]).hasSize(784);
        assertThat(letter.pool().size()).isEqualTo(20_000);
        assertThat(letter.featureNames()).hasSize(16);
        Dataset shuttle = DatasetLoader.load(DATA, DatasetId.SHUTTLE).pool();
        assertThat(shuttle.size()).isEqualTo(6244);
        assertThat(Arrays.stream(shuttle.labels()).filter(l -> l == 5).count()).isEqualTo(10); // BpvClose
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherData(@TempDir Path tmp) throws IOException {
        Scenario quick = ScenarioParser.parse(Path.of("scenarios", "quick.yaml"));
        OwnerDataGenerator.generate(quick, fashion, 1, tmp.resolve("one"));
        OwnerDataGenerator.generate(quick, fashion, 1, tmp.resolve("two"));
        OwnerDataGenerator.generate(quick, fashion, 2, tmp.resolve("three"));
        Map<String, byte[]> one = files(tmp.resolve("one"));
        Map<String, byte[]> two = files(tmp.resolve("two"));
        assertThat(one.keySet()).contains("manifest.json", "owners/owner-a/data-images-idx3-ubyte.gz",
                "owners/owner-a/data-labels-idx1-ubyte.gz", "model-trainer/validation-images-idx3-ubyte.gz",
                "truth/owner-c.csv");
        assertThat(two.keySet()).isEqualTo(one.keySet());
        one.forEach((name, bytes) -> assertThat(two.get(name)).as(name).isEqualTo(bytes));
        assertThat(files(tmp.resolve("three")).get("owners/owner-a/data-images-idx3-ubyte.gz"))
                .isNotEqualTo(one.get("owners/owner-a/data-images-idx3-ubyte.gz"));
    }

    @Test
    void imageOwnersHoldTheirClassMixAndTheMtItsQuota(@TempDir Path tmp) throws IOException {
        Scenario quick = ScenarioParser.parse(Path.of("scenarios", "quick.yaml"));
        GeneratedData g = OwnerDataGenerator.generate(quick, fashion, 1, tmp);
        // Pullover 0.35·120 = 42, Shirt 42, the 8 others share 0.3·120 = 36 → 4.5 each: largest remainder, low ids first
        Map<String, Integer> a = g.owners().get(0).trueClassCounts();
        assertThat(a.get("Pullover")).isEqualTo(42);
        assertThat(a.get("Shirt")).isEqualTo(42);
        assertThat(a.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(120);
        assertThat(a.get("T-shirt/top")).isEqualTo(5);
        assertThat(a.get("Ankle boot")).isEqualTo(4);
        assertThat(g.owners().get(2).trueClassCounts()).containsEntry("Trouser", 40).containsEntry("Sandal", 40)
                .containsEntry("Bag", 40).containsEntry("Shirt", 0);
        assertThat(g.modelTrainer().train()).containsEntry("Shirt", 5).containsEntry("Bag", 50);
        assertThat(g.modelTrainer().validation()).containsEntry("Shirt", 40);
        assertThat(g.modelTrainer().test()).containsEntry("Shirt", 50);

        Path ownerDir = tmp.resolve("owners/owner-a");
        int[] labels = IdxFiles.readLabels(ownerDir.resolve("data-labels-idx1-ubyte.gz"));
        float[][] images = IdxFiles.readImages(ownerDir.resolve("data-images-idx3-ubyte.gz"));
        assertThat(labels).hasSize(120);
        assertThat(images.length).isEqualTo(120);
        assertThat(Arrays.stream(labels).filter(l -> l == 6).count()).isEqualTo(42);
    }

    @Test
    void tabularNoiseCorruptionShiftAndDuplicatesAreExact(@TempDir Path tmp) throws IOException {
        Scenario s = ScenarioParser.parse(LETTER, "letter-test");
        GeneratedData g = OwnerDataGenerator.generate(s, letter, 5, tmp);
        GeneratedData.OwnerFiles b = g.owners().get(1);
        assertThat(b.labelsFlipped()).isEqualTo(60);   // exactly round(0.3 · 200)
        assertThat(b.corrupted()).isEqualTo(100);      // exactly round(0.5 · 200)
        GeneratedData.OwnerFiles c = g.owners().get(2);
        assertThat(c.overlap()).isEqualTo(40);
        assertThat(c.overlapWith()).isEqualTo("a");
        assertThat(c.trueClassCounts().get("H")).isGreaterThanOrEqualTo(60);

        List<String[]> truthB = truth(tmp, "b");
        assertThat(truthB).hasSize(200);
        assertThat(truthB.stream().filter(r -> r[4].equals("true"))).hasSize(60)
                .allSatisfy(r -> assertThat(r[3]).isNotEqualTo(r[2]));
        assertThat(truthB.stream().filter(r -> r[4].equals("false"))).allSatisfy(r -> assertThat(r[3]).isEqualTo(r[2]));

        SourceData bFile = CsvFiles.read(tmp.resolve("owners/b/data.csv"), DatasetId.LETTER);
        assertThat(bFile.featureNames()).isEqualTo(letter.featureNames());
        Dataset bData = bFile.pool();
        assertThat(bData.size()).isEqualTo(200);
        for (int i = 0; i < 200; i++) { // domain shift moved every row; labels on disk are the given (noisy) ones
            float[] original = letter.pool().features()[Integer.parseInt(truthB.get(i)[1])];
            assertThat(bData.features()[i]).isNotEqualTo(original);
            assertThat(DatasetId.LETTER.classNames().get(bData.labels()[i])).isEqualTo(truthB.get(i)[3]);
        }

        // duplicates are byte-for-byte rows of owner a; fresh samples of all owners and the MT are disjoint
        Dataset aData = CsvFiles.read(tmp.resolve("owners/a/data.csv"), DatasetId.LETTER).pool();
        Dataset cData = CsvFiles.read(tmp.resolve("owners/c/data.csv"), DatasetId.LETTER).pool();
        Set<String> aRows = new HashSet<>();
        for (int i = 0; i < aData.size(); i++) {
            aRows.add(Arrays.toString(aData.features()[i]) + aData.labels()[i]);
        }
        List<String[]> truthC = truth(tmp, "c");
        for (int i = 0; i < cData.size(); i++) {
            if (truthC.get(i).length > 6) {
                assertThat(truthC.get(i)[6]).isEqualTo("overlap");
                assertThat(truthC.get(i)[7]).isEqualTo("a");
                assertThat(aRows).contains(Arrays.toString(cData.features()[i]) + cData.labels()[i]);
            }
        }
        Set<String> sources = new HashSet<>();
        for (String owner : List.of("a", "b", "c")) {
            truth(tmp, owner).stream().filter(r -> r.length == 6).forEach(r -> assertThat(sources.add(r[1])).isTrue());
        }
        assertThat(sources).hasSize(300 + 200 + 60);
    }

    /** Pair noise: exactly round(labelNoise · m) of the m samples of the named classes flip, each to its named class. */
    @Test
    void labelFlipsGoOnlyFromTheNamedClassesToTheirPartner(@TempDir Path tmp) throws IOException {
        Scenario s = ScenarioParser.parse(LETTER.replace("labelNoise: 0.3,", "labelNoise: 0.3, labelFlips: {H: K, K: H},")
                .replace("- {id: b, size: 200,", "- {id: b, size: 200, classMix: {H: 0.25, K: 0.25, \"*\": 0.5},"), "pairs");
        GeneratedData g = OwnerDataGenerator.generate(s, letter, 5, tmp);
        assertThat(g.owners().get(1).labelsFlipped()).isEqualTo(30); // round(0.3 · (50 H + 50 K))
        List<String[]> truthB = truth(tmp, "b");
        assertThat(truthB.stream().filter(r -> r[4].equals("true"))).hasSize(30)
                .allSatisfy(r -> assertThat(r[3]).isEqualTo(r[2].equals("H") ? "K" : "H"));
        assertThat(truthB.stream().filter(r -> r[4].equals("true")).map(r -> r[2]).distinct()).containsExactlyInAnyOrder("H", "K");
        assertThat(truthB.stream().filter(r -> r[4].equals("false"))).allSatisfy(r -> assertThat(r[3]).isEqualTo(r[2]));
    }

    @Test
    void tooLittleDataNamesOwnerAndClass(@TempDir Path tmp) {
        Scenario s = ScenarioParser.parse(LETTER.replace("classMix: {H: 1}", "classMix: {K: 1}").replace("size: 100",
                "size: 2000").replace("fraction: 0.4", "fraction: 0.1"), "too-much");
        assertThatThrownBy(() -> OwnerDataGenerator.generate(s, letter, 5, tmp))
                .isInstanceOf(OwnerDataException.class)
                .hasMessageStartingWith("owners[2] (c): needs 1800 samples of class K, only ")
                .hasMessageContaining("left after the model trainer's data and earlier owners");
    }

    @Test
    void shuttleCapsItsTinyClasses(@TempDir Path tmp) throws IOException {
        Scenario s = ScenarioParser.parse(Path.of("scenarios", "shuttle.yaml"));
        GeneratedData g = OwnerDataGenerator.generate(s, DatasetLoader.load(DATA, DatasetId.SHUTTLE), 1, tmp);
        assertThat(g.modelTrainer().cappedClasses()).containsExactly("BpvClose", "BpvOpen");
        assertThat(g.modelTrainer().train().get("BpvClose") + g.modelTrainer().validation().get("BpvClose")
                + g.modelTrainer().test().get("BpvClose")).isEqualTo(10);
        assertThat(g.modelTrainer().train()).containsEntry("FpvOpen", 5).containsEntry("RadFlow", 300);
        assertThat(g.owners().get(3).labelsFlipped()).isEqualTo(120);
        GeneratedData read = new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(tmp.resolve(OwnerDataGenerator.MANIFEST).toFile(), GeneratedData.class);
        assertThat(read).isEqualTo(g);
        assertThat(Files.readString(tmp.resolve(OwnerDataGenerator.MANIFEST)))
                .contains("\"capped_classes\" : [ \"BpvClose\", \"BpvOpen\" ]", "\"labels_flipped\" : 120");
    }

    @Test
    void pngFoldersHoldTheSameImagesAsIdx(@TempDir Path tmp) throws IOException {
        Scenario quick = ScenarioParser.parse(Path.of("scenarios", "quick.yaml"));
        OwnerDataGenerator.generate(quick, fashion, 4, tmp.resolve("idx"));
        GeneratedData g = OwnerDataGenerator.generate(quick, fashion, 4, tmp.resolve("png"),
                OwnerDataGenerator.ImageLayout.PNG_FOLDERS);
        assertThat(g.owners().get(2).files()).containsExactly("Bag", "Sandal", "Trouser");
        assertThat(g.owners().get(0).files()).contains("T-shirt_top", "Ankle_boot");
        Path idx = tmp.resolve("idx/owners/owner-a");
        float[][] images = IdxFiles.readImages(idx.resolve("data-images-idx3-ubyte.gz"));
        int[] labels = IdxFiles.readLabels(idx.resolve("data-labels-idx1-ubyte.gz"));
        for (int i : new int[] {0, 17, 119}) {
            String folder = PngFolders.labelFolder(DatasetId.FASHION_MNIST.classNames().get(labels[i]));
            Path png = tmp.resolve("png/owners/owner-a").resolve(folder).resolve(String.format("%05d.png", i));
            assertThat(PngFolders.read(png)).containsExactly(images[i]);
        }
        try (Stream<Path> s = Files.walk(tmp.resolve("png/owners/owner-a"))) {
            assertThat(s.filter(p -> p.toString().endsWith(".png")).count()).isEqualTo(120);
        }
        // PNG bytes are as reproducible as IDX bytes
        OwnerDataGenerator.generate(quick, fashion, 4, tmp.resolve("png2"), OwnerDataGenerator.ImageLayout.PNG_FOLDERS);
        Map<String, byte[]> a = files(tmp.resolve("png"));
        Map<String, byte[]> b = files(tmp.resolve("png2"));
        assertThat(b.keySet()).isEqualTo(a.keySet());
        a.forEach((name, bytes) -> assertThat(b.get(name)).as(name).isEqualTo(bytes));
    }

    @Test
    void everyShippedScenarioFitsItsDataSet(@TempDir Path tmp) throws IOException {
        for (String name : List.of("fashion-mnist-six-owners", "letter", "shuttle", "quick", "fashion-mnist-marketplace",
                "letter-marketplace")) {
            Scenario s = ScenarioParser.parse(Path.of("scenarios", name + ".yaml"));
            GeneratedData g = OwnerDataGenerator.generate(s, DatasetLoader.load(DATA, s.dataset()), 1, tmp.resolve(name));
            assertThat(g.owners()).hasSize(s.owners().size());
            for (int i = 0; i < s.owners().size(); i++) {
                assertThat(g.owners().get(i).size()).as(name + " " + s.owners().get(i).id()).isEqualTo(s.owners().get(i).size());
                assertCopiesAsDeclared(s.owners().get(i), g.owners().get(i));
            }
        }
    }

    @Test
    void shippedMarketplacesHaveTwelveGeneratedOwnersWithEveryKindOfFlaw() {
        for (String name : List.of("fashion-mnist-marketplace", "letter-marketplace")) {
            Scenario s = ScenarioParser.parse(Path.of("scenarios", name + ".yaml"));
            assertThat(s.owners()).as(name).hasSizeGreaterThanOrEqualTo(12);
            assertThat(s.seeds()).as(name).hasSizeGreaterThanOrEqualTo(5);
            assertThat(s.description()).as(name).isNotBlank();
            assertThat(s.owners()).as(name + ": label noise").anyMatch(o -> o.labelNoise() > 0);
            assertThat(s.owners()).as(name + ": feature noise").anyMatch(o -> o.corruption().kind() != Scenario.Corruption.Kind.NONE);
            assertThat(s.owners()).as(name + ": exact copies").anyMatch(o -> o.duplicates().exact() > 0);
            assertThat(s.owners()).as(name + ": rescaled copies").anyMatch(o -> o.duplicates().rescaled() > 0);
            assertThat(s.owners()).as(name + ": overlap").anyMatch(o -> o.overlap().isPresent());
            assertThat(s.owners()).as(name + ": clean").anyMatch(o -> o.labelNoise() == 0
                    && o.corruption().kind() == Scenario.Corruption.Kind.NONE && o.duplicates().equals(Scenario.Duplicates.NONE)
                    && o.overlap().isEmpty());
        }
    }

    static final String COPIES = """
            name: copies
            dataset: fashion-mnist
            modelTrainer: {weakClasses: [Shirt], trainPerClass: 20, weakTrainPerClass: 5, validationPerClass: 10,
                           testPerClass: 10}
            owners:
                - {id: a, size: 100, labelNoise: 0.1, duplicates: {exact: 0.2, rescaled: 0.15}}
                - {id: b, size: 50, domainShift: 0.2, duplicates: {rescaled: 0.1}, overlap: {owner: a, fraction: 0.3}}
            budgets: [{kPerHard: 1}]
            """;

    @Test
    void copiesWithinAndAcrossOwnersAreExactCountsOfTheRightSamples(@TempDir Path tmp) throws IOException {
        GeneratedData g = OwnerDataGenerator.generate(ScenarioParser.parse(COPIES, "copies"), fashion, 3, tmp);
        GeneratedData.OwnerFiles a = g.owners().get(0);
        GeneratedData.OwnerFiles b = g.owners().get(1);
        assertThat(List.of(a.exactCopies(), a.rescaledCopies(), a.overlap(), a.labelsFlipped())).containsExactly(20, 15, 0, 7);
        assertThat(List.of(b.exactCopies(), b.rescaledCopies(), b.overlap())).containsExactly(0, 5, 15);
        assertThat(b.overlapWith()).isEqualTo("a");

        float[][] aImages = IdxFiles.readImages(tmp.resolve("owners/a/data-images-idx3-ubyte.gz"));
        int[] aLabels = IdxFiles.readLabels(tmp.resolve("owners/a/data-labels-idx1-ubyte.gz"));
        List<String[]> truthA = truth(tmp, "a");
        assertThat(truthA.stream().filter(r -> r.length == 6)).hasSize(65);
        assertThat(truthA.stream().filter(r -> r.length > 6 && r[6].equals("exact") && r[7].equals("a"))).hasSize(20);
        assertThat(truthA.stream().filter(r -> r.length > 6 && r[6].equals("rescaled") && r[7].equals("a"))).hasSize(15);
        Map<String, Integer> freshAt = new TreeMap<>();
        for (int i = 0; i < truthA.size(); i++) {
            if (truthA.get(i).length == 6) {
                freshAt.put(truthA.get(i)[1], i);
            }
        }
        Set<String> exactSources = new HashSet<>();
        Set<String> rescaledSources = new HashSet<>();
        for (int i = 0; i < truthA.size(); i++) {
            String[] r = truthA.get(i);
            if (r.length == 6) {
                continue;
            }
            int original = freshAt.get(r[1]); // every copy is of one of the owner's own fresh samples
            assertThat(aLabels[i]).isEqualTo(aLabels[original]);
            assertThat(r[4]).isEqualTo(truthA.get(original)[4]);
            if (r[6].equals("exact")) {
                assertThat(exactSources.add(r[1])).isTrue();
                assertThat(aImages[i]).containsExactly(aImages[original]);
            } else {
                assertThat(rescaledSources.add(r[1])).isTrue();
                assertThat(aImages[i]).isNotEqualTo(aImages[original]);
                for (int j = 0; j < aImages[i].length; j++) {
                    float x = aImages[original][j];
                    float y = aImages[i][j];
                    assertThat(y).isBetween(0f, 255f).isEqualTo((float) Math.rint(y));
                    if (x >= 50 && y < 255) { // factor in [0.8, 1.2], up to rounding
                        assertThat(y / x).isBetween(0.79f, 1.21f);
                    }
                }
            }
        }

        // the overlap: 15 distinct samples exactly as owner a holds them (its flips and copies included)
        float[][] bImages = IdxFiles.readImages(tmp.resolve("owners/b/data-images-idx3-ubyte.gz"));
        int[] bLabels = IdxFiles.readLabels(tmp.resolve("owners/b/data-labels-idx1-ubyte.gz"));
        Set<String> aRows = new HashSet<>();
        for (int i = 0; i < aImages.length; i++) {
            aRows.add(Arrays.toString(aImages[i]) + aLabels[i]);
        }
        List<String[]> truthB = truth(tmp, "b");
        assertThat(truthB.stream().filter(r -> r.length > 6 && r[6].equals("overlap") && r[7].equals("a"))).hasSize(15);
        assertThat(truthB.stream().filter(r -> r.length > 6 && r[6].equals("rescaled") && r[7].equals("b"))).hasSize(5);
        for (int i = 0; i < truthB.size(); i++) {
            if (truthB.get(i).length > 6 && truthB.get(i)[6].equals("overlap")) {
                assertThat(aRows).contains(Arrays.toString(bImages[i]) + bLabels[i]);
            }
        }
    }

    @Test
    void randomOwnersGenerateTheSameBytesForTheSameSeed(@TempDir Path tmp) throws IOException {
        Scenario s = ScenarioParser.parse(ScenarioParserTest.MARKET.replace("probability: 0.5", "probability: 1"), "market");
        GeneratedData g = OwnerDataGenerator.generate(s, fashion, 2, tmp.resolve("one"));
        OwnerDataGenerator.generate(s, fashion, 2, tmp.resolve("two"));
        Map<String, byte[]> one = files(tmp.resolve("one"));
        Map<String, byte[]> two = files(tmp.resolve("two"));
        assertThat(one).containsKeys("owners/r03/data-images-idx3-ubyte.gz", "truth/r01.csv");
        assertThat(two.keySet()).isEqualTo(one.keySet());
        one.forEach((name, bytes) -> assertThat(two.get(name)).as(name).isEqualTo(bytes));
        for (int i = 0; i < s.owners().size(); i++) {
            assertCopiesAsDeclared(s.owners().get(i), g.owners().get(i));
        }
        assertThat(g.owners().subList(1, 4)).allSatisfy(o -> assertThat(o.exactCopies()).isPositive());
    }

    /**
     * The strategic scenario and its honest twin compare like with like: every owner holds the same fresh samples in
     * both (the Sybil's three parts together are the honest `sybil`), the duplicator adds one exact and one rescaled copy
     * of each, and the copier adds an exact copy of every sample of `honest`.
     */
    @Test
    void strategicAndHonestScenariosHoldTheSameFreshSamples(@TempDir Path tmp) throws IOException {
        Scenario strategic = ScenarioParser.parse(Path.of("scenarios", "fashion-mnist-strategic.yaml"));
        Scenario honest = ScenarioParser.parse(Path.of("scenarios", "fashion-mnist-strategic-honest.yaml"));
        OwnerDataGenerator.generate(strategic, fashion, 1, tmp.resolve("strategic"));
        OwnerDataGenerator.generate(honest, fashion, 1, tmp.resolve("honest"));
        Path s = tmp.resolve("strategic");
        Path h = tmp.resolve("honest");
        for (String owner : List.of("honest", "duplicator", "copier")) {
            assertThat(freshSources(s, owner)).as(owner).hasSize(360).isEqualTo(freshSources(h, owner));
        }
        Set<String> sybilParts = new HashSet<>();
        for (String part : List.of("sybil-1", "sybil-2", "sybil-3")) {
            Set<String> fresh = freshSources(s, part);
            assertThat(fresh).as(part).hasSize(120);
            fresh.forEach(source -> assertThat(sybilParts.add(source)).as(part + " shares " + source).isTrue());
        }
        assertThat(sybilParts).isEqualTo(freshSources(h, "sybil"));

        List<String[]> duplicator = truth(s, "duplicator");
        for (String kind : List.of("exact", "rescaled")) {
            assertThat(duplicator.stream().filter(r -> r.length > 6 && r[6].equals(kind) && r[7].equals("duplicator"))
                    .map(r -> r[1]).collect(Collectors.toSet())).as(kind).isEqualTo(freshSources(h, "duplicator"));
        }
        List<String[]> copies = truth(s, "copier").stream().filter(r -> r.length > 6).toList();
        assertThat(copies).hasSize(360).allSatisfy(r -> assertThat(r[6] + " of " + r[7]).isEqualTo("overlap of honest"));
        assertThat(copies.stream().map(r -> r[1]).collect(Collectors.toSet()))
                .isEqualTo(freshSources(h, "honest"));
    }

    /** The source indices of an owner's fresh (not copied) samples. */
    private static Set<String> freshSources(Path dir, String owner) throws IOException {
        Set<String> sources = new HashSet<>();
        truth(dir, owner).stream().filter(r -> r.length == 6).forEach(r -> assertThat(sources.add(r[1])).isTrue());
        return sources;
    }

    /** The manifest's copy counts are round(fraction · size) of what the owner declares. */
    private static void assertCopiesAsDeclared(Scenario.Owner o, GeneratedData.OwnerFiles f) {
        assertThat((long) f.exactCopies()).as(o.id()).isEqualTo(Math.round(o.duplicates().exact() * o.size()));
        assertThat((long) f.rescaledCopies()).as(o.id()).isEqualTo(Math.round(o.duplicates().rescaled() * o.size()));
        assertThat((long) f.overlap()).as(o.id()).isEqualTo(o.overlap().map(x -> Math.round(x.fraction() * o.size())).orElse(0L));
        assertThat(f.overlapWith()).as(o.id()).isEqualTo(o.overlap().map(Scenario.Overlap::owner).orElse(""));
    }

    private static List<String[]> truth(Path dir, String owner) throws IOException {
        return Files.readAllLines(dir.resolve("truth").resolve(owner + ".csv")).stream().skip(1)
                .map(l -> l.split(",")).toList();
    }

    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
