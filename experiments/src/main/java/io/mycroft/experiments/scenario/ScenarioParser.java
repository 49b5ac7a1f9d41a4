package io.mycroft.experiments.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mycroft.experiments.data.DatasetId;
import io.mycroft.experiments.data.SeededRandom;
import io.mycroft.experiments.scenario.Scenario.Baseline;
import io.mycroft.experiments.scenario.Scenario.Budget;
import io.mycroft.experiments.scenario.Scenario.Corruption;
import io.mycroft.experiments.scenario.Scenario.Duplicates;
import io.mycroft.experiments.scenario.Scenario.HardSet;
import io.mycroft.experiments.scenario.Scenario.ModelTrainerData;
import io.mycroft.experiments.scenario.Scenario.Overlap;
import io.mycroft.experiments.scenario.Scenario.Owner;
import io.mycroft.experiments.scenario.Scenario.Training;
import io.mycroft.processors.DefaultMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
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
 * Reads a scenario file (YAML; JSON is valid YAML) into a {@link Scenario}: Jackson binds it onto {@link ScenarioFile},
 * then every value is checked. Every problem is collected and reported at once, each as {@code <field path>: <what is
 * wrong>}, e.g. {@code owners[2].labelNoise: must be in [0, 1], was 1.5}. Unknown keys and values of the wrong type are
 * problems too (a quoted number still reads as the number), so a misspelt field never silently falls back to its default.
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
        ScenarioParser parser = new ScenarioParser();
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ScenarioException(source, List.of("not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")")));
        }
        ScenarioFile file = null;
        if (tree != null && !tree.isMissingNode() && !tree.isNull()) {
            try {
                file = YAML.readerFor(ScenarioFile.class).withHandler(parser.new BindingProblems()).readValue(tree);
            } catch (IOException e) {
                parser.problems.add((e instanceof JsonMappingException m ? path(m) : "(top level)") + ": "
                        + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
                throw new ScenarioException(source, parser.problems);
            }
        }
        Scenario scenario = file == null ? parser.notAMapping() : parser.scenario(file);
        if (!parser.problems.isEmpty()) {
            throw new ScenarioException(source, parser.problems);
        }
        return scenario;
    }

    private Scenario notAMapping() {
        problems.add("(top level): must be a mapping with name, dataset, modelTrainer, owners, budgets, ...");
        return null;
    }

    /** Binding problems (an unknown key, a value of the wrong type) become problems at their path; binding goes on. */
    private final class BindingProblems extends DeserializationProblemHandler {
        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                             Object beanOrClass, String propertyName) throws IOException {
            List<String> allowed = Arrays.stream(deserializer.handledType().getRecordComponents())
                    .map(java.lang.reflect.RecordComponent::getName).toList();
            problems.add(path(p.getParsingContext()) + ": unknown field; allowed here: " + allowed);
            p.skipChildren();
            return true;
        }

        @Override
        public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p,
                                            String failureMsg) throws IOException {
            JsonStreamContext at = t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT
                    ? p.getParsingContext().getParent() : p.getParsingContext();
            JsonNode value = ctxt.readTree(p);
            if (at.inRoot()) {
                notAMapping();
            } else {
                problems.add(path(at) + ": must be " + expected(targetType.getRawClass()) + ", was " + value);
            }
            return null;
        }

        @Override
        public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String value,
                                             String failureMsg) {
            problems.add(path(ctxt.getParser().getParsingContext()) + ": must be " + expected(targetType) + ", was '"
                    + value + "'");
            return null;
        }

        @Override
        public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number value,
                                             String failureMsg) {
            problems.add(path(ctxt.getParser().getParsingContext()) + ": must be " + expected(targetType) + ", was "
                    + value);
            return null;
        }

        private static String expected(Class<?> type) {
            if (type == Number.class) { // the file's integers, see ScenarioFile
                return "an integer";
            }
            if (type == Double.class) {
                return "a number";
            }
            if (type == String.class) {
                return "text";
            }
            if (List.class.isAssignableFrom(type)) {
                return "a list";
            }
            return "a mapping (key: value lines)";
        }
    }

    /** {@code owners[1].corruption.kind}: where the parser stands. */
    private static String path(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(c.getCurrentIndex(), 0) + "]");
            } else if (c.getCurrentName() != null) {
                parts.push((parts.isEmpty() && c.getParent().inRoot() ? "" : ".") + c.getCurrentName());
            }
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path.isEmpty() ? "(top level)" : path;
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            path.append(r.getFieldName() != null ? (path.length() == 0 ? "" : ".") + r.getFieldName() : "[" + r.getIndex() + "]");
        }
        return path.length() == 0 ? "(top level)" : path.toString();
    }

    private Scenario scenario(ScenarioFile f) {
        String name = identifier(f.name(), "name");
        String description = f.description() == null ? "" : f.description();
        DatasetId dataset = dataset(f.dataset());
        List<Long> seeds = seeds(f.seeds());
        ModelTrainerData mt = modelTrainer(f.modelTrainer(), dataset);
        HardSet hardSet = f.hardSet() == null ? new HardSet(HardSet.DEFAULT_SHARED_PER_CLASS)
                : new HardSet(integer(f.hardSet().sharedPerClass(), "hardSet.sharedPerClass", HardSet.DEFAULT_SHARED_PER_CLASS, 1, 1000));
        List<Owner> owners = owners(f.owners(), f.randomOwners(), dataset, mt);
        int hardTotal = mt == null ? -1 : mt.weakClasses().size() * hardSet.sharedPerClass();
        List<Budget> budgets = budgets(f.budgets(), hardTotal);
        List<SelectionMethod> methods = enumList(f.methods(), "methods", SelectionMethod.class, DefaultMethod.defaultFirst());
        List<Baseline> baselines = enumList(f.baselines(), "baselines", Baseline.class, Baseline.DEFAULT);
        if (baselines.contains(Baseline.ORACLE_CLEAN_GRADIENT) && !methods.contains(SelectionMethod.GRADIENT)) {
            problems.add("baselines: ORACLE_CLEAN_GRADIENT is GRADIENT's selection among clean labels; add GRADIENT to methods");
        }
        Integer labelConsistency = f.labelConsistencyNeighbours() == null ? null
                : integer(f.labelConsistencyNeighbours(), "labelConsistencyNeighbours", null, 1, 1000);
        if (!problems.isEmpty()) {
            return null;
        }
        return new Scenario(name, description, dataset, seeds, mt, hardSet, owners, budgets, methods, baselines, labelConsistency);
    }

    private DatasetId dataset(String text) {
        if (text == null || text.isBlank()) {
            required("dataset", "");
            return null;
        }
        Optional<DatasetId> id = DatasetId.fromFileName(text.trim());
        if (id.isEmpty()) {
            problems.add("dataset: must be one of " + Arrays.stream(DatasetId.values()).map(DatasetId::fileName).toList()
                    + ", was '" + text + "'");
        }
        return id.orElse(null);
    }

    private List<Long> seeds(List<Number> given) {
        if (given == null) {
            return DEFAULT_SEEDS;
        }
        if (given.isEmpty()) {
            problems.add("seeds: must be a non-empty list of integers, e.g. [1, 2, 3]");
            return DEFAULT_SEEDS;
        }
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            Number value = given.get(i);
            Long seed = isIntegral(value) ? value.longValue() : null;
            if (seed == null) {
                problems.add("seeds[" + i + "]: must be an integer, was " + value);
            } else if (seeds.contains(seed)) {
                problems.add("seeds[" + i + "]: seed " + seed + " is listed twice");
            } else {
                seeds.add(seed);
            }
        }
        return seeds;
    }

    private ModelTrainerData modelTrainer(ScenarioFile.ModelTrainer m, DatasetId dataset) {
        String path = "modelTrainer";
        if (m == null) {
            problems.add(path + ": required");
            return null;
        }
        List<String> weak = new ArrayList<>();
        if (m.weakClasses() == null || m.weakClasses().isEmpty()) {
            problems.add(path + ".weakClasses: required, a non-empty list of class names"
                    + (dataset == null ? "" : " from " + dataset.classNames()));
        } else {
            for (int i = 0; i < m.weakClasses().size(); i++) {
                String cls = className(m.weakClasses().get(i), path + ".weakClasses[" + i + "]", dataset);
                if (cls != null && weak.contains(cls)) {
                    problems.add(path + ".weakClasses[" + i + "]: class '" + cls + "' is listed twice");
                } else if (cls != null) {
                    weak.add(cls);
                }
            }
        }
        int train = integer(m.trainPerClass(), path + ".trainPerClass", null, 1, 100_000);
        int weakTrain = integer(m.weakTrainPerClass(), path + ".weakTrainPerClass", null, 0, 100_000);
        int validation = integer(m.validationPerClass(), path + ".validationPerClass", null, 1, 100_000);
        int test = integer(m.testPerClass(), path + ".testPerClass", null, 1, 100_000);
        if (weakTrain > train && train > 0) {
            problems.add(path + ".weakTrainPerClass: must be at most trainPerClass (" + train + ") — weak classes are the"
                    + " scarce ones, was " + weakTrain);
        }
        String model = m.model() == null ? ModelTrainerData.MLP : m.model();
        if (!List.of(ModelTrainerData.MLP, ModelTrainerData.CNN).contains(model)) {
            problems.add(path + ".model: must be mlp or cnn, was \"" + model + "\"");
        } else if (model.equals(ModelTrainerData.CNN) && dataset != null && dataset.kind() != DatasetId.Kind.IMAGE) {
            problems.add(path + ".model: cnn needs an image data set; " + dataset.fileName() + " is tabular (use mlp)");
        }
        return new ModelTrainerData(weak, train, weakTrain, validation, test, model, training(m.training(), path + ".training"));
    }

    private Training training(ScenarioFile.Training t, String path) {
        if (t == null) {
            return Training.DEFAULT;
        }
        int epochs = integer(t.epochs(), path + ".epochs", Training.DEFAULT.epochs(), 1, 1000);
        double rate = t.learningRate() == null ? Training.DEFAULT.learningRate() : t.learningRate();
        if (!(rate > 0 && rate <= 1)) {
            problems.add(path + ".learningRate: must be in (0, 1], was " + rate);
        }
        int batch = integer(t.batchSize(), path + ".batchSize", Training.DEFAULT.batchSize(), 1, 100_000);
        return new Training(epochs, rate, batch);
    }

    /** An owner as written, and where: {@code owners[2]} or, for a generated one, {@code randomOwners.r02}. */
    private record OwnerAt(String path, ScenarioFile.Owner owner) {}

    /** The listed owners, then the generated ones; every owner gets the same checks. */
    private List<Owner> owners(List<ScenarioFile.Owner> listed, ScenarioFile.RandomOwners random, DatasetId dataset,
                               ModelTrainerData mt) {
        if ((listed == null || listed.isEmpty()) && random == null) {
            problems.add("owners: required, a non-empty list of owners (or a randomOwners block)");
            return List.of();
        }
        List<OwnerAt> given = new ArrayList<>();
        for (int i = 0; listed != null && i < listed.size(); i++) {
            given.add(new OwnerAt("owners[" + i + "]", listed.get(i)));
        }
        if (random != null) {
            given.addAll(randomOwners(random, given, mt));
        }
        List<Owner> owners = new ArrayList<>();
        Map<String, Integer> sizes = new HashMap<>();
        for (OwnerAt at : given) {
            String path = at.path();
            ScenarioFile.Owner o = at.owner();
            if (o == null) {
                problems.add(path + ": must be a mapping (key: value lines)");
                continue;
            }
            String id = identifier(o.id(), path + ".id");
            if (id != null && sizes.containsKey(id)) {
                problems.add(path + ".id: owner id '" + id + "' is used twice");
            }
            int size = integer(o.size(), path + ".size", null, 1, 1_000_000);
            Map<String, Double> mix = classMix(o.classMix(), path + ".classMix", dataset);
            double noise = fraction(o.labelNoise(), path + ".labelNoise", 0.0);
            Map<String, String> flips = labelFlips(o.labelFlips(), noise, path, dataset);
            Corruption corruption = corruption(o.corruption(), path + ".corruption", dataset);
            double rate = o.arrivalRate() == null ? DEFAULT_ARRIVAL_RATE : o.arrivalRate();
            if (rate <= 0 || !Double.isFinite(rate)) {
                problems.add(path + ".arrivalRate: must be a positive number of samples per second, was " + rate);
            }
            double startAfter = o.startAfter() == null ? 0.0 : o.startAfter();
            if (!(startAfter >= 0 && startAfter <= 3600)) {
                problems.add(path + ".startAfter: must be in [0, 3600] seconds, was " + startAfter);
            }
            double shift = o.domainShift() == null ? 0.0 : o.domainShift();
            if (!(Math.abs(shift) <= 5)) {
                problems.add(path + ".domainShift: must be in [-5, 5] (standard deviations, or pixel range for images), was "
                        + shift);
            }
            Duplicates duplicates = duplicates(o.duplicates(), path + ".duplicates");
            Optional<Overlap> overlap = overlap(o.overlap(), path + ".overlap", sizes, id);
            copiesFit(path, size, duplicates, overlap, sizes);
            if (id != null) {
                sizes.putIfAbsent(id, size);
            }
            owners.add(new Owner(id, size, mix, noise, flips, corruption, rate, startAfter, shift, duplicates, overlap));
        }
        return owners;
    }

    /** Class → class a flipped label goes to: both classes of the dataset and distinct, and labelNoise > 0. */
    private Map<String, String> labelFlips(Map<String, String> given, double noise, String path, DatasetId dataset) {
        if (given == null) {
            return Map.of();
        }
        String at = path + ".labelFlips";
        if (given.isEmpty() || noise == 0) {
            problems.add(at + ": needs at least one 'class: class' pair and a labelNoise above 0");
            return Map.of();
        }
        for (Map.Entry<String, String> e : given.entrySet()) {
            for (String cls : new String[] {e.getKey(), e.getValue()}) {
                if (cls == null || dataset != null && !dataset.classNames().contains(cls)) {
                    problems.add(at + "." + e.getKey() + ": '" + cls + "' is not a class of "
                            + (dataset == null ? "the dataset" : dataset.fileName() + "; classes are " + dataset.classNames()));
                }
            }
            if (e.getKey().equals(e.getValue())) {
                problems.add(at + "." + e.getKey() + ": a label must flip to another class");
            }
        }
        return given;
    }

    private Duplicates duplicates(ScenarioFile.Duplicates d, String path) {
        if (d == null) {
            return Duplicates.NONE;
        }
        return new Duplicates(fraction(d.exact(), path + ".exact", 0.0), fraction(d.rescaled(), path + ".rescaled", 0.0));
    }

    /** @param earlier the sizes of the owners listed before this one, by id */
    private Optional<Overlap> overlap(ScenarioFile.Overlap d, String path, Map<String, Integer> earlier, String selfId) {
        if (d == null) {
            return Optional.empty();
        }
        String owner = d.owner() == null || d.owner().isBlank() ? null : d.owner().trim();
        if (owner == null) {
            problems.add(path + ".owner: required");
        } else if (owner.equals(selfId) || !earlier.containsKey(owner)) {
            problems.add(path + ".owner: must name an owner listed earlier, was '" + owner + "'");
        }
        return Optional.of(new Overlap(owner, fraction(d.fraction(), path + ".fraction", 1.0)));
    }

    /**
      * The copies fit the owner: overlap + exact + rescaled copies ≤ size, each kind of own copy ≤ the fresh samples
      * (it copies distinct ones), the overlap ≤ the other owner's size (it copies distinct ones too).
      */
    private void copiesFit(String path, int size, Duplicates duplicates, Optional<Overlap> overlap,
                           Map<String, Integer> earlier) {
        if (size < 1) {
            return;
        }
        int shared = overlap.map(o -> (int) Math.round(o.fraction() * size)).orElse(0);
        int exact = (int) Math.round(duplicates.exact() * size);
        int rescaled = (int) Math.round(duplicates.rescaled() * size);
        int fresh = size - shared - exact - rescaled;
        if (fresh < 0) {
            problems.add(path + ": overlap (" + shared + ") + exact (" + exact + ") + rescaled (" + rescaled
                    + ") copies exceed the size " + size);
        } else if (exact > fresh || rescaled > fresh) {
            problems.add(path + ".duplicates: exact (" + exact + ") and rescaled (" + rescaled + ") copies must each be at"
                    + " most the owner's fresh samples (" + fresh + ")");
        }
        Integer source = overlap.map(o -> earlier.get(o.owner())).orElse(null);
        if (source != null && source >= 0 && shared > source) {
            problems.add(path + ".overlap.fraction: " + shared + " shared samples but owner " + overlap.get().owner()
                    + " holds only " + source);
        }
    }

    /**
      * The randomOwners block as ordinary owners r01, r02, … (two digits, more when count needs them), appended after
      * {@code listed}. Owner i draws from its own stream {@code SeededRandom.of(seed, "random-owner:" + id)}, in this
      * order: size (uniform integer in the range), weak fraction (uniform), then per property labelNoise, featureNoise,
      * exactDuplicates, rescaledDuplicates, overlap a uniform u (the owner has it when u < probability) and a value
      * (uniform in the range); fractions are rounded to 0.01. The weak fraction is spread evenly over the weak classes,
      * the rest over the others ("*"); feature noise is GAUSSIAN_NOISE on every fresh sample with the drawn severity; the
      * overlap is with a uniformly chosen earlier owner (listed or generated). So r01 is the same owner whatever count is.
      */
    private List<OwnerAt> randomOwners(ScenarioFile.RandomOwners r, List<OwnerAt> listed, ModelTrainerData mt) {
        String path = "randomOwners";
        int count = integer(r.count(), path + ".count", null, 1, 999);
        long seed = 1;
        if (r.seed() != null && !isIntegral(r.seed())) {
            problems.add(path + ".seed: must be an integer, was " + r.seed());
        } else if (r.seed() != null) {
            seed = r.seed().longValue();
        }
        int[] size = integerRange(r.size(), path + ".size", 1, 1_000_000);
        double[] weak = r.weakFraction() == null ? new double[] {0, 1} : range(r.weakFraction(), path + ".weakFraction");
        List<Chance> chances = new ArrayList<>();
        String[] names = {"labelNoise", "featureNoise", "exactDuplicates", "rescaledDuplicates", "overlap"};
        ScenarioFile.Chance[] given = {r.labelNoise(), r.featureNoise(), r.exactDuplicates(), r.rescaledDuplicates(),
                r.overlap()};
        for (int i = 0; i < names.length; i++) {
            chances.add(chance(given[i], path + "." + names[i]));
        }
        double[] severity = chances.get(1).range();
        if (severity != null && severity[0] <= 0 && chances.get(1).probability() > 0) {
            problems.add(path + ".featureNoise.range: severities must be in (0, 1], was [" + severity[0] + ", "
                    + severity[1] + "]");
        }
        if (count < 1 || size == null || weak == null || mt == null || mt.weakClasses().isEmpty()
                || chances.stream().anyMatch(c -> c.range() == null)) {
            return List.of(); // problems already reported
        }
        List<String> earlier = new ArrayList<>();
        listed.stream().filter(o -> o.owner() != null && o.owner().id() != null).forEach(o -> earlier.add(o.owner().id().trim()));
        String format = "r%0" + Math.max(2, String.valueOf(count).length()) + "d";
        List<OwnerAt> owners = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String id = String.format(Locale.ROOT, format, i);
            SeededRandom rng = SeededRandom.of(seed, "random-owner:" + id);
            int n = size[0] + rng.nextInt(size[1] - size[0] + 1);
            double w = draw(rng, weak);
            LinkedHashMap<String, Double> mix = new LinkedHashMap<>();
            mt.weakClasses().forEach(c -> mix.put(c, w / mt.weakClasses().size()));
            mix.put(REST, round(1 - w));
            Double[] values = new Double[chances.size()];
            for (int k = 0; k < chances.size(); k++) {
                boolean has = rng.nextDouble() < chances.get(k).probability();
                double value = draw(rng, chances.get(k).range());
                values[k] = has ? value : null;
            }
            ScenarioFile.Corruption noise = values[1] == null ? null
                    : new ScenarioFile.Corruption(Corruption.Kind.GAUSSIAN_NOISE.name(), 1.0, values[1]);
            ScenarioFile.Duplicates copies = values[2] == null && values[3] == null ? null
                    : new ScenarioFile.Duplicates(values[2], values[3]);
            ScenarioFile.Overlap overlap = values[4] == null || earlier.isEmpty() ? null
                    : new ScenarioFile.Overlap(earlier.get(rng.nextInt(earlier.size())), values[4]);
            owners.add(new OwnerAt(path + "." + id, new ScenarioFile.Owner(id, n, mix, values[0], null, noise, r.arrivalRate(),
                    null, null, copies, overlap)));
            earlier.add(id);
        }
        return owners;
    }

    /** A checked {@link ScenarioFile.Chance}: probability 0 when absent; range null when unusable. */
    private record Chance(double probability, double[] range) {}

    private Chance chance(ScenarioFile.Chance c, String path) {
        if (c == null) {
            return new Chance(0, new double[] {0, 0});
        }
        double p = c.probability() == null ? -1 : fraction(c.probability(), path + ".probability", -1);
        if (c.probability() == null) {
            required(path + ".probability", ", in [0, 1]");
        }
        return new Chance(p, range(c.range(), path + ".range"));
    }

    /** [min, max] within [0, 1]; null (and a problem) when not. */
    private double[] range(List<Double> given, String path) {
        if (given == null || given.size() != 2 || given.contains(null)) {
            required(path, ", [min, max] within [0, 1]");
            return null;
        }
        double min = given.get(0);
        double max = given.get(1);
        if (!(min >= 0 && max <= 1 && min <= max)) {
            problems.add(path + ": must be [min, max] with 0 ≤ min ≤ max ≤ 1, was " + given);
            return null;
        }
        return new double[] {min, max};
    }

    /** [min, max] of integers within [lo, hi]; null (and a problem) when not. */
    private int[] integerRange(List<Number> given, String path, int lo, int hi) {
        if (given == null || given.size() != 2 || given.contains(null)) {
            required(path, ", [min, max] of integers within [" + lo + ", " + hi + "]");
            return null;
        }
        if (!isIntegral(given.get(0)) || !isIntegral(given.get(1)) || given.get(0).longValue() < lo
                || given.get(1).longValue() > hi || given.get(0).longValue() > given.get(1).longValue()) {
            problems.add(path + ": must be [min, max] of integers with " + lo + " ≤ min ≤ max ≤ " + hi + ", was " + given);
            return null;
        }
        return new int[] {given.get(0).intValue(), given.get(1).intValue()};
    }

    private static double draw(SeededRandom rng, double[] range) {
        return round(range[0] + (range[1] - range[0]) * rng.nextDouble());
    }

    /** To 0.01, so that generated owners read like written ones. */
    private static double round(double fraction) {
        return Math.round(fraction * 100) / 100.0;
    }

    private Map<String, Double> classMix(Map<String, Double> given, String path, DatasetId dataset) {
        Map<String, Double> mix = new LinkedHashMap<>();
        if (given == null) {
            if (dataset != null) {
                dataset.classNames().forEach(c -> mix.put(c, 1.0 / dataset.classNames().size()));
            }
            return mix;
        }
        if (given.isEmpty()) {
            problems.add(path + ": must name at least one class with a positive weight");
            return mix;
        }
        double sum = 0;
        double rest = 0;
        for (Map.Entry<String, Double> e : given.entrySet()) {
            String cls = e.getKey();
            String at = path + "." + cls;
            Double w = e.getValue();
            if (!cls.equals(REST) && dataset != null && !dataset.classNames().contains(cls)) {
                problems.add(at + ": '" + cls + "' is not a class of " + dataset.fileName() + "; classes are "
                        + dataset.classNames());
            } else if (w == null || !(w >= 0) || !Double.isFinite(w)) {
                problems.add(at + ": must be a non-negative weight, was " + w);
            } else if (cls.equals(REST)) {
                rest = w;
            } else {
                mix.put(cls, w);
                sum += w;
            }
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

    private Corruption corruption(ScenarioFile.Corruption c, String path, DatasetId dataset) {
        if (c == null) {
            return Corruption.NONE;
        }
        Corruption.Kind kind = enumValue(c.kind(), path + ".kind", Corruption.Kind.class);
        double fraction = fraction(c.fraction(), path + ".fraction", 1.0);
        double severity = c.severity() == null ? 0.5 : c.severity();
        if (!(severity > 0 && severity <= 1)) {
            problems.add(path + ".severity: must be in (0, 1], was " + severity);
        }
        if (kind == Corruption.Kind.OCCLUSION && dataset != null && dataset.kind() != DatasetId.Kind.IMAGE) {
            problems.add(path + ".kind: OCCLUSION applies to images only; " + dataset.fileName()
                    + " is tabular, use GAUSSIAN_NOISE");
        }
        return kind == null || kind == Corruption.Kind.NONE ? Corruption.NONE : new Corruption(kind, fraction, severity);
    }

    private List<Budget> budgets(List<ScenarioFile.Budget> given, int hardTotal) {
        if (given == null || given.isEmpty()) {
            problems.add("budgets: required, a non-empty list like [{kPerHard: 1}, {kPerHard: 2, total: 32}]");
            return List.of();
        }
        List<Budget> budgets = new ArrayList<>();
        Set<Integer> ks = new HashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String path = "budgets[" + i + "]";
            ScenarioFile.Budget b = given.get(i);
            if (b == null) {
                problems.add(path + ": must be a mapping (key: value lines)");
                continue;
            }
            int k = integer(b.kPerHard(), path + ".kPerHard", null, 1, 10_000);
            if (k > 0 && !ks.add(k)) {
                problems.add(path + ".kPerHard: budget k = " + k + " is listed twice");
            }
            int expected = hardTotal < 0 || k <= 0 ? -1 : k * hardTotal;
            int total = b.total() == null ? expected : integer(b.total(), path + ".total", null, 1, 10_000_000);
            if (expected > 0 && total > 0 && total != expected) {
                problems.add(path + ".total: must equal kPerHard × weak classes × hardSet.sharedPerClass = " + expected
                        + ", was " + total);
            }
            budgets.add(new Budget(k, total));
        }
        return budgets;
    }

    private <E extends Enum<E>> List<E> enumList(List<String> given, String key, Class<E> type, List<E> defaults) {
        if (given == null) {
            return defaults;
        }
        if (given.isEmpty()) {
            problems.add(key + ": must be a non-empty list of " + names(type));
            return defaults;
        }
        List<E> values = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            E value = enumValue(given.get(i), key + "[" + i + "]", type);
            if (value != null && values.contains(value)) {
                problems.add(key + "[" + i + "]: " + value + " is listed twice");
            } else if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    /** An enum constant by name, case-insensitive, '-' for '_'. */
    private <E extends Enum<E>> E enumValue(String text, String path, Class<E> type) {
        if (text == null) {
            required(path, ", one of " + names(type));
            return null;
        }
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            problems.add(path + ": must be one of " + names(type) + ", was '" + text + "'");
            return null;
        }
    }

    private static <E extends Enum<E>> String names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", ", "[", "]"));
    }

    private String className(String cls, String path, DatasetId dataset) {
        if (cls == null) {
            return null;
        }
        if (dataset != null && !dataset.classNames().contains(cls)) {
            problems.add(path + ": '" + cls + "' is not a class of " + dataset.fileName() + "; classes are "
                    + dataset.classNames());
            return null;
        }
        return cls;
    }

    private String identifier(String text, String path) {
        if (text == null || text.isBlank()) {
            required(path, "");
            return null;
        }
        if (!ID.matcher(text.trim()).matches()) {
            problems.add(path + ": must be 1-64 letters, digits, '.', '_' or '-' (it names files), was '" + text + "'");
            return null;
        }
        return text.trim();
    }

    /** "path: required…", unless binding already found the value there unusable. */
    private void required(String path, String what) {
        if (problems.stream().noneMatch(p -> p.startsWith(path + ":"))) {
            problems.add(path + ": required" + what);
        }
    }

    /** {@code value} in [min, max]; {@code fallback} when absent, or a problem when there is none (-1 then). */
    private int integer(Number value, String path, Integer fallback, int min, int max) {
        if (value == null) {
            if (fallback == null) {
                required(path, ", an integer in [" + min + ", " + max + "]");
                return -1;
            }
            return fallback;
        }
        if (!isIntegral(value)) {
            problems.add(path + ": must be an integer in [" + min + ", " + max + "], was " + value);
            return -1;
        }
        if (value.longValue() < min || value.longValue() > max) {
            problems.add(path + ": must be in [" + min + ", " + max + "], was " + value);
            return -1;
        }
        return value.intValue();
    }

    private static boolean isIntegral(Number value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte;
    }

    private double fraction(Double value, String path, double fallback) {
        if (value == null) {
            return fallback;
        }
        if (!(value >= 0 && value <= 1)) {
            problems.add(path + ": must be in [0, 1], was " + value);
            return fallback;
        }
        return value;
    }
}
