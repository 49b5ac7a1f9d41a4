package io.mycroft.experiments.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mycroft.experiments.data.DatasetId;
import io.mycroft.experiments.scenario.Scenario.Baseline;
import io.mycroft.experiments.scenario.Scenario.Budget;
import io.mycroft.experiments.scenario.Scenario.Corruption;
import io.mycroft.experiments.scenario.Scenario.Duplicate;
import io.mycroft.experiments.scenario.Scenario.HardSet;
import io.mycroft.experiments.scenario.Scenario.ModelTrainerData;
import io.mycroft.experiments.scenario.Scenario.Owner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import mycroft.schemas.SelectionMethod;

/**
  * Reads a scenario file (YAML; JSON is valid YAML) into a {@link Scenario}. Every problem is collected and reported
  * at once, each as {@code <field path>: <what is wrong>}, e.g. {@code owners[2].labelNoise: must be in [0, 1], was
  * 1.5}. Unknown keys are errors, so a misspelt field never silently falls back to its default.
  */
public final class ScenarioParser {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<Long> DEFAULT_SEEDS = List.of(1L, 2L, 3L);
    private static final double DEFAULT_ARRIVAL_RATE = 20.0;
    /** In a class mix, the weight shared evenly by every class the mix does not name. */
    public static final String REST = "*";

    private final List<String> problems = new ArrayList<>();

    private ScenarioParser() {}

    public static Scenario parse(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ScenarioException(file.toString(), List.of("cannot read the file: " + e.getMessage()));
        }
        return parse(text, file.toString());
    }

    /** @param source names the scenario in error messages (a file path) */
    public static Scenario parse(String text, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ScenarioException(source, List.of("not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")")));
        }
        ScenarioParser parser = new ScenarioParser();
        Scenario scenario = parser.scenario(root);
        if (!parser.problems.isEmpty()) {
            throw new ScenarioException(source, parser.problems);
        }
        return scenario;
    }

    private Scenario scenario(JsonNode root) {
        if (root == null || !root.isObject()) {
            problems.add("(top level): must be a mapping with name, dataset, modelTrainer, owners, budgets, ...");
            return null;
        }
        allowedKeys(root, "", "name", "description", "dataset", "seeds", "modelTrainer", "hardSet", "owners", "budgets",
                "methods", "baselines");
        String name = identifier(root, "", "name");
        String description = optionalText(root, "", "description", "");
        DatasetId dataset = dataset(root);
        List<Long> seeds = seeds(root);
        ModelTrainerData mt = modelTrainer(root.get("modelTrainer"), dataset);
        HardSet hardSet = hardSet(root.get("hardSet"));
        List<Owner> owners = owners(root.get("owners"), dataset);
        int hardTotal = mt == null || hardSet == null ? -1 : mt.weakClasses().size() * hardSet.sharedPerClass();
        List<Budget> budgets = budgets(root.get("budgets"), hardTotal);
        List<SelectionMethod> methods = enumList(root, "methods", SelectionMethod.class, List.of(SelectionMethod.values()));
        List<Baseline> baselines = enumList(root, "baselines", Baseline.class, List.of(Baseline.values()));
        if (!problems.isEmpty()) {
            return null;
        }
        return new Scenario(name, description, dataset, seeds, mt, hardSet, owners, budgets, methods, baselines);
    }

    private DatasetId dataset(JsonNode root) {
        String text = requiredText(root, "", "dataset");
        if (text == null) {
            return null;
        }
        Optional<DatasetId> id = DatasetId.fromFileName(text);
        if (id.isEmpty()) {
            problems.add("dataset: must be one of " + Arrays.stream(DatasetId.values()).map(DatasetId::fileName).toList()
                    + ", was '" + text + "'");
        }
        return id.orElse(null);
    }

    private List<Long> seeds(JsonNode root) {
        JsonNode node = root.get("seeds");
        if (node == null) {
            return DEFAULT_SEEDS;
        }
        if (!node.isArray() || node.isEmpty()) {
            problems.add("seeds: must be a non-empty list of integers, e.g. [1, 2, 3]");
            return DEFAULT_SEEDS;
        }
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode seed = node.get(i);
            if (!seed.isIntegralNumber() || !seed.canConvertToLong()) {
                problems.add("seeds[" + i + "]: must be an integer, was " + seed);
            } else if (seeds.contains(seed.longValue())) {
                problems.add("seeds[" + i + "]: seed " + seed.longValue() + " is listed twice");
            } else {
                seeds.add(seed.longValue());
            }
        }
        return seeds;
    }

    private ModelTrainerData modelTrainer(JsonNode node, DatasetId dataset) {
        String path = "modelTrainer";
        if (!isMapping(node, path)) {
            return null;
        }
        allowedKeys(node, path + ".", "weakClasses", "trainPerClass", "weakTrainPerClass", "validationPerClass",
                "testPerClass", "model");
        List<String> weak = new ArrayList<>();
        JsonNode weakNode = node.get("weakClasses");
        if (weakNode == null || !weakNode.isArray() || weakNode.isEmpty()) {
            problems.add(path + ".weakClasses: required, a non-empty list of class names"
                    + (dataset == null ? "" : " from " + dataset.classNames()));
        } else {
            for (int i = 0; i < weakNode.size(); i++) {
                String cls = className(weakNode.get(i), path + ".weakClasses[" + i + "]", dataset);
                if (cls != null && weak.contains(cls)) {
                    problems.add(path + ".weakClasses[" + i + "]: class '" + cls + "' is listed twice");
                } else if (cls != null) {
                    weak.add(cls);
                }
            }
        }
        int train = integer(node, path + ".", "trainPerClass", null, 1, 100_000);
        int weakTrain = integer(node, path + ".", "weakTrainPerClass", null, 0, 100_000);
        int validation = integer(node, path + ".", "validationPerClass", null, 1, 100_000);
        int test = integer(node, path + ".", "testPerClass", null, 1, 100_000);
        if (weakTrain > train && train > 0) {
            problems.add(path + ".weakTrainPerClass: must be at most trainPerClass (" + train + ") — weak classes are the"
                    + " scarce ones, was " + weakTrain);
        }
        String model = ModelTrainerData.MLP;
        JsonNode modelNode = node.get("model");
        if (modelNode != null) {
            model = modelNode.asText();
            if (!modelNode.isTextual() || !List.of(ModelTrainerData.MLP, ModelTrainerData.CNN).contains(model)) {
                problems.add(path + ".model: must be mlp or cnn, was " + modelNode);
            } else if (model.equals(ModelTrainerData.CNN) && dataset != null && dataset.kind() != DatasetId.Kind.IMAGE) {
                problems.add(path + ".model: cnn needs an image data set; " + dataset.fileName() + " is tabular (use mlp)");
            }
        }
        return new ModelTrainerData(weak, train, weakTrain, validation, test, model);
    }

    private HardSet hardSet(JsonNode node) {
        if (node == null) {
            return new HardSet(HardSet.DEFAULT_SHARED_PER_CLASS);
        }
        if (!isMapping(node, "hardSet")) {
            return null;
        }
        allowedKeys(node, "hardSet.", "sharedPerClass");
        return new HardSet(integer(node, "hardSet.", "sharedPerClass", HardSet.DEFAULT_SHARED_PER_CLASS, 1, 1000));
    }

    private List<Owner> owners(JsonNode node, DatasetId dataset) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            problems.add("owners: required, a non-empty list of owners");
            return List.of();
        }
        List<Owner> owners = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "owners[" + i + "]";
            JsonNode o = node.get(i);
            if (!isMapping(o, path)) {
                continue;
            }
            allowedKeys(o, path + ".", "id", "size", "classMix", "labelNoise", "corruption", "arrivalRate", "domainShift",
                    "duplicateOf");
            String id = identifier(o, path + ".", "id");
            if (id != null && !ids.add(id)) {
                problems.add(path + ".id: owner id '" + id + "' is used twice");
            }
            int size = integer(o, path + ".", "size", null, 1, 1_000_000);
            Map<String, Double> mix = classMix(o.get("classMix"), path + ".classMix", dataset);
            double noise = fraction(o, path + ".", "labelNoise", 0.0);
            Corruption corruption = corruption(o.get("corruption"), path + ".corruption", dataset);
            double rate = number(o, path + ".", "arrivalRate", DEFAULT_ARRIVAL_RATE);
            if (rate <= 0 || !Double.isFinite(rate)) {
                problems.add(path + ".arrivalRate: must be a positive number of samples per second, was " + rate);
            }
            double shift = number(o, path + ".", "domainShift", 0.0);
            if (!(Math.abs(shift) <= 5)) {
                problems.add(path + ".domainShift: must be in [-5, 5] (standard deviations, or pixel range for images), was "
                        + shift);
            }
            Optional<Duplicate> dup = duplicate(o.get("duplicateOf"), path + ".duplicateOf", ids, id);
            owners.add(new Owner(id, size, mix, noise, corruption, rate, shift, dup));
        }
        return owners;
    }

    private Map<String, Double> classMix(JsonNode node, String path, DatasetId dataset) {
        Map<String, Double> mix = new LinkedHashMap<>();
        if (node == null) {
            if (dataset != null) {
                dataset.classNames().forEach(c -> mix.put(c, 1.0 / dataset.classNames().size()));
            }
            return mix;
        }
        if (!isMapping(node, path) || node.isEmpty()) {
            if (node.isObject()) {
                problems.add(path + ": must name at least one class with a positive weight");
            }
            return mix;
        }
        double sum = 0;
        double rest = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String cls = e.getKey();
            String at = path + "." + cls;
            if (cls.equals(REST)) {
                JsonNode w = e.getValue();
                if (!w.isNumber() || !(w.doubleValue() >= 0) || !Double.isFinite(w.doubleValue())) {
                    problems.add(at + ": must be a non-negative weight, was " + w);
                } else {
                    rest = w.doubleValue();
                }
                continue;
            }
            if (dataset != null && !dataset.classNames().contains(cls)) {
                problems.add(at + ": '" + cls + "' is not a class of " + dataset.fileName() + "; classes are "
                        + dataset.classNames());
                continue;
            }
            JsonNode w = e.getValue();
            if (!w.isNumber() || !(w.doubleValue() >= 0) || !Double.isFinite(w.doubleValue())) {
                problems.add(at + ": must be a non-negative weight, was " + w);
                continue;
            }
            mix.put(cls, w.doubleValue());
            sum += w.doubleValue();
        }
        if (rest > 0 && dataset != null) {
            List<String> unnamed = dataset.classNames().stream().filter(c -> !mix.containsKey(c)).toList();
            if (unnamed.isEmpty()) {
                problems.add(path + "." + REST + ": every class is already named, nothing is left to share " + rest);
            }
            for (String c : unnamed) {
                mix.put(c, rest / unnamed.size());
            }
            sum += unnamed.isEmpty() ? 0 : rest;
        }
        if (sum <= 0) {
            problems.add(path + ": the weights must not all be zero");
            return mix;
        }
        final double total = sum;
        mix.replaceAll((k, v) -> v / total);
        return mix;
    }

    private Corruption corruption(JsonNode node, String path, DatasetId dataset) {
        if (node == null) {
            return Corruption.NONE;
        }
        if (!isMapping(node, path)) {
            return Corruption.NONE;
        }
        allowedKeys(node, path + ".", "kind", "fraction", "severity");
        Corruption.Kind kind = enumValue(node.get("kind"), path + ".kind", Corruption.Kind.class);
        double fraction = fraction(node, path + ".", "fraction", 1.0);
        double severity = number(node, path + ".", "severity", 0.5);
        if (!(severity > 0 && severity <= 1)) {
            problems.add(path + ".severity: must be in (0, 1], was " + severity);
        }
        if (kind == Corruption.Kind.OCCLUSION && dataset != null && dataset.kind() != DatasetId.Kind.IMAGE) {
            problems.add(path + ".kind: OCCLUSION applies to images only; " + dataset.fileName()
                    + " is tabular, use GAUSSIAN_NOISE");
        }
        return kind == null || kind == Corruption.Kind.NONE ? Corruption.NONE : new Corruption(kind, fraction, severity);
    }

    private Optional<Duplicate> duplicate(JsonNode node, String path, Set<String> earlierIds, String selfId) {
        if (node == null) {
            return Optional.empty();
        }
        if (!isMapping(node, path)) {
            return Optional.empty();
        }
        allowedKeys(node, path + ".", "owner", "fraction");
        String owner = requiredText(node, path + ".", "owner");
        double fraction = fraction(node, path + ".", "fraction", 1.0);
        if (owner != null && (owner.equals(selfId) || !earlierIds.contains(owner))) {
            problems.add(path + ".owner: must name an owner listed earlier, was '" + owner + "'");
        }
        return Optional.of(new Duplicate(owner, fraction));
    }

    private List<Budget> budgets(JsonNode node, int hardTotal) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            problems.add("budgets: required, a non-empty list like [{kPerHard: 1}, {kPerHard: 2, total: 32}]");
            return List.of();
        }
        List<Budget> budgets = new ArrayList<>();
        Set<Integer> ks = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "budgets[" + i + "]";
            JsonNode b = node.get(i);
            if (!isMapping(b, path)) {
                continue;
            }
            allowedKeys(b, path + ".", "kPerHard", "total");
            int k = integer(b, path + ".", "kPerHard", null, 1, 10_000);
            if (k > 0 && !ks.add(k)) {
                problems.add(path + ".kPerHard: budget k = " + k + " is listed twice");
            }
            int expected = hardTotal < 0 || k <= 0 ? -1 : k * hardTotal;
            int total = b.has("total") ? integer(b, path + ".", "total", null, 1, 10_000_000) : expected;
            if (expected > 0 && total > 0 && total != expected) {
                problems.add(path + ".total: must equal kPerHard × weak classes × hardSet.sharedPerClass = " + expected
                        + ", was " + total);
            }
            budgets.add(new Budget(k, total));
        }
        return budgets;
    }

    private <E extends Enum<E>> List<E> enumList(JsonNode root, String key, Class<E> type, List<E> defaults) {
        JsonNode node = root.get(key);
        if (node == null) {
            return defaults;
        }
        if (!node.isArray() || node.isEmpty()) {
            problems.add(key + ": must be a non-empty list of " + names(type));
            return defaults;
        }
        List<E> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            E value = enumValue(node.get(i), key + "[" + i + "]", type);
            if (value != null && values.contains(value)) {
                problems.add(key + "[" + i + "]: " + value + " is listed twice");
            } else if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    private <E extends Enum<E>> E enumValue(JsonNode node, String path, Class<E> type) {
        if (node == null || !node.isTextual()) {
            problems.add(path + ": required, one of " + names(type) + (node == null ? "" : ", was " + node));
            return null;
        }
        try {
            return Enum.valueOf(type, node.asText().trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            problems.add(path + ": must be one of " + names(type) + ", was '" + node.asText() + "'");
            return null;
        }
    }

    private static <E extends Enum<E>> String names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", ", "[", "]"));
    }

    private String className(JsonNode node, String path, DatasetId dataset) {
        if (!node.isTextual()) {
            problems.add(path + ": must be a class name (text), was " + node);
            return null;
        }
        String cls = node.asText();
        if (dataset != null && !dataset.classNames().contains(cls)) {
            problems.add(path + ": '" + cls + "' is not a class of " + dataset.fileName() + "; classes are "
                    + dataset.classNames());
            return null;
        }
        return cls;
    }

    private boolean isMapping(JsonNode node, String path) {
        if (node == null) {
            problems.add(path + ": required");
            return false;
        }
        if (!node.isObject()) {
            problems.add(path + ": must be a mapping (key: value lines), was " + node);
            return false;
        }
        return true;
    }

    private void allowedKeys(JsonNode node, String prefix, String... allowed) {
        List<String> keys = List.of(allowed);
        node.fieldNames().forEachRemaining(k -> {
            if (!keys.contains(k)) {
                problems.add(prefix + k + ": unknown field; allowed here: " + keys);
            }
        });
    }

    private String requiredText(JsonNode node, String prefix, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            problems.add(prefix + key + ": required");
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            problems.add(prefix + key + ": must be non-empty text, was " + v);
            return null;
        }
        return v.asText().trim();
    }

    private String identifier(JsonNode node, String prefix, String key) {
        String text = requiredText(node, prefix, key);
        if (text != null && !ID.matcher(text).matches()) {
            problems.add(prefix + key + ": must be 1-64 letters, digits, '.', '_' or '-' (it names files), was '" + text
                    + "'");
            return null;
        }
        return text;
    }

    private String optionalText(JsonNode node, String prefix, String key, String fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            problems.add(prefix + key + ": must be text, was " + v);
            return fallback;
        }
        return v.asText();
    }

    private int integer(JsonNode node, String prefix, String key, Integer fallback, int min, int max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (fallback == null) {
                problems.add(prefix + key + ": required, an integer in [" + min + ", " + max + "]");
                return -1;
            }
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            problems.add(prefix + key + ": must be an integer in [" + min + ", " + max + "], was " + v);
            return -1;
        }
        int value = v.intValue();
        if (value < min || value > max) {
            problems.add(prefix + key + ": must be in [" + min + ", " + max + "], was " + value);
            return -1;
        }
        return value;
    }

    private double number(JsonNode node, String prefix, String key, double fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            problems.add(prefix + key + ": must be a number, was " + v);
            return fallback;
        }
        return v.doubleValue();
    }

    private double fraction(JsonNode node, String prefix, String key, double fallback) {
        JsonNode v = node.get(key);
        double value = number(node, prefix, key, fallback);
        if (v != null && v.isNumber() && !(value >= 0 && value <= 1)) {
            problems.add(prefix + key + ": must be in [0, 1], was " + v.asText());
            return fallback;
        }
        return value;
    }
}
