package io.mycroft.stack;

import io.mycroft.schemas.serde.SerdeConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The endpoints of a running local stack, as written by {@link LocalStack#up} to {@code <workdir>/stack.properties}.
 * Every command that talks to the stack reads it through {@link #load(Path)}.
 */
public final class StackProperties {
    /** Loopback only: the stack is for one machine and must not be reachable from the network. */
    static final String HOST = "127.0.0.1";
    public static final String FILE_NAME = "stack.properties";
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String CONNECT_URL = "connect.url";
    static final String CLUSTER_ID = "cluster.id";
    static final String BROKER_PORT = "broker.port";
    static final String CONTROLLER_PORT = "broker.controller.port";
    static final String REGISTRY_PORT = "registry.port";
    static final String CONNECT_PORT = "connect.port";
    /** Number of KRaft nodes (each broker and controller); absent in files written before it existed: 1. */
    static final String BROKERS = "brokers";
    /** Absent on a stack without authentication; else the {@link StackSecurity} credentials file. */
    public static final String CREDENTIALS_FILE = "credentials.file";
    /** Absent on a stack without TLS; else the CA certificate ({@link StackTls}) clients trust. */
    public static final String CA_CERTIFICATE = "tls.ca.certificate";

    private static final String HEADER = "# Mycroft local stack: written by ./mycroft stack up, read by every other command\n";

    private final Properties values;
    /** Where the file was read from or last written to. */
    private Path workDir;

    private StackProperties(Properties values) {
        this.values = values;
    }

    /**
     * The work directory when none is given: {@code $MYCROFT_WORK_DIR}, else {@code .mycroft} under {@code $MYCROFT_HOME}
     * (set by the {@code ./mycroft} script to the repository root), else {@code ./.mycroft}.
     */
    public static Path defaultWorkDir() {
        String workDir = System.getenv("MYCROFT_WORK_DIR");
        if (workDir != null && !workDir.isBlank()) {
            return Path.of(workDir);
        }
        String home = System.getenv("MYCROFT_HOME");
        return (home == null || home.isBlank() ? Path.of(".") : Path.of(home)).resolve(".mycroft").normalize();
    }

    /** Reads the stack file of {@code workDir}; fails with a hint to start the stack if there is none. */
    public static StackProperties load(Path workDir) {
        return read(workDir).orElseThrow(() -> new StackException(
                "no " + FILE_NAME + " in " + workDir + ": start the stack first with ./mycroft stack up"));
    }

    static Optional<StackProperties> read(Path workDir) {
        Optional<StackProperties> stack = loadProperties(workDir.resolve(FILE_NAME)).map(StackProperties::new);
        stack.ifPresent(s -> s.workDir = workDir);
        return stack;
    }

    /** A properties file's entries, or empty when there is no such file. */
    static Optional<Properties> loadProperties(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties values = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            values.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return Optional.of(values);
    }

    /** A new one-broker stack's ports, all on 127.0.0.1. */
    static StackProperties of(String clusterId, int brokerPort, int controllerPort, int registryPort, int connectPort) {
        return of(clusterId, new int[] {brokerPort}, new int[] {controllerPort}, registryPort, connectPort);
    }

    /**
     * A new stack of {@code brokerPorts.length} nodes, each a broker and a controller: node 1 keeps the one-broker keys
     * ({@code broker.port}, {@code broker.controller.port}), node n ≥ 2 has {@code broker.n.port} and
     * {@code broker.n.controller.port}; {@code bootstrap.servers} names every broker.
     */
    static StackProperties of(String clusterId, int[] brokerPorts, int[] controllerPorts, int registryPort, int connectPort) {
        Properties values = new Properties();
        values.setProperty(CLUSTER_ID, clusterId);
        values.setProperty(BROKERS, Integer.toString(brokerPorts.length));
        for (int node = 1; node <= brokerPorts.length; node++) {
            values.setProperty(brokerPortKey(node), Integer.toString(brokerPorts[node - 1]));
            values.setProperty(controllerPortKey(node), Integer.toString(controllerPorts[node - 1]));
        }
        values.setProperty(REGISTRY_PORT, Integer.toString(registryPort));
        values.setProperty(CONNECT_PORT, Integer.toString(connectPort));
        values.setProperty(BOOTSTRAP_SERVERS, Arrays.stream(brokerPorts).mapToObj(p -> HOST + ":" + p)
                .collect(Collectors.joining(",")));
        values.setProperty(SCHEMA_REGISTRY_URL, "http://" + HOST + ":" + registryPort);
        values.setProperty(CONNECT_URL, "http://" + HOST + ":" + connectPort);
        return new StackProperties(values);
    }

    /**
     * Writes plain sorted {@code key=value} lines (no {@code \:} escapes, unlike {@link Properties#store}) so shell
     * and node scripts can read the file too.
     */
    void store(Path workDir) {
        this.workDir = workDir;
        Path file = workDir.resolve(FILE_NAME);
        Path tmp = workDir.resolve(FILE_NAME + ".tmp");
        String lines = new TreeMap<>(values).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", HEADER, "\n"));
        try {
            Files.writeString(tmp, lines);
            // Replace in one step so a concurrent reader never sees half a file.
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The stack's work directory (stack.properties, credentials, the REST tokens of a secure stack). */
    public Path workDir() {
        return workDir;
    }

    public String bootstrapServers() {
        return values.getProperty(BOOTSTRAP_SERVERS);
    }

    public String schemaRegistryUrl() {
        return values.getProperty(SCHEMA_REGISTRY_URL);
    }

    public String connectUrl() {
        return values.getProperty(CONNECT_URL);
    }

    /** The stack's credentials when it was started with {@code --secure}. */
    public Optional<StackSecurity> security() {
        String file = values.getProperty(CREDENTIALS_FILE);
        return file == null ? Optional.empty() : Optional.of(StackSecurity.load(Path.of(file)));
    }

    /**
     * The settings a Kafka client of {@code principal} needs: the bootstrap servers, plus SASL/SCRAM with the principal's
     * password on a secure stack, plus TLS trusting the stack's CA when it has one.
     */
    public Map<String, String> clientConfig(StackSecurity.Principal principal) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put(BOOTSTRAP_SERVERS, bootstrapServers());
        security().ifPresent(s -> config.putAll(s.clientConfig(principal)));
        caCertificate().ifPresent(ca -> config.putAll(StackTls.clientConfig(ca)));
        return config;
    }

    /** The settings of a Kafka client logging in as any SCRAM user (an owner, a trainer), over TLS when the stack has it. */
    public Map<String, String> clientConfig(String user, String password) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put(BOOTSTRAP_SERVERS, bootstrapServers());
        config.putAll(StackSecurity.clientConfig(user, password));
        caCertificate().ifPresent(ca -> config.putAll(StackTls.clientConfig(ca)));
        return config;
    }

    /** Where {@link #writeClientFiles} keeps the service principals' client configs: {@code <workDir>/clients}. */
    public static final String CLIENTS_DIR = "clients";

    /** The client config file of {@code principal} ({@link #writeClientFiles}), e.g. for a worker's {@code --client-config}. */
    public static Path clientFile(Path workDir, StackSecurity.Principal principal) {
        return workDir.resolve(CLIENTS_DIR).resolve(principal.user() + ".properties");
    }

    /**
     * On a secure stack, writes each service principal's (and the admin's) complete client config, Kafka login and
     * registry login, to {@link #clientFile} (directory 700, files 600): what a command started outside the CLI's
     * own JVM (a worker, a trainer's command) is given with {@code --client-config}.
     */
    void writeClientFiles() {
        if (security().isEmpty()) {
            return;
        }
        for (StackSecurity.Principal principal : StackSecurity.Principal.values()) {
            Map<String, String> config = new TreeMap<>(clientConfig(principal));
            config.putAll(registryConfig(principal));
            String lines = "# " + principal.user() + "'s client config for this local stack: secret, written by ./mycroft stack up\n"
                    + config.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + "\n").collect(Collectors.joining());
            Path file = clientFile(workDir, principal);
            try {
                Files.createDirectories(file.getParent(), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + file.getParent(), e);
            }
            StackSecurity.writeOwnerOnly(file, lines);
        }
    }

    /** The CA certificate clients trust when the stack was started with {@code --tls}. */
    public Optional<Path> caCertificate() {
        return Optional.ofNullable(values.getProperty(CA_CERTIFICATE)).map(Path::of);
    }

    void setCaCertificate(Path file) {
        values.setProperty(CA_CERTIFICATE, file.toAbsolutePath().toString());
    }

    /**
     * The settings the project's serdes need to use the registry as {@code principal}: its URL, plus HTTP Basic
     * credentials on a secure stack (the registry then refuses anonymous calls).
     */
    public Map<String, String> registryConfig(StackSecurity.Principal principal) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put(SerdeConfig.REGISTRY_URL, schemaRegistryUrl());
        security().ifPresent(s -> {
            config.put(SerdeConfig.CREDENTIALS_SOURCE, SerdeConfig.SOURCE_USER_INFO);
            config.put(SerdeConfig.USER_INFO, principal.user() + ":" + s.password(principal));
        });
        return config;
    }

    void setCredentialsFile(Path file) {
        values.setProperty(CREDENTIALS_FILE, file.toAbsolutePath().toString());
    }

    /** The pid of a component as last started by {@code up}; empty after {@code down}. */
    public OptionalLong pid(Component component) {
        String pid = values.getProperty(pidKey(component));
        return pid == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(pid));
    }

    /** The port the component serves clients on. */
    public int port(Component component) {
        return switch (component) {
            case BROKER -> intValue(BROKER_PORT);
            case REGISTRY -> intValue(REGISTRY_PORT);
            case CONNECT -> intValue(CONNECT_PORT);
        };
    }

    /** The address clients use: {@code host:port} for the broker, a URL for the others. */
    public String endpoint(Component component) {
        return switch (component) {
            case BROKER -> bootstrapServers();
            case REGISTRY -> schemaRegistryUrl();
            case CONNECT -> connectUrl();
        };
    }

    int controllerPort() {
        return intValue(CONTROLLER_PORT);
    }

    /** How many KRaft nodes the stack has (1, or 3 with {@code stack up --brokers 3}). */
    public int brokers() {
        return values.getProperty(BROKERS) == null ? 1 : intValue(BROKERS);
    }

    /** The client port of KRaft node {@code node} (1-based). */
    int brokerPort(int node) {
        return intValue(brokerPortKey(node));
    }

    /** The controller port of KRaft node {@code node} (1-based). */
    int controllerPort(int node) {
        return intValue(controllerPortKey(node));
    }

    /** Records the pid of KRaft node {@code node} ≥ 2 (node 1 is {@link Component#BROKER}); empty after {@code down}. */
    void setBrokerPid(int node, OptionalLong pid) {
        if (pid.isPresent()) {
            values.setProperty(StackConfigs.brokerId(node) + ".pid", Long.toString(pid.getAsLong()));
        } else {
            values.remove(StackConfigs.brokerId(node) + ".pid");
        }
    }

    private static String brokerPortKey(int node) {
        return node == 1 ? BROKER_PORT : "broker." + node + ".port";
    }

    private static String controllerPortKey(int node) {
        return node == 1 ? CONTROLLER_PORT : "broker." + node + ".controller.port";
    }

    String clusterId() {
        return values.getProperty(CLUSTER_ID);
    }

    void setPid(Component component, OptionalLong pid) {
        if (pid.isPresent()) {
            values.setProperty(pidKey(component), Long.toString(pid.getAsLong()));
        } else {
            values.remove(pidKey(component));
        }
    }

    /** A copy of every key, e.g. to pass {@code bootstrap.servers} straight into client configs. */
    public Properties asProperties() {
        Properties copy = new Properties();
        copy.putAll(values);
        return copy;
    }

    private int intValue(String key) {
        String value = values.getProperty(key);
        if (value == null) {
            throw new StackException(FILE_NAME + " has no " + key
                    + ": remove the work directory or run ./mycroft stack up --fresh");
        }
        return Integer.parseInt(value);
    }

    private static String pidKey(Component component) {
        return component.id() + ".pid";
    }
}
