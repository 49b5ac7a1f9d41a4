package io.mycroft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mycroft.inference.InferenceWorkerMain;
import io.mycroft.inference.cli.WorkerCommand;
import io.mycroft.schemas.TopicSpec;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.stack.registry.RegistrySettings;
import io.mycroft.stack.registry.SchemaRegistryMain;
import io.mycroft.topology.MycroftStreamsConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.runtime.SinkConnectorConfig;
import org.apache.kafka.connect.runtime.SourceConnectorConfig;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/k8s against the code: every file parses, every topic of the catalogue is a KafkaTopic with its cleanup policy,
 * partitions and configs, every port a component listens on is declared and targeted by its Service, every setting a
 * manifest passes is one the code reads (and the required ones are there), and every container's main class and
 * arguments parse with the real picocli command.
 */
class KubernetesManifestsTest {
    private static final Path K8S = Path.of("..", "deploy", "k8s");
    private static final String NAMESPACE = "mycroft";
    private static final List<JsonNode> DOCS = new ArrayList<>();

    @BeforeAll
    static void parseEveryManifest() throws IOException {
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(file.toFile())) {
                    docs.readAll().stream().filter(d -> d != null && !d.isNull() && !d.isMissingNode()).forEach(DOCS::add);
                }
            }
        }
    }

    @Test
    void everyResourceHasAKindANameAndTheNamespaceAndEveryWorkloadSelectsItsOwnPods() {
        assertThat(kinds()).contains("Namespace", "Kafka", "KafkaNodePool", "KafkaTopic", "KafkaConnect", "KafkaConnector",
                "StatefulSet", "Deployment", "Service", "ConfigMap", "PersistentVolumeClaim");
        for (JsonNode doc : DOCS) {
            assertThat(doc.path("apiVersion").asText()).as("apiVersion of %s", doc).isNotBlank();
            assertThat(doc.path("metadata").path("name").asText()).as("name of a %s", doc.path("kind")).isNotBlank();
            if (!doc.path("kind").asText().equals("Namespace")) {
                assertThat(doc.path("metadata").path("namespace").asText()).as(id(doc)).isEqualTo(NAMESPACE);
            }
        }
        for (JsonNode workload : all("StatefulSet", "Deployment")) {
            Map<String, String> selector = strings(workload.path("spec").path("selector").path("matchLabels"));
            assertThat(selector).as(id(workload)).isNotEmpty();
            assertThat(strings(workload.path("spec").path("template").path("metadata").path("labels")))
                    .as(id(workload)).containsAllEntriesOf(selector);
        }
        for (JsonNode service : all("Service")) {
            Map<String, String> selector = strings(service.path("spec").path("selector"));
            List<JsonNode> pods = all("StatefulSet", "Deployment").stream().filter(w -> strings(
                    w.path("spec").path("template").path("metadata").path("labels")).entrySet().containsAll(selector.entrySet())).toList();
            assertThat(pods).as("pods of " + id(service)).isNotEmpty();
            for (JsonNode port : service.path("spec").path("ports")) {
                // A Service port targets a named port every selected container declares.
                for (JsonNode pod : pods) {
                    assertThat(containerPorts(container(pod))).as(id(service) + " → " + id(pod))
                            .containsKey(port.path("targetPort").asText());
                }
            }
        }
    }

    @Test
    void everyTopicOfTheCatalogueIsAKafkaTopicWithItsCleanupPolicyPartitionsAndConfigs() {
        Map<String, JsonNode> topics = all("KafkaTopic").stream()
                .collect(Collectors.toMap(t -> t.path("spec").path("topicName").asText(), t -> t));
        Set<String> expected = new HashSet<>(Topics.ALL.stream().map(s -> s.name("")).toList());
        expected.add(RegistrySettings.DEFAULT_TOPIC);
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        String cluster = single("Kafka").path("metadata").path("name").asText();
        for (JsonNode topic : topics.values()) {
            assertThat(topic.path("metadata").path("labels").path("strimzi.io/cluster").asText()).as(id(topic)).isEqualTo(cluster);
            assertThat(topic.path("spec").path("replicas").asInt()).as(id(topic)).isEqualTo(3);
            assertThat(topic.path("spec").path("config").path("min.insync.replicas").asInt()).as(id(topic)).isEqualTo(2);
        }
        for (TopicSpec spec : Topics.ALL) {
            JsonNode topic = topics.get(spec.name(""));
            assertThat(topic.path("spec").path("partitions").asInt()).as(spec.name("")).isEqualTo(spec.partitions());
            Map<String, String> config = strings(topic.path("spec").path("config"));
            assertThat(config).as(spec.name("")).containsEntry("cleanup.policy", spec.cleanupPolicy()).containsAllEntriesOf(spec.configs());
        }
        JsonNode schemas = topics.get(RegistrySettings.DEFAULT_TOPIC);
        assertThat(schemas.path("spec").path("partitions").asInt()).isEqualTo(1);
        assertThat(schemas.path("spec").path("config").path("cleanup.policy").asText()).isEqualTo("compact");
    }

    @Test
    void kafkaIsAKRaftClusterOfThreeThatKeepsWritingWithOneNodeDown() {
        JsonNode kafka = single("Kafka");
        assertThat(strings(kafka.path("metadata").path("annotations")))
                .containsEntry("strimzi.io/kraft", "enabled").containsEntry("strimzi.io/node-pools", "enabled");
        JsonNode pool = single("KafkaNodePool");
        assertThat(pool.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(strings(pool.path("spec").path("roles")).values()).contains("controller", "broker");
        Map<String, String> config = strings(kafka.path("spec").path("kafka").path("config"));
        assertThat(config).containsEntry("default.replication.factor", "3").containsEntry("min.insync.replicas", "2")
                .containsEntry("transaction.state.log.replication.factor", "3").containsEntry("transaction.state.log.min.isr", "2")
                .containsEntry("message.max.bytes", String.valueOf(10 * 1024 * 1024));
        assertThat(kafka.path("spec").path("entityOperator").has("topicOperator")).isTrue();
        assertThat(bootstrapServers()).isEqualTo("mycroft-kafka-bootstrap.mycroft.svc:9092");
    }

    @Test
    void theStreamsAppIsAStatefulSetOfTheStreamsCommandWithPersistentStateStandbysAndItsPodsDnsNameAsServer() throws Exception {
        JsonNode statefulSet = single("StatefulSet");
        JsonNode container = container(statefulSet);
        List<String> args = substitutePodName(strings(container.path("args")).values().stream().toList());
        assertThat(mainClass(container)).isEqualTo(MycroftCli.class.getName());
        CommandLine.ParseResult parsed = MycroftCli.commandLine().parseArgs(args.toArray(String[]::new));
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("streams");
        assertThat(parsed.subcommand().unmatched()).isEmpty();

        // The settings as the streams command loads them, with the ConfigMap's file where the pod mounts it.
        String configPath = parsed.subcommand().matchedOptionValue("--config", Path.of("")).toString();
        Map<String, String> overrides = parsed.subcommand().matchedOptionValue("-D", Map.<String, String>of());
        Properties file = configMapFile(configPath, container, statefulSet);
        Path copy = Files.createTempFile("streams", ".properties");
        try (var out = Files.newBufferedWriter(copy)) {
            file.store(out, null);
        }
        List<String> local = args.stream().map(a -> a.replace(configPath, copy.toString())).toList();
        StreamsCommand command = MycroftCli.commandLine().parseArgs(local.toArray(String[]::new))
                .subcommand().commandSpec().commandLine().getCommand();
        MycroftStreamsConfig config = command.config();
        Files.delete(copy);

        Set<String> settings = new HashSet<>(file.stringPropertyNames());
        settings.addAll(overrides.keySet());
        assertThat(settings).allSatisfy(key -> assertThat(isStreamsSetting(key)).as(key + " is read by the Streams app").isTrue());
        assertThat(file.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo(bootstrapServers());
        assertThat(file.getProperty(SerdeConfig.REGISTRY_URL)).isEqualTo(registryUrl());
        assertThat(config.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isGreaterThanOrEqualTo(1);
        assertThat(config.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
        assertThat(config.get(MycroftStreamsConfig.HTTP_BIND_ADDRESS)).isEqualTo("0.0.0.0");
        // application.server comes from the advertised host: never fixed in the file (every pod would claim one name).
        assertThat(settings).doesNotContain(StreamsConfig.APPLICATION_SERVER_CONFIG);
        String service = statefulSet.path("spec").path("serviceName").asText();
        assertThat(config.get(MycroftStreamsConfig.HTTP_ADVERTISED_HOST))
                .isEqualTo(statefulSet.path("metadata").path("name").asText() + "-0." + service + "." + NAMESPACE + ".svc.cluster.local");
        assertThat(env(container)).containsEntry("POD_NAME", "metadata.name");

        // state.dir on the pod's own persistent volume.
        String stateDir = config.get(StreamsConfig.STATE_DIR_CONFIG);
        String claim = statefulSet.path("spec").path("volumeClaimTemplates").get(0).path("metadata").path("name").asText();
        assertThat(mounts(container)).containsEntry(claim, stateDir);

        // The REST/interactive-query port: declared, the headless Service's, and the one advertised.
        int port = config.getInt(MycroftStreamsConfig.HTTP_PORT);
        assertThat(containerPorts(container)).containsValue(port);
        JsonNode headless = named("Service", service);
        assertThat(headless.path("spec").path("clusterIP").asText()).isEqualTo("None");
        assertThat(headless.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(port);
        assertThat(readinessPath(container)).isEqualTo("/health");
    }

    @Test
    void theWorkersAreCpuAndGpuDeploymentsOfTheWorkerMainWithTheirMetricsPortDeclared() throws Exception {
        List<JsonNode> workers = all("Deployment").stream()
                .filter(d -> mainClass(container(d)).equals(InferenceWorkerMain.class.getName())).toList();
        assertThat(workers).hasSize(2);
        Set<String> devices = new HashSet<>();
        for (JsonNode worker : workers) {
            JsonNode container = container(worker);
            assertThat(InferenceWorkerMain.class.getMethod("main", String[].class)).isNotNull();
            CommandLine.ParseResult parsed = new CommandLine(new WorkerCommand()).parseArgs(strings(container.path("args")).values().toArray(String[]::new));
            assertThat(parsed.unmatched()).as(id(worker)).isEmpty();
            assertThat(parsed.matchedOptionValue("--bootstrap-servers", "")).as(id(worker)).isEqualTo(bootstrapServers());
            assertThat(parsed.matchedOptionValue("--schema-registry", "")).as(id(worker)).isEqualTo(registryUrl());
            assertThat(parsed.matchedOptionValue("--metrics-address", "")).as(id(worker)).isEqualTo("0.0.0.0");
            int metricsPort = parsed.matchedOptionValue("--metrics-port", -1);
            assertThat(containerPorts(container)).as(id(worker)).containsEntry("metrics", metricsPort);
            assertThat(worker.path("spec").path("template").path("metadata").path("annotations").path("prometheus.io/port").asInt())
                    .as(id(worker)).isEqualTo(metricsPort);
            String device = parsed.matchedOptionValue("--device", "cpu");
            devices.add(device);
            boolean asksForGpu = container.path("resources").path("limits").has("nvidia.com/gpu");
            assertThat(asksForGpu).as(id(worker)).isEqualTo(device.equals("gpu"));
        }
        assertThat(devices).containsExactlyInAnyOrder("cpu", "gpu");
    }

    @Test
    void theSchemaRegistryIsTheProjectsOwnServingThePortItsServiceTargets() {
        JsonNode registry = all("Deployment").stream()
                .filter(d -> mainClass(container(d)).equals(SchemaRegistryMain.class.getName())).findFirst().orElseThrow();
        JsonNode container = container(registry);
        CommandLine.ParseResult parsed = new CommandLine(new SchemaRegistryMain()).parseArgs(strings(container.path("args")).values().toArray(String[]::new));
        assertThat(parsed.unmatched()).isEmpty();
        assertThat(parsed.matchedOptionValue("--bootstrap-servers", "")).isEqualTo(bootstrapServers());
        assertThat(parsed.matchedOptionValue("--host", "")).isEqualTo("0.0.0.0");
        assertThat(parsed.matchedOptionValue("--replication-factor", (short) 1).intValue()).isEqualTo(3);
        int port = parsed.matchedOptionValue("--port", -1);
        assertThat(containerPorts(container)).containsValue(port);
        assertThat(registryUrl()).endsWith(":" + port);
    }

    @Test
    void connectBuildsTheProjectsPluginAndEveryConnectorConfigIsOneItsConnectorAccepts() throws Exception {
        JsonNode connect = single("KafkaConnect");
        assertThat(strings(connect.path("metadata").path("annotations"))).containsEntry("strimzi.io/use-connector-resources", "true");
        assertThat(connect.path("spec").path("bootstrapServers").asText()).isEqualTo(bootstrapServers());
        assertThat(connect.path("spec").path("config").path("exactly.once.source.support").asText()).isEqualTo("enabled");
        String version;
        try (InputStream in = io.mycroft.connectors.OwnerConnectors.class.getResourceAsStream("/mycroft-connectors.properties")) {
            Properties p = new Properties();
            p.load(in);
            version = p.getProperty("version");
        }
        assertThat(connect.path("spec").path("build").path("plugins").findValuesAsText("url"))
                .singleElement().satisfies(url -> assertThat(url).endsWith("/mycroft-connectors-" + version + "-plugin.jar"));

        List<JsonNode> connectors = all("KafkaConnector");
        assertThat(connectors).isNotEmpty();
        Set<String> classes = new HashSet<>();
        for (JsonNode resource : connectors) {
            assertThat(resource.path("metadata").path("labels").path("strimzi.io/cluster").asText())
                    .isEqualTo(connect.path("metadata").path("name").asText());
            Connector connector = (Connector) Class.forName(resource.path("spec").path("class").asText()).getConstructor().newInstance();
            classes.add(connector.getClass().getSimpleName());
            Map<String, String> config = strings(resource.path("spec").path("config"));
            ConfigDef framework = connector instanceof SinkConnector ? SinkConnectorConfig.configDef() : SourceConnectorConfig.configDef();
            assertThat(config.keySet()).as(id(resource)).allSatisfy(key -> assertThat(
                    connector.config().names().contains(key) || framework.names().contains(key)).as(key).isTrue());
            connector.config().parse(config); // required keys present, values valid
            assertThat(config.get(SerdeConfig.REGISTRY_URL)).as(id(resource)).isEqualTo(registryUrl());
            if (!(connector instanceof SinkConnector)) {
                assertThat(config).as(id(resource)).containsEntry(SourceConnectorConfig.EXACTLY_ONCE_SUPPORT_CONFIG, "required");
            }
        }
        assertThat(classes).contains("OwnerDirectorySourceConnector", "OwnerJdbcSourceConnector", "SelectionSinkConnector");
    }

    /** A key the Streams app reads: Kafka Streams' own (clients' through their prefixes), internal topics', or ours. */
    private static boolean isStreamsSetting(String key) {
        if (MycroftStreamsConfig.defaults().containsKey(key) || StreamsConfig.configDef().names().contains(key)) {
            return true;
        }
        if (key.startsWith(StreamsConfig.TOPIC_PREFIX)) {
            return topicConfigNames().contains(key.substring(StreamsConfig.TOPIC_PREFIX.length()));
        }
        return false;
    }

    private static Set<String> topicConfigNames() {
        Set<String> names = new HashSet<>();
        for (Field f : TopicConfig.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getName().endsWith("_CONFIG")) {
                try {
                    names.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }

    private static String bootstrapServers() {
        JsonNode kafka = single("Kafka");
        JsonNode listener = kafka.path("spec").path("kafka").path("listeners").get(0);
        return kafka.path("metadata").path("name").asText() + "-kafka-bootstrap." + NAMESPACE + ".svc:" + listener.path("port").asInt();
    }

    private static String registryUrl() {
        JsonNode service = named("Service", "schema-registry");
        return "http://schema-registry." + NAMESPACE + ".svc:" + service.path("spec").path("ports").get(0).path("port").asInt();
    }

    private static Properties configMapFile(String path, JsonNode container, JsonNode pod) throws IOException {
        Path file = Path.of(path);
        String mountPath = file.getParent().toString();
        String volume = mounts(container).entrySet().stream().filter(e -> e.getValue().equals(mountPath))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("nothing mounted at " + mountPath));
        JsonNode podVolume = StreamSupport.stream(pod.path("spec").path("template").path("spec").path("volumes").spliterator(), false)
                .filter(v -> v.path("name").asText().equals(volume)).findFirst().orElseThrow();
        JsonNode configMap = named("ConfigMap", podVolume.path("configMap").path("name").asText());
        Properties properties = new Properties();
        properties.load(new StringReader(configMap.path("data").path(file.getFileName().toString()).asText()));
        assertThat(properties).as("%s in ConfigMap %s", file.getFileName(), configMap.path("metadata").path("name")).isNotEmpty();
        return properties;
    }

    private static List<String> substitutePodName(List<String> args) {
        // Kubernetes expands $(POD_NAME) from the env; the first pod of the StatefulSet is <name>-0.
        String pod = single("StatefulSet").path("metadata").path("name").asText() + "-0";
        return args.stream().map(a -> a.replace("$(POD_NAME)", pod)).toList();
    }

    private static String mainClass(JsonNode container) {
        List<String> command = strings(container.path("command")).values().stream().toList();
        return command.get(command.size() - 1);
    }

    private static JsonNode container(JsonNode workload) {
        JsonNode containers = workload.path("spec").path("template").path("spec").path("containers");
        assertThat(containers.size()).as(id(workload)).isEqualTo(1);
        return containers.get(0);
    }

    private static Map<String, Integer> containerPorts(JsonNode container) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
        return ports;
    }

    private static Map<String, String> mounts(JsonNode container) {
        Map<String, String> mounts = new HashMap<>();
        container.path("volumeMounts").forEach(m -> mounts.put(m.path("name").asText(), m.path("mountPath").asText()));
        return mounts;
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(),
                e.has("value") ? e.path("value").asText() : e.path("valueFrom").path("fieldRef").path("fieldPath").asText()));
        return env;
    }

    private static String readinessPath(JsonNode container) {
        return container.path("readinessProbe").path("httpGet").path("path").asText();
    }

    /** An object's fields, or an array's items by index, as strings. */
    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> values = new LinkedHashMap<>();
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                values.put(Integer.toString(i), node.get(i).asText());
            }
        } else {
            node.properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
        }
        return values;
    }

    private static List<JsonNode> all(String... kinds) {
        List<String> wanted = Arrays.asList(kinds);
        return DOCS.stream().filter(d -> wanted.contains(d.path("kind").asText())).toList();
    }

    private static JsonNode single(String kind) {
        assertThat(all(kind)).as(kind).hasSize(1);
        return all(kind).get(0);
    }

    private static JsonNode named(String kind, String name) {
        return all(kind).stream().filter(d -> d.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static Set<String> kinds() {
        return DOCS.stream().map(d -> d.path("kind").asText()).collect(Collectors.toSet());
    }

    private static String id(JsonNode doc) {
        return doc.path("kind").asText() + " " + doc.path("metadata").path("name").asText();
    }
}
