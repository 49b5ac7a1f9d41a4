package io.mycroft.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

/**
 * The local stack: a KRaft broker+controller, the schema registry and a Kafka Connect worker, each a child JVM with its
 * config, log, pid file and data under one work directory:
 * <pre>
 * stack.properties     ports, endpoints and pids ({@link StackProperties})
 * config/              server.properties, connect-worker.properties, log4j2.properties (rewritten by every up)
 * logs/NAME.log        stdout and stderr of each child
 * pids/NAME.pid
 * kafka/               the broker's log.dirs
 * kafka-N/, config/server-N.properties, logs/broker-N.log, pids/broker-N.pid   KRaft node N ≥ 2 (--brokers 3)
 * plugins/             Connect's plugin.path
 * credentials.properties, tls/   a secure stack's passwords ({@link StackSecurity}) and TLS material ({@link StackTls})
 * </pre>
 */
public final class LocalStack {
    public enum State { UP, NOT_READY, DOWN }

    /**
     * One line of {@code ./mycroft stack status}: {@code name} is the component's id, or {@code broker-N} for KRaft node
     * N ≥ 2 of a cluster; {@code port} is 0 when the stack was never started.
     */
    public record ComponentStatus(String name, Component component, State state, OptionalLong pid, int port, String endpoint,
                                  Path log) {
    }

    private static final String STORAGE_TOOL = "kafka.tools.StorageTool";
    private static final Duration POLL = Duration.ofMillis(250);
    private static final String CONFIG_HEADER = "# Written by ./mycroft stack up from StackConfigs; edits are overwritten.\n";

    private final Path workDir;
    private final String classpath;
    private final Consumer<String> out;
    /** KRaft nodes of a new stack; 0 = as the existing stack has them, 1 for a new one. */
    private final int brokers;
    /** Start a new stack with SASL/SCRAM and ACLs ({@link StackSecurity}); an existing stack keeps what it was made with. */
    private final boolean secure;
    /** With {@link #secure}: a new stack's client listener is SASL_SSL with a certificate of its own CA ({@link StackTls}). */
    private final boolean tls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** Children run on this JVM's class path, so whatever the caller can load (connectors, the registry) they can too. */
    public LocalStack(Path workDir, Consumer<String> out) {
        this(workDir, out, 0);
    }

    /**
     * A stack of {@code brokers} KRaft nodes (1, or 3 for a cluster that survives the loss of one: see
     * {@link StackConfigs#broker}); 0 takes the existing stack's count. The count is fixed when the stack is created.
     */
    public LocalStack(Path workDir, Consumer<String> out, int brokers) {
        this(workDir, out, brokers, false);
    }

    /** With {@code secure}, a new stack authenticates every client and authorizes it by ACLs ({@link StackAcls}). */
    public LocalStack(Path workDir, Consumer<String> out, int brokers, boolean secure) {
        this(workDir, out, brokers, secure, false);
    }

    /** With {@code tls} too, a new secure stack's clients connect over TLS, trusting a CA generated for the stack. */
    public LocalStack(Path workDir, Consumer<String> out, int brokers, boolean secure, boolean tls) {
        if (brokers < 0) {
            throw new StackException("--brokers must be 1 or more, was " + brokers);
        }
        if (tls && !secure) {
            throw new StackException("--tls needs a secure stack: TLS carries its SASL logins (drop --insecure)");
        }
        this.workDir = workDir.toAbsolutePath().normalize();
        this.classpath = System.getProperty("java.class.path");
        this.out = out;
        this.brokers = brokers;
        this.secure = secure;
        this.tls = tls;
    }

    public Path workDir() {
        return workDir;
    }

    public Path logFile(Component component) {
        return logFile(component.id());
    }

    /**
     * Starts whatever is not running, waits until every component answers and creates the project's topics. Harmless
     * when the stack is already up. With {@code fresh}, stops the stack and deletes the work directory first.
     */
    public StackProperties up(boolean fresh) {
        long start = System.nanoTime();
        if (fresh) {
            wipe();
        }
        for (String dir : List.of("config", "logs", "pids", "kafka", "plugins")) {
            createDirectories(workDir.resolve(dir));
        }
        // Ports are kept across restarts: the controller's address is part of the formatted KRaft metadata.
        StackProperties stack = StackProperties.read(workDir).orElseGet(() -> newStack(Math.max(1, brokers)));
        if (brokers > 0 && stack.brokers() != brokers) {
            throw new StackException("the stack in " + workDir + " has " + stack.brokers() + " broker(s), not " + brokers
                    + ": run ./mycroft stack up --fresh --brokers " + brokers + " to start over (this deletes its data)");
        }
        if (secure && stack.security().isEmpty()) {
            if (Files.exists(dataDir(1).resolve("meta.properties"))) {
                throw new StackException("the stack in " + workDir + " was created without security: run ./mycroft stack up"
                        + " --fresh to start it over secure (this deletes its data), or pass --insecure to keep using it");
            }
            StackSecurity.createIfAbsent(workDir);
            stack.setCredentialsFile(workDir.resolve(StackSecurity.FILE_NAME));
        }
        if (tls && stack.caCertificate().isEmpty()) {
            if (Files.exists(dataDir(1).resolve("meta.properties"))) {
                throw new StackException("the stack in " + workDir + " was created without --tls: run ./mycroft stack up"
                        + " --fresh --tls to start over (this deletes its data)");
            }
            stack.setCaCertificate(StackTls.createIfAbsent(workDir).caCertificate());
            out.accept("tls: a local CA and the broker's certificate in " + workDir.resolve(StackTls.DIR));
        }
        if (stack.security().isPresent()) {
            // The configs hold the admin's password (the broker's JAAS) and the keystore's.
            ownerOnly(workDir.resolve("config"));
        }
        stack.store(workDir);
        stack.writeClientFiles();
        writeConfigs(stack);

        // All nodes at once: with several, none is ready before a quorum of controllers is up.
        ProcessHandle broker = ensureStarted(Component.BROKER, stack);
        for (int node = 2; node <= stack.brokers(); node++) {
            ensureBrokerNode(stack, node);
        }
        try (Admin admin = admin(stack)) {
            awaitReady(Component.BROKER, stack, broker, () -> brokerReady(admin, stack.brokers()));
            if (stack.security().isPresent()) {
                // Before the registry and Connect start: they log in as principals that only these ACLs let in.
                StackAcls.ensureServiceAcls(admin, out);
            }
            // The registry and Connect start side by side; topics are created while they boot.
            ProcessHandle registry = ensureStarted(Component.REGISTRY, stack);
            ProcessHandle connect = ensureStarted(Component.CONNECT, stack);
            StackTopics.ensure(admin, out);
            awaitReady(Component.REGISTRY, stack, registry, () -> registryReady(stack));
            awaitReady(Component.CONNECT, stack, connect, () -> connectReady(stack));
        }
        out.accept(String.format("stack up in %.1f s (work dir %s)", seconds(start), workDir));
        return stack;
    }

    /** Stops exactly the processes recorded in the pid files (Connect and the registry first, then the broker). */
    public void down() {
        long start = System.nanoTime();
        // Both need the broker to leave cleanly (Connect commits offsets, leaves its group).
        stop(List.of(Component.CONNECT, Component.REGISTRY), StackConfigs.STOP_TIMEOUT);
        stop(List.of(Component.BROKER), StackConfigs.STOP_TIMEOUT);
        stopBrokerNodes(StackConfigs.STOP_TIMEOUT);
        forgetPids();
        out.accept(String.format("stack down in %.1f s", seconds(start)));
    }

    /**
     * Stops every process at once, with a short grace period, for a stack whose data is thrown away next: a test JVM's
     * shutdown hook has to finish within Surefire's 30 s exit limit or the JVM is halted with children still running.
     */
    public void abandon() {
        stop(List.of(Component.values()), StackConfigs.ABANDON_TIMEOUT);
        stopBrokerNodes(StackConfigs.ABANDON_TIMEOUT);
        forgetPids();
    }

    private void forgetPids() {
        StackProperties.read(workDir).ifPresent(stack -> {
            for (Component component : Component.values()) {
                stack.setPid(component, OptionalLong.empty());
            }
            for (int node = 2; node <= stack.brokers(); node++) {
                stack.setBrokerPid(node, OptionalLong.empty());
            }
            stack.store(workDir);
        });
    }

    /** Each component's (and each KRaft node's) pid, port and whether it answers now. */
    public List<ComponentStatus> status() {
        Optional<StackProperties> stack = StackProperties.read(workDir);
        List<ComponentStatus> statuses = new ArrayList<>();
        for (Component component : Component.values()) {
            Optional<ProcessHandle> process = running(component);
            statuses.add(new ComponentStatus(component.id(), component,
                    state(process, stack, stack.isPresent() && ready(component, stack.get())),
                    process.map(p -> OptionalLong.of(p.pid())).orElse(OptionalLong.empty()),
                    stack.map(s -> s.port(component)).orElse(0),
                    stack.map(s -> s.endpoint(component)).orElse("-"),
                    logFile(component)));
        }
        Set<Integer> registered = stack.map(LocalStack::registeredNodes).orElse(Set.of());
        for (int node = 2; node <= stack.map(StackProperties::brokers).orElse(1); node++) {
            String id = StackConfigs.brokerId(node);
            Optional<ProcessHandle> process = running(id);
            int port = stack.get().brokerPort(node);
            statuses.add(new ComponentStatus(id, Component.BROKER, state(process, stack, registered.contains(node)),
                    process.map(p -> OptionalLong.of(p.pid())).orElse(OptionalLong.empty()), port,
                    StackProperties.HOST + ":" + port, logFile(id)));
        }
        return statuses;
    }

    private static State state(Optional<ProcessHandle> process, Optional<StackProperties> stack, boolean ready) {
        return process.isEmpty() || stack.isEmpty() ? State.DOWN : ready ? State.UP : State.NOT_READY;
    }

    /** The KRaft node ids registered as brokers now; none if the cluster does not answer. */
    private static Set<Integer> registeredNodes(StackProperties stack) {
        try (Admin admin = admin(stack)) {
            return admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).stream().map(Node::id).collect(Collectors.toSet());
        } catch (Exception e) {
            return Set.of();
        }
    }

    private static StackProperties newStack(int brokers) {
        int[] ports = ChildProcesses.freePorts(2 * brokers + 2);
        return StackProperties.of(Uuid.randomUuid().toString(), Arrays.copyOfRange(ports, 0, brokers),
                Arrays.copyOfRange(ports, brokers, 2 * brokers), ports[2 * brokers], ports[2 * brokers + 1]);
    }

    private void writeConfigs(StackProperties stack) {
        for (int node = 1; node <= stack.brokers(); node++) {
            writeProperties(serverProperties(node), StackConfigs.broker(stack, node, dataDir(node), stack.security(),
                    stack.caCertificate().map(ca -> StackTls.load(workDir.resolve(StackTls.DIR)))));
        }
        writeProperties(configFile("connect-worker.properties"), StackConfigs.connect(stack, workDir.resolve("plugins")));
        stack.security().ifPresent(security -> security.writeConnectRestLogin(workDir.resolve("config")));
        writeString(configFile("log4j2.properties"), StackConfigs.log4j2());
    }

    private ProcessHandle ensureStarted(Component component, StackProperties stack) {
        Optional<ProcessHandle> running = running(component);
        if (running.isPresent()) {
            out.accept(component + " already running (pid " + running.get().pid() + ")");
            return running.get();
        }
        List<String> args = switch (component) {
            case BROKER -> {
                ChildProcesses.requireFree(stack.port(Component.BROKER), "broker");
                ChildProcesses.requireFree(stack.controllerPort(), "KRaft controller");
                formatStorageOnce(stack, 1);
                yield List.of(serverProperties(1).toString());
            }
            case REGISTRY -> {
                ChildProcesses.requireFree(stack.port(Component.REGISTRY), "schema registry");
                yield StackConfigs.registryArgs(stack);
            }
            case CONNECT -> {
                ChildProcesses.requireFree(stack.port(Component.CONNECT), "Connect REST");
                yield List.of(configFile("connect-worker.properties").toString());
            }
        };
        List<String> jvmFlags = new ArrayList<>(StackConfigs.jvmFlags(component, configFile("log4j2.properties")));
        if (component == Component.CONNECT && stack.security().isPresent()) {
            jvmFlags.add("-Djava.security.auth.login.config=" + configFile(StackSecurity.CONNECT_REST_JAAS));
        }
        Process process = ChildProcesses.start(workDir, component, classpathOf(component, stack), jvmFlags,
                component.mainClass(), args, logFile(component));
        writeString(pidFile(component), process.pid() + "\n");
        stack.setPid(component, OptionalLong.of(process.pid()));
        stack.store(workDir);
        out.accept("started " + component + " (pid " + process.pid() + "), log " + logFile(component));
        return process.toHandle();
    }

    /**
     * A secure stack's Connect runs without connect-file: FileStreamSource/Sink would let whoever may create a connector
     * read and write files on the host.
     */
    private String classpathOf(Component component, StackProperties stack) {
        if (component != Component.CONNECT || stack.security().isEmpty()) {
            return classpath;
        }
        return Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("connect-file-"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** KRaft node {@code node} ≥ 2 of a cluster, started like the broker unless its pid file names a live process. */
    private void ensureBrokerNode(StackProperties stack, int node) {
        String id = StackConfigs.brokerId(node);
        Optional<ProcessHandle> running = running(id);
        if (running.isPresent()) {
            out.accept(id + " already running (pid " + running.get().pid() + ")");
            return;
        }
        ChildProcesses.requireFree(stack.brokerPort(node), id);
        ChildProcesses.requireFree(stack.controllerPort(node), id + " KRaft controller");
        formatStorageOnce(stack, node);
        Process process = ChildProcesses.start(workDir, id, classpath,
                StackConfigs.jvmFlags(Component.BROKER, configFile("log4j2.properties")), Component.BROKER.mainClass(),
                List.of(serverProperties(node).toString()), logFile(id));
        writeString(pidFile(id), process.pid() + "\n");
        stack.setBrokerPid(node, OptionalLong.of(process.pid()));
        stack.store(workDir);
        out.accept("started " + id + " (pid " + process.pid() + "), log " + logFile(id));
    }

    private void stopBrokerNodes(Duration timeout) {
        Map<String, ProcessHandle> running = new LinkedHashMap<>();
        int nodes = StackProperties.read(workDir).map(StackProperties::brokers).orElse(1);
        for (int node = 2; node <= nodes; node++) {
            String id = StackConfigs.brokerId(node);
            running(id).ifPresent(p -> running.put(id, p));
        }
        List<ProcessHandle> killed = ChildProcesses.stop(List.copyOf(running.values()), timeout);
        running.forEach((id, process) -> {
            pidFile(id).toFile().delete();
            out.accept((killed.contains(process) ? "killed " : "stopped ") + id + " (pid " + process.pid() + ")");
        });
    }

    /**
     * KRaft storage is formatted once per node and work directory; the cluster id comes from stack.properties. One node
     * is its own dynamic quorum ({@code --standalone}); a cluster's static quorum is in its server properties.
     */
    private void formatStorageOnce(StackProperties stack, int node) {
        if (Files.exists(dataDir(node).resolve("meta.properties"))) {
            return;
        }
        List<String> args = new ArrayList<>(List.of("format", "-t", stack.clusterId(), "-c", serverProperties(node).toString()));
        if (stack.brokers() == 1) {
            args.add("--standalone");
        }
        // SCRAM users live in the cluster metadata: the services' are written there before the first start.
        stack.security().ifPresent(security -> {
            for (StackSecurity.Principal principal : StackSecurity.Principal.values()) {
                args.addAll(List.of("--add-scram", StackSecurity.MECHANISM + "=[name=" + principal.user() + ",password="
                        + security.password(principal) + "]"));
            }
        });
        String id = StackConfigs.brokerId(node);
        Process format = ChildProcesses.start(workDir, id, classpath,
                StackConfigs.jvmFlags(Component.BROKER, configFile("log4j2.properties")), STORAGE_TOOL, args, logFile(id));
        try {
            if (!format.waitFor(StackConfigs.FORMAT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                format.destroyForcibly();
                throw new StackException("formatting the storage of " + id + " took over "
                        + StackConfigs.FORMAT_TIMEOUT.toSeconds() + " s; see " + logFile(id));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while formatting the storage of " + id, e);
        }
        if (format.exitValue() != 0) {
            throw new StackException("formatting the storage of " + id + " failed (exit code " + format.exitValue() + "). Last lines of "
                    + logFile(id) + ":\n  " + String.join("\n  ", LogTail.lastLines(logFile(id), 15)));
        }
    }

    private void awaitReady(Component component, StackProperties stack, ProcessHandle process, BooleanSupplier ready) {
        long start = System.nanoTime();
        long deadline = start + StackConfigs.READY_TIMEOUT.get(component).toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                pidFile(component).toFile().delete();
                throw new StackException(component + " (pid " + process.pid() + ") exited during startup"
                        + lastLinesOf(component) + "\nFix the cause, then run ./mycroft stack up again.");
            }
            if (System.nanoTime() > deadline) {
                throw new StackException(component + " (pid " + process.pid() + ") is running but not ready after "
                        + StackConfigs.READY_TIMEOUT.get(component).toSeconds() + " s; see " + logFile(component)
                        + ". ./mycroft stack down stops the stack.");
            }
            sleep(POLL);
        }
        out.accept(String.format("%s ready at %s (%.1f s)", component, stack.endpoint(component), seconds(start)));
    }

    private boolean ready(Component component, StackProperties stack) {
        return switch (component) {
            case BROKER -> registeredNodes(stack).contains(1);
            case REGISTRY -> registryReady(stack);
            case CONNECT -> connectReady(stack);
        };
    }

    /** Every node has registered as a broker. */
    private static boolean brokerReady(Admin admin, int nodes) {
        try {
            return admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size() >= nodes;
        } catch (Exception e) {
            return false;
        }
    }

    private boolean registryReady(StackProperties stack) {
        return httpOk(stack, stack.schemaRegistryUrl() + "/subjects");
    }

    /** The REST server is up, plugins are loaded, and the worker has joined its group (/connectors answers). */
    private boolean connectReady(StackProperties stack) {
        String url = stack.connectUrl();
        return httpOk(stack, url + "/") && httpOk(stack, url + "/connector-plugins") && httpOk(stack, url + "/connectors");
    }

    /** GET {@code url} answers 200; on a secure stack, asked as the admin. */
    private boolean httpOk(StackProperties stack, String url) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET();
        stack.security().ifPresent(security -> request.header("Authorization", security.basicAuthorization(StackSecurity.Principal.ADMIN)));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Admin admin(StackProperties stack) {
        Properties config = new Properties();
        config.putAll(stack.clientConfig(StackSecurity.Principal.ADMIN));
        // Short timeouts: readiness polls and status must not hang on a broker that is not there.
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "250");
        return Admin.create(config);
    }

    private void stop(List<Component> components, Duration timeout) {
        Map<Component, ProcessHandle> running = new EnumMap<>(Component.class);
        for (Component component : components) {
            running(component).ifPresentOrElse(p -> running.put(component, p),
                    () -> out.accept(component + " not running"));
        }
        List<ProcessHandle> killed = ChildProcesses.stop(List.copyOf(running.values()), timeout);
        running.forEach((component, process) -> {
            pidFile(component).toFile().delete();
            out.accept(killed.contains(process)
                    ? "killed " + component + " (pid " + process.pid() + "): still running "
                            + timeout.toSeconds() + " s after SIGTERM"
                    : "stopped " + component + " (pid " + process.pid() + ")");
        });
    }

    /** The component's process if its pid file names a live process of this stack; a stale pid file is removed. */
    private Optional<ProcessHandle> running(Component component) {
        return running(component.id());
    }

    private Optional<ProcessHandle> running(String id) {
        Path pidFile = pidFile(id);
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        Optional<ProcessHandle> process = ChildProcesses.find(Long.parseLong(readString(pidFile).trim()), workDir, id);
        if (process.isEmpty()) {
            pidFile.toFile().delete();
        }
        return process;
    }

    /** Stops the stack and deletes the work directory, after checking it is one. */
    private void wipe() {
        if (!Files.exists(workDir)) {
            return;
        }
        if (!Files.exists(workDir.resolve(StackProperties.FILE_NAME)) && !isEmptyDirectory(workDir)) {
            throw new StackException("refusing to delete " + workDir + ": it has no " + StackProperties.FILE_NAME
                    + ", so it is not a stack work directory");
        }
        down();
        try (Stream<Path> paths = Files.walk(workDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + workDir, e);
        }
        out.accept("deleted " + workDir);
    }

    private String lastLinesOf(Component component) {
        return ". Last lines of " + logFile(component) + ":\n  "
                + String.join("\n  ", LogTail.lastLines(logFile(component), 15));
    }

    private Path configFile(String name) {
        return workDir.resolve("config").resolve(name);
    }

    private Path pidFile(Component component) {
        return pidFile(component.id());
    }

    private Path pidFile(String id) {
        return workDir.resolve("pids").resolve(id + ".pid");
    }

    private Path logFile(String id) {
        return workDir.resolve("logs").resolve(id + ".log");
    }

    private Path serverProperties(int node) {
        return configFile(node == 1 ? "server.properties" : "server-" + node + ".properties");
    }

    private Path dataDir(int node) {
        return workDir.resolve(node == 1 ? "kafka" : "kafka-" + node);
    }

    private static void writeProperties(Path file, Map<String, String> config) {
        writeString(file, config.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", CONFIG_HEADER, "\n")));
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static void ownerOnly(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict " + dir, e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private static void writeString(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while waiting for the stack");
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
