package io.mycroft.experiments.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.mycroft.experiments.data.DatasetId;
import io.mycroft.experiments.scenario.Scenario.Baseline;
import io.mycroft.experiments.scenario.Scenario.Corruption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import mycroft.schemas.SelectionMethod;
import org.junit.jupiter.api.Test;

class ScenarioParserTest {
    static final Path SCENARIOS = Path.of("scenarios");

    static final String GOOD = """
            name: tiny
            dataset: fashion-mnist
            seeds: [7, 8]
            modelTrainer: {weakClasses: [Shirt, Coat], trainPerClass: 50, weakTrainPerClass: 5, validationPerClass: 20,
                                          testPerClass: 30}
            owners:
                - {id: a, size: 100, classMix: {Shirt: 3, Coat: 1}}
                - {id: b, size: 50, labelNoise: 0.25, corruption: {kind: occlusion, severity: 0.5},
                      overlap: {owner: a, fraction: 0.5}, domainShift: 0.1}
            budgets: [{kPerHard: 1}, {kPerHard: 2, total: 16}]
            """;

    @Test
    void shippedScenariosParse() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(SCENARIOS)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("fashion-mnist-six-owners.yaml", "letter.yaml", "shuttle.yaml", "quick.yaml");
        for (Path file : files) {
            Scenario s = ScenarioParser.parse(file);
            assertThat(s.name() + ".yaml").isEqualTo(file.getFileName().toString());
            assertThat(s.owners()).isNotEmpty();
        }
        Scenario six = ScenarioParser.parse(SCENARIOS.resolve("fashion-mnist-six-owners.yaml"));
        assertThat(six.owners()).hasSize(6);
        assertThat(six.owners().get(4).corruption().kind()).isEqualTo(Corruption.Kind.GAUSSIAN_NOISE);
        assertThat(six.owners().get(5).labelNoise()).isEqualTo(0.5);
        assertThat(six.budgets()).extracting(Scenario.Budget::total).containsExactly(16, 32, 64, 128);
        assertThat(six.seeds()).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void readsEveryFieldAndFillsDefaults() {
        Scenario s = ScenarioParser.parse(GOOD, "good");
        assertThat(s.dataset()).isEqualTo(DatasetId.FASHION_MNIST);
        assertThat(s.seeds()).containsExactly(7L, 8L);
        assertThat(s.hardSet().sharedPerClass()).isEqualTo(4);
        assertThat(s.modelTrainer().weakClasses()).containsExactly("Shirt", "Coat");
        assertThat(s.modelTrainer().model()).isEqualTo(Scenario.ModelTrainerData.MLP);
        Scenario.Owner a = s.owners().get(0);
        assertThat(a.classMix()).containsOnlyKeys("Shirt", "Coat");
        assertThat(a.classMix().get("Shirt")).isCloseTo(0.75, within(1e-12));
        assertThat(a.corruption()).isEqualTo(Corruption.NONE);
        Scenario.Owner b = s.owners().get(1);
        assertThat(b.classMix()).hasSize(10);
        assertThat(b.corruption()).isEqualTo(new Corruption(Corruption.Kind.OCCLUSION, 1.0, 0.5));
        assertThat(b.overlap()).contains(new Scenario.Overlap("a", 0.5));
        assertThat(b.duplicates()).isEqualTo(Scenario.Duplicates.NONE);
        assertThat(s.modelTrainer().training()).isEqualTo(new Scenario.Training(3, 1e-3, 64));
        assertThat(s.budgets()).containsExactly(new Scenario.Budget(1, 8), new Scenario.Budget(2, 16));
        assertThat(s.methods()).containsExactly(SelectionMethod.FEATURE, SelectionMethod.GRADIENT, SelectionMethod.FUNCFEAT);
        assertThat(s.baselines()).containsExactlyElementsOf(Baseline.DEFAULT);
    }

    @Test
    void jsonIsAcceptedToo() {
        String json = """
                {"name": "j", "dataset": "shuttle", "seeds": [4],
                  "modelTrainer": {"weakClasses": ["FpvOpen"], "trainPerClass": 10, "weakTrainPerClass": 2,
                                                    "validationPerClass": 5, "testPerClass": 5},
                  "owners": [{"id": "x", "size": 10, "classMix": {"FpvOpen": 1, "High": 1}}],
                  "budgets": [{"kPerHard": 3, "total": 12}], "methods": ["FUNCFEAT"], "baselines": ["K_CENTER"]}
                """;
        Scenario s = ScenarioParser.parse(json, "j.json");
        assertThat(s.dataset()).isEqualTo(DatasetId.SHUTTLE);
        assertThat(s.budgets()).containsExactly(new Scenario.Budget(3, 12));
        assertThat(s.methods()).containsExactly(SelectionMethod.FUNCFEAT);
        assertThat(s.baselines()).containsExactly(Baseline.K_CENTER);
    }

    @Test
    void restWeightIsSharedByUnnamedClasses() {
        Scenario s = ScenarioParser.parse(GOOD.replace("{Shirt: 3, Coat: 1}", "{Shirt: 0.5, \"*\": 0.5}"), "rest");
        assertThat(s.owners().get(0).classMix()).hasSize(10);
        assertThat(s.owners().get(0).classMix().get("Bag")).isCloseTo(0.5 / 9, within(1e-12));
        assertThat(s.owners().get(0).classMix().values().stream().mapToDouble(d -> d).sum()).isCloseTo(1, within(1e-12));
    }

    private static void assertProblem(String yaml, String... expected) {
        assertThatThrownBy(() -> ScenarioParser.parse(yaml, "bad.yaml"))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith("bad.yaml: ")
                .satisfies(e -> assertThat(((ScenarioException) e).problems()).contains(expected));
    }

    @Test
    void theCleanGradientOracleNeedsAGradientRequest() {
        assertProblem(GOOD + "methods: [FEATURE]\nbaselines: [RANDOM, ORACLE_CLEAN_GRADIENT]\n",
                "baselines: ORACLE_CLEAN_GRADIENT is GRADIENT's selection among clean labels; add GRADIENT to methods");
        assertThat(ScenarioParser.parse(GOOD + "methods: [FEATURE, GRADIENT]\nbaselines: [ORACLE_CLEAN_GRADIENT]\n", "ok")
                .baselines()).containsExactly(Baseline.ORACLE_CLEAN_GRADIENT);
    }

    @Test
    void noiseOutOfRangeNamesTheOwner() {
        assertProblem(GOOD.replace("labelNoise: 0.25", "labelNoise: 1.5"), "owners[1].labelNoise: must be in [0, 1], was 1.5");
    }

    @Test
    void labelFlipsNameTwoDistinctClassesAndNeedLabelNoise() {
        assertThat(ScenarioParser.parse(GOOD, "good").owners().get(1).labelFlips()).isEmpty();
        String pairs = GOOD.replace("labelNoise: 0.25", "labelNoise: 0.25, labelFlips: {Shirt: Coat, Coat: Shirt}");
        assertThat(ScenarioParser.parse(pairs, "pairs").owners().get(1).labelFlips())
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("Shirt", "Coat", "Coat", "Shirt"));
        assertProblem(GOOD.replace("labelNoise: 0.25", "labelNoise: 0.25, labelFlips: {Shirt: Hat}"),
                "owners[1].labelFlips.Shirt: 'Hat' is not a class of fashion-mnist; classes are [T-shirt/top, Trouser,"
                        + " Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot]");
        assertProblem(GOOD.replace("labelNoise: 0.25", "labelNoise: 0.25, labelFlips: {Shirt: Shirt}"),
                "owners[1].labelFlips.Shirt: a label must flip to another class");
        assertProblem(GOOD.replace("labelNoise: 0.25", "labelFlips: {Shirt: Coat}"),
                "owners[1].labelFlips: needs at least one 'class: class' pair and a labelNoise above 0");
    }

    @Test
    void labelConsistencyIsOffUnlessGivenAndThenAPositiveNeighbourCount() {
        assertThat(ScenarioParser.parse(GOOD, "good").labelConsistencyNeighbours()).isNull();
        assertThat(ScenarioParser.parse(GOOD + "labelConsistencyNeighbours: 5\n", "lc").labelConsistencyNeighbours()).isEqualTo(5);
        assertProblem(GOOD + "labelConsistencyNeighbours: 0\n", "labelConsistencyNeighbours: must be in [1, 1000], was 0");
    }

    @Test
    void misspeltFieldIsAnErrorNotADefault() {
        assertProblem(GOOD.replace("labelNoise: 0.25", "noise: 0.25"),
                "owners[1].noise: unknown field; allowed here: [id, size, classMix, labelNoise, labelFlips, corruption, arrivalRate,"
                        + " startAfter, domainShift, duplicates, overlap]");
    }

    /** An owner may start streaming later than the others (a copier copying what another has published). */
    @Test
    void anOwnerStartsStreamingAfterItsDelay() {
        assertThat(ScenarioParser.parse(GOOD, "good").owners().get(1).startAfter()).isZero();
        String late = GOOD.replace("labelNoise: 0.25", "labelNoise: 0.25, startAfter: 15");
        assertThat(ScenarioParser.parse(late, "late").owners().get(1).startAfter()).isEqualTo(15.0);
        assertProblem(GOOD.replace("labelNoise: 0.25", "labelNoise: 0.25, startAfter: -1"),
                "owners[1].startAfter: must be in [0, 3600] seconds, was -1.0");
    }

    @Test
    void unknownClassAndDatasetAreNamed() {
        assertProblem(GOOD.replace("{Shirt: 3, Coat: 1}", "{Shirt: 3, Hat: 1}"),
                "owners[0].classMix.Hat: 'Hat' is not a class of fashion-mnist; classes are [T-shirt/top, Trouser, Pullover,"
                        + " Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot]");
        assertProblem(GOOD.replace("dataset: fashion-mnist", "dataset: cifar"),
                "dataset: must be one of [fashion-mnist, letter, shuttle], was 'cifar'");
    }

    @Test
    void theModelIsMlpOrCnnAndCnnNeedsImages() {
        assertThat(ScenarioParser.parse(GOOD.replace("weakClasses: [Shirt, Coat],", "weakClasses: [Shirt, Coat], model: cnn,"),
                "cnn").modelTrainer().model()).isEqualTo(Scenario.ModelTrainerData.CNN);
        assertProblem(GOOD.replace("weakClasses: [Shirt, Coat],", "weakClasses: [Shirt, Coat], model: rnn,"),
                "modelTrainer.model: must be mlp or cnn, was \"rnn\"");
        String shuttle = """
                name: t
                dataset: shuttle
                modelTrainer: {weakClasses: [FpvOpen], trainPerClass: 10, weakTrainPerClass: 2, validationPerClass: 5,
                                              testPerClass: 5, model: cnn}
                owners: [{id: x, size: 10}]
                budgets: [{kPerHard: 1, total: 4}]
                """;
        assertProblem(shuttle, "modelTrainer.model: cnn needs an image data set; shuttle is tabular (use mlp)");
    }

    @Test
    void budgetTotalMustMatchTheHardSet() {
        assertProblem(GOOD.replace("total: 16", "total: 20"),
                "budgets[1].total: must equal kPerHard × weak classes × hardSet.sharedPerClass = 16, was 20");
    }

    @Test
    void overlapMustNameAnEarlierOwner() {
        assertProblem(GOOD.replace("owner: a", "owner: z"), "owners[1].overlap.owner: must name an owner listed earlier, was 'z'");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        String bad = GOOD.replace("size: 100", "size: -3").replace("severity: 0.5", "severity: 2")
                .replace("kind: occlusion", "kind: blur").replace("seeds: [7, 8]", "seeds: [7, 7]")
                .replace("weakTrainPerClass: 5", "weakTrainPerClass: 500");
        assertThatThrownBy(() -> ScenarioParser.parse(bad, "bad.yaml"))
                .isInstanceOf(ScenarioException.class)
                .satisfies(e -> assertThat(((ScenarioException) e).problems()).containsExactlyInAnyOrder(
                        "seeds[1]: seed 7 is listed twice",
                        "modelTrainer.weakTrainPerClass: must be at most trainPerClass (50) — weak classes are the scarce ones,"
                                + " was 500",
                        "owners[0].size: must be in [1, 1000000], was -3",
                        "owners[1].corruption.kind: must be one of [NONE, GAUSSIAN_NOISE, OCCLUSION], was 'blur'",
                        "owners[1].corruption.severity: must be in (0, 1], was 2.0"));
    }

    @Test
    void missingRequiredFieldsAndBrokenYaml() {
        assertProblem("name: x\ndataset: letter\n", "modelTrainer: required",
                "owners: required, a non-empty list of owners (or a randomOwners block)",
                "budgets: required, a non-empty list like [{kPerHard: 1}, {kPerHard: 2, total: 32}]");
        assertThatThrownBy(() -> ScenarioParser.parse("name: [unclosed", "broken.yaml"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("broken.yaml: ").hasMessageContaining("not valid YAML");
    }

    @Test
    void occlusionIsForImagesOnly() {
        String letter = GOOD.replace("dataset: fashion-mnist", "dataset: letter").replace("[Shirt, Coat]", "[A, B]")
                .replace("{Shirt: 3, Coat: 1}", "{A: 1}");
        assertProblem(letter, "owners[1].corruption.kind: OCCLUSION applies to images only; letter is tabular, use"
                + " GAUSSIAN_NOISE");
    }

    @Test
    void valuesOfTheWrongTypeAreProblemsAtTheirPathNotFatal() {
        String bad = GOOD.replace("size: 100", "size: lots").replace("seeds: [7, 8]", "seeds: 7")
                .replace("labelNoise: 0.25", "labelNoise: [0.25]").replace("{id: a,", "{id: a, colour: red,")
                .replace("trainPerClass: 50", "trainPerClass: 50.5");
        assertThatThrownBy(() -> ScenarioParser.parse(bad, "bad.yaml"))
                .isInstanceOf(ScenarioException.class)
                .satisfies(e -> assertThat(((ScenarioException) e).problems()).containsExactlyInAnyOrder(
                        "seeds: must be a list, was 7",
                        "modelTrainer.trainPerClass: must be an integer in [1, 100000], was 50.5",
                        "owners[0].colour: unknown field; allowed here: [id, size, classMix, labelNoise, labelFlips,"
                                + " corruption, arrivalRate, startAfter, domainShift, duplicates, overlap]",
                        "owners[0].size: must be an integer, was 'lots'",
                        "owners[1].labelNoise: must be a number, was [0.25]"));
    }

    @Test
    void theModelTrainersTrainingIsReadAndChecked() {
        String trained = GOOD.replace("testPerClass: 30}",
                "testPerClass: 30, training: {epochs: 10, learningRate: 0.0005, batchSize: 32}}");
        assertThat(ScenarioParser.parse(trained, "t").modelTrainer().training()).isEqualTo(new Scenario.Training(10, 5e-4, 32));
        assertThat(ScenarioParser.parse(GOOD.replace("testPerClass: 30}", "testPerClass: 30, training: {epochs: 8}}"), "t")
                .modelTrainer().training()).isEqualTo(new Scenario.Training(8, 1e-3, 64));
        String bad = GOOD.replace("testPerClass: 30}",
                "testPerClass: 30, training: {epochs: 0, learningRate: 2, batchSize: 1.5, momentum: 0.9}}");
        assertThatThrownBy(() -> ScenarioParser.parse(bad, "bad.yaml"))
                .isInstanceOf(ScenarioException.class)
                .satisfies(e -> assertThat(((ScenarioException) e).problems()).containsExactlyInAnyOrder(
                        "modelTrainer.training.momentum: unknown field; allowed here: [epochs, learningRate, batchSize]",
                        "modelTrainer.training.epochs: must be in [1, 1000], was 0",
                        "modelTrainer.training.learningRate: must be in (0, 1], was 2.0",
                        "modelTrainer.training.batchSize: must be an integer in [1, 100000], was 1.5"));
    }

    @Test
    void duplicatesWithinAnOwnerAreFractionsThatLeaveFreshSamplesToCopy() {
        Scenario s = ScenarioParser.parse(GOOD.replace("{id: a, size: 100,",
                "{id: a, size: 100, duplicates: {exact: 0.2, rescaled: 0.1},"), "dup");
        assertThat(s.owners().get(0).duplicates()).isEqualTo(new Scenario.Duplicates(0.2, 0.1));
        String bad = GOOD.replace("{id: a, size: 100,", "{id: a, size: 100, duplicates: {exact: 1.2, rescaled: -1, near: 1},")
                .replace("fraction: 0.5}, domainShift", "fraction: 0.5}, duplicates: {exact: 0.3}, domainShift");
        assertThatThrownBy(() -> ScenarioParser.parse(bad, "bad.yaml"))
                .isInstanceOf(ScenarioException.class)
                .satisfies(e -> assertThat(((ScenarioException) e).problems()).containsExactlyInAnyOrder(
                        "owners[0].duplicates.near: unknown field; allowed here: [exact, rescaled]",
                        "owners[0].duplicates.exact: must be in [0, 1], was 1.2",
                        "owners[0].duplicates.rescaled: must be in [0, 1], was -1.0",
                        // b: 50 samples, 25 shared with a, 15 exact copies of its 10 fresh ones
                        "owners[1].duplicates: exact (15) and rescaled (0) copies must each be at most the owner's fresh"
                                + " samples (10)"));
        assertProblem(GOOD.replace("fraction: 0.5}, domainShift", "fraction: 0.7}, duplicates: {rescaled: 0.4}, domainShift"),
                "owners[1]: overlap (35) + exact (0) + rescaled (20) copies exceed the size 50");
        assertProblem(GOOD.replace("{id: b, size: 50,", "{id: b, size: 500,"),
                "owners[1].overlap.fraction: 250 shared samples but owner a holds only 100");
    }

    static final String MARKET = """
            name: market
            dataset: fashion-mnist
            modelTrainer: {weakClasses: [Shirt, Coat], trainPerClass: 50, weakTrainPerClass: 5, validationPerClass: 20,
                           testPerClass: 30}
            owners:
                - {id: anchor, size: 100}
            randomOwners:
                count: 3
                seed: 11
                size: [40, 80]
                weakFraction: [0.2, 0.6]
                arrivalRate: 30
                labelNoise: {probability: 0.5, range: [0.1, 0.4]}
                featureNoise: {probability: 0.5, range: [0.2, 0.6]}
                exactDuplicates: {probability: 0.5, range: [0.05, 0.2]}
                rescaledDuplicates: {probability: 0.5, range: [0.05, 0.2]}
                overlap: {probability: 0.5, range: [0.1, 0.3]}
            budgets: [{kPerHard: 1}]
            """;

    @Test
    void randomOwnersExpandIntoOrdinaryOwnersDeterministically() {
        Scenario s = ScenarioParser.parse(MARKET, "market");
        assertThat(s.owners()).extracting(Scenario.Owner::id).containsExactly("anchor", "r01", "r02", "r03");
        assertThat(ScenarioParser.parse(MARKET, "again")).isEqualTo(s);
        // the first three owners of a count of 5 are the same owners
        assertThat(ScenarioParser.parse(MARKET.replace("count: 3", "count: 5"), "five").owners().subList(0, 4))
                .isEqualTo(s.owners());
        for (int i = 1; i <= 3; i++) {
            Scenario.Owner o = s.owners().get(i);
            double weak = o.classMix().get("Shirt") + o.classMix().get("Coat");
            assertThat(o.size()).isBetween(40, 80);
            assertThat(weak).isBetween(0.2 - 1e-9, 0.6 + 1e-9);
            assertThat(o.classMix().get("Shirt")).isCloseTo(o.classMix().get("Coat"), within(1e-12));
            assertThat(o.classMix().get("Bag")).isCloseTo((1 - weak) / 8, within(1e-9));
            assertThat(o.arrivalRate()).isEqualTo(30);
            assertThat(o.domainShift()).isZero();
        }
        assertThat(ScenarioParser.parse(MARKET.replace("seed: 11", "seed: 12"), "other").owners()).isNotEqualTo(s.owners());
    }

    /** The hand-checked owners of {@link #MARKET}: the draws as the expansion's documentation describes them. */
    @Test
    void randomOwnersOfTheSmallMarketAreAsDrawnByHand() {
        Scenario s = ScenarioParser.parse(MARKET, "market");
        List<String> expected = new java.util.ArrayList<>();
        List<String> earlier = new java.util.ArrayList<>(List.of("anchor"));
        for (String id : List.of("r01", "r02", "r03")) {
            io.mycroft.experiments.data.SeededRandom rng = io.mycroft.experiments.data.SeededRandom.of(11, "random-owner:" + id);
            int size = 40 + rng.nextInt(41);
            double weak = Math.round((0.2 + 0.4 * rng.nextDouble()) * 100) / 100.0;
            double[][] ranges = {{0.1, 0.4}, {0.2, 0.6}, {0.05, 0.2}, {0.05, 0.2}, {0.1, 0.3}};
            Double[] v = new Double[5];
            for (int k = 0; k < 5; k++) {
                boolean has = rng.nextDouble() < 0.5;
                double value = Math.round((ranges[k][0] + (ranges[k][1] - ranges[k][0]) * rng.nextDouble()) * 100) / 100.0;
                v[k] = has ? value : null;
            }
            String overlap = v[4] == null ? "none" : earlier.get(rng.nextInt(earlier.size())) + " " + v[4];
            expected.add(id + " " + size + " " + weak + " " + (v[0] == null ? 0.0 : v[0]) + " "
                    + (v[1] == null ? "NONE" : "GAUSSIAN_NOISE 1.0 " + v[1]) + " "
                    + (v[2] == null ? 0.0 : v[2]) + " " + (v[3] == null ? 0.0 : v[3]) + " " + overlap);
            earlier.add(id);
        }
        assertThat(s.owners().subList(1, 4)).extracting(ScenarioParserTest::summary).containsExactlyElementsOf(expected);
    }

    private static String summary(Scenario.Owner o) {
        double weak = Math.round((o.classMix().get("Shirt") + o.classMix().get("Coat")) * 100) / 100.0;
        Corruption c = o.corruption();
        return o.id() + " " + o.size() + " " + weak + " " + o.labelNoise() + " "
                + (c.kind() == Corruption.Kind.NONE ? "NONE" : c.kind() + " " + c.fraction() + " " + c.severity()) + " "
                + o.duplicates().exact() + " " + o.duplicates().rescaled() + " "
                + o.overlap().map(x -> x.owner() + " " + x.fraction()).orElse("none");
    }

    @Test
    void randomOwnersAreCheckedAndSoAreTheOwnersTheyMake() {
        String bad = MARKET.replace("count: 3", "count: 0").replace("size: [40, 80]", "size: [80, 40]")
                .replace("weakFraction: [0.2, 0.6]", "weakFraction: [0.2, 1.6]")
                .replace("labelNoise: {probability: 0.5,", "labelNoise: {probability: 1.5,")
                .replace("featureNoise: {probability: 0.5, range: [0.2, 0.6]}", "featureNoise: {probability: 0.5, range: [0, 0.6]}")
                .replace("exactDuplicates: {probability: 0.5, range: [0.05, 0.2]}", "exactDuplicates: {range: [0.05]}")
                .replace("arrivalRate: 30", "arrivalRate: 30\n    colour: red");
        assertThatThrownBy(() -> ScenarioParser.parse(bad, "bad.yaml"))
                .isInstanceOf(ScenarioException.class)
                .satisfies(e -> assertThat(((ScenarioException) e).problems()).containsExactlyInAnyOrder(
                        "randomOwners.colour: unknown field; allowed here: [count, seed, size, weakFraction, arrivalRate,"
                                + " labelNoise, featureNoise, exactDuplicates, rescaledDuplicates, overlap]",
                        "randomOwners.count: must be in [1, 999], was 0",
                        "randomOwners.size: must be [min, max] of integers with 1 ≤ min ≤ max ≤ 1000000, was [80, 40]",
                        "randomOwners.weakFraction: must be [min, max] with 0 ≤ min ≤ max ≤ 1, was [0.2, 1.6]",
                        "randomOwners.labelNoise.probability: must be in [0, 1], was 1.5",
                        "randomOwners.featureNoise.range: severities must be in (0, 1], was [0.0, 0.6]",
                        "randomOwners.exactDuplicates.probability: required, in [0, 1]",
                        "randomOwners.exactDuplicates.range: required, [min, max] within [0, 1]"));
        // a generated owner that breaks an owner's rule is named by its id; a listed owner may not take a generated id
        assertProblem(MARKET.replace("size: [40, 80]", "size: [2000000, 2000000]"),
                "randomOwners.size: must be [min, max] of integers with 1 ≤ min ≤ max ≤ 1000000, was [2000000, 2000000]");
        assertProblem(MARKET.replace("id: anchor", "id: r02"), "randomOwners.r02.id: owner id 'r02' is used twice");
        String tooManyCopies = MARKET.replace("exactDuplicates: {probability: 0.5, range: [0.05, 0.2]}",
                "exactDuplicates: {probability: 1, range: [0.6, 0.6]}").replace("rescaledDuplicates: {probability: 0.5",
                "rescaledDuplicates: {probability: 0").replace("overlap: {probability: 0.5", "overlap: {probability: 0");
        assertThatThrownBy(() -> ScenarioParser.parse(tooManyCopies, "bad.yaml"))
                .isInstanceOf(ScenarioException.class)
                .satisfies(e -> assertThat(((ScenarioException) e).problems()).hasSize(3).allSatisfy(p -> assertThat(p)
                        .matches("randomOwners\\.r0[123]\\.duplicates: exact \\(\\d+\\) and rescaled \\(\\d+\\) copies must each be at"
                                + " most the owner's fresh samples \\(\\d+\\)")));
    }

    @Test
    void randomOwnersAloneMakeAMarketplace() {
        Scenario s = ScenarioParser.parse(MARKET.replace("owners:\n    - {id: anchor, size: 100}\n", ""), "alone");
        assertThat(s.owners()).extracting(Scenario.Owner::id).containsExactly("r01", "r02", "r03");
        assertThat(s.owners().get(0).overlap()).isEmpty(); // nobody earlier to share with
    }
}
