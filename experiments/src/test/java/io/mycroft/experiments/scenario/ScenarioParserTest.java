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
                      duplicateOf: {owner: a, fraction: 0.5}, domainShift: 0.1}
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
        assertThat(b.duplicateOf()).contains(new Scenario.Duplicate("a", 0.5));
        assertThat(s.budgets()).containsExactly(new Scenario.Budget(1, 8), new Scenario.Budget(2, 16));
        assertThat(s.methods()).containsExactly(SelectionMethod.values());
        assertThat(s.baselines()).containsExactly(Baseline.values());
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
    void noiseOutOfRangeNamesTheOwner() {
        assertProblem(GOOD.replace("labelNoise: 0.25", "labelNoise: 1.5"), "owners[1].labelNoise: must be in [0, 1], was 1.5");
    }

    @Test
    void misspeltFieldIsAnErrorNotADefault() {
        assertProblem(GOOD.replace("labelNoise: 0.25", "noise: 0.25"),
                "owners[1].noise: unknown field; allowed here: [id, size, classMix, labelNoise, corruption, arrivalRate,"
                        + " domainShift, duplicateOf]");
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
    void duplicateMustNameAnEarlierOwner() {
        assertProblem(GOOD.replace("owner: a", "owner: z"), "owners[1].duplicateOf.owner: must name an owner listed earlier, was 'z'");
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
                "owners: required, a non-empty list of owners",
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
                        "owners[0].colour: unknown field; allowed here: [id, size, classMix, labelNoise, corruption,"
                                + " arrivalRate, domainShift, duplicateOf]",
                        "owners[0].size: must be an integer, was 'lots'",
                        "owners[1].labelNoise: must be a number, was [0.25]"));
    }
}
