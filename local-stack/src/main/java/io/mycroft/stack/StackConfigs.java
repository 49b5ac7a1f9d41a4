package io.mycroft.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Every setting of the local stack's child processes, in one place. */
final class StackConfigs {
    static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    /** Generous: each is ready in 2-10 s when idle, but took 15-25 s on 2 cores busy with parallel builds. */
    static final Map<Component, Duration> READY_TIMEOUT = Map.of(
            Component.BROKER, Duration.ofSeconds(120),
            Component.REGISTRY, Duration.ofSeconds(120),
            // Connect scans plugins, creates its three topics and joins its group before it answers.
            Component.CONNECT, Duration.ofSeconds(180));
    /** SIGTERM first so the broker shuts down cleanly (no log recovery on the next start); SIGKILL after this. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** For {@link LocalStack#abandon()}: all three in parallel must end well inside Surefire's 30 s exit limit. */
    static final Duration ABANDON_TIMEOUT = Duration.ofSeconds(10);

    private StackConfigs() {
    }

    /** JVM flags shared by every child; the heap comes from {@link Component#heapMb()}. */
    static List<String> jvmFlags(Component component, Path log4jConfig) {
        return List.of(
                "-Xmx" + component.heapMb() + "m",
                // A child out of memory should die (and be reported) rather than limp on.
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + log4jConfig.toAbsolutePath());
    }

    /**
     * KRaft node {@code node} (1-based), broker and controller in one process (DESIGN §6). One node: a dynamic quorum of
     * itself, replication factor and min ISR 1 everywhere. Several: a static quorum of all nodes, and every topic,
     * internal ones included, replicated to 3 (at most the node count) with {@code min.insync.replicas=2}, so losing
     * one node loses nothing and stops nothing.
     */
    static Map<String, String> broker(StackProperties ports, int node, Path dataDir) {
        return broker(ports, node, dataDir, Optional.empty());
    }

    /**
     * With {@code security}: the client listener takes SASL/SCRAM-SHA-512 only, the controller listener SASL/PLAIN for
     * the admin only (KRaft controllers cannot use SCRAM), every request is authorized by ACLs (none found: denied), and
     * the admin principal, which the broker itself uses, is the one super user.
     */
    static Map<String, String> broker(StackProperties ports, int node, Path dataDir, Optional<StackSecurity> security) {
        return broker(ports, node, dataDir, security, Optional.empty());
    }

    /** With {@code tls} too (only with {@code security}): the client listener is SASL_SSL with the stack's certificate. */
    static Map<String, String> broker(StackProperties ports, int node, Path dataDir, Optional<StackSecurity> security,
                                      Optional<StackTls> tls) {
        int nodes = ports.brokers();
        String clientListener = security.isEmpty() ? "PLAINTEXT" : tls.isPresent() ? StackTls.PROTOCOL : StackSecurity.PROTOCOL;
        String plaintext = clientListener + "://" + StackProperties.HOST + ":" + ports.brokerPort(node);
        String controller = "CONTROLLER://" + StackProperties.HOST + ":" + ports.controllerPort(node);
        Map<String, String> c = new LinkedHashMap<>();
        c.put("process.roles", "broker,controller");
        c.put("node.id", Integer.toString(node));
        if (nodes == 1) {
            // Dynamic quorum (KIP-853): storage is formatted --standalone, so this node is the one voter.
            c.put("controller.quorum.bootstrap.servers", StackProperties.HOST + ":" + ports.controllerPort(node));
        } else {
            c.put("controller.quorum.voters", IntStream.rangeClosed(1, nodes)
                    .mapToObj(n -> n + "@" + StackProperties.HOST + ":" + ports.controllerPort(n))
                    .collect(Collectors.joining(",")));
        }
        c.put("listeners", plaintext + "," + controller);
        c.put("advertised.listeners", plaintext + "," + controller);
        c.put("controller.listener.names", "CONTROLLER");
        c.put("inter.broker.listener.name", clientListener);
        if (security.isPresent()) {
            StackSecurity s = security.get();
            String admin = StackSecurity.Principal.ADMIN.user();
            String listener = clientListener.toLowerCase(Locale.ROOT);
            c.put("listener.security.protocol.map", clientListener + ":" + clientListener + ",CONTROLLER:SASL_PLAINTEXT");
            c.put("listener.name." + listener + ".sasl.enabled.mechanisms", StackSecurity.MECHANISM);
            c.put("sasl.mechanism.inter.broker.protocol", StackSecurity.MECHANISM);
            c.put("listener.name." + listener + ".scram-sha-512.sasl.jaas.config",
                    StackSecurity.scramJaas(admin, s.password(StackSecurity.Principal.ADMIN)));
            tls.ifPresent(t -> c.putAll(t.brokerConfig()));
            c.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
            c.put("sasl.mechanism.controller.protocol", "PLAIN");
            c.put("listener.name.controller.plain.sasl.jaas.config", s.controllerJaas());
            c.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            c.put("allow.everyone.if.no.acl.found", "false");
            c.put("super.users", "User:" + admin);
        } else {
            c.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        }
        c.put("log.dirs", dataDir.toAbsolutePath().toString());
        // Auto-created topics get 4 partitions, like the catalogue's keyed topics, instead of 1.
        c.put("num.partitions", "4");
        String replication = Integer.toString(replication(nodes));
        String minIsr = Integer.toString(minInSyncReplicas(nodes));
        // The default of every topic created without a replication factor: the catalogue's, Streams' internal ones.
        c.put("default.replication.factor", replication);
        c.put("min.insync.replicas", minIsr);
        c.put("offsets.topic.replication.factor", replication);
        c.put("transaction.state.log.replication.factor", replication);
        c.put("transaction.state.log.min.isr", minIsr);
        c.put("share.coordinator.state.topic.replication.factor", replication);
        c.put("share.coordinator.state.topic.min.isr", minIsr);
        // 50 partitions each (the default) only slow down the first group join and transaction on a laptop.
        c.put("offsets.topic.num.partitions", "4");
        c.put("transaction.state.log.num.partitions", "4");
        // No one else is joining: do not hold the first rebalance back 3 s.
        c.put("group.initial.rebalance.delay.ms", "0");
        return c;
    }

    /** Replication factor of every topic on a stack of {@code nodes} brokers. */
    static int replication(int nodes) {
        return Math.min(3, nodes);
    }

    static int minInSyncReplicas(int nodes) {
        return nodes == 1 ? 1 : 2;
    }

    /** The id of KRaft node {@code node} in file names and process markers: {@code broker}, {@code broker-2}, … */
    static String brokerId(int node) {
        return node == 1 ? Component.BROKER.id() : Component.BROKER.id() + "-" + node;
    }

    /** One Connect worker in distributed mode: exactly-once source connectors (KIP-618) exist only there. */
    static Map<String, String> connect(StackProperties ports, Path pluginDir) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("bootstrap.servers", ports.bootstrapServers());
        // The worker's own clients and those of its connectors' tasks log in as the Connect principal.
        Map<String, String> login = new LinkedHashMap<>(ports.clientConfig(StackSecurity.Principal.CONNECT));
        login.remove("bootstrap.servers");
        login.forEach((key, value) -> {
            c.put(key, value);
            for (String client : List.of("producer.", "consumer.", "admin.")) {
                c.put(client + key, value);
            }
        });
        // A second worker joins this cluster by starting with the same group id and topics.
        c.put("group.id", "mycroft-connect");
        c.put("config.storage.topic", "mycroft-connect-configs");
        c.put("offset.storage.topic", "mycroft-connect-offsets");
        c.put("status.storage.topic", "mycroft-connect-status");
        String replication = Integer.toString(replication(ports.brokers()));
        c.put("config.storage.replication.factor", replication);
        c.put("offset.storage.replication.factor", replication);
        c.put("status.storage.replication.factor", replication);
        c.put("exactly.once.source.support", "enabled");
        // String keys and schemaless JSON values by default; connectors that write Avro name their own converters.
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "false");
        c.put("listeners", "http://" + StackProperties.HOST + ":" + ports.port(Component.CONNECT));
        c.put("rest.advertised.host.name", StackProperties.HOST);
        c.put("rest.advertised.port", Integer.toString(ports.port(Component.CONNECT)));
        if (ports.security().isPresent()) {
            // HTTP Basic for every REST call, checked against the JAAS login StackSecurity.writeConnectRestLogin writes.
            c.put("rest.extension.classes", "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension");
        }
        // Drop connector jars (or directories of jars) here; classpath connectors (connect-file) are found too.
        c.put("plugin.path", pluginDir.toAbsolutePath().toString());
        return c;
    }

    /** Arguments of the registry's main (its own worktree defines them). */
    static List<String> registryArgs(StackProperties ports) {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers", ports.bootstrapServers(),
                "--port", Integer.toString(ports.port(Component.REGISTRY)),
                "--host", StackProperties.HOST,
                "--replication-factor", Integer.toString(replication(ports.brokers()))));
        String credentials = ports.asProperties().getProperty(StackProperties.CREDENTIALS_FILE);
        if (credentials != null) {
            args.addAll(List.of("--credentials", credentials));
        }
        ports.caCertificate().ifPresent(ca -> args.addAll(List.of("--ca-certificate", ca.toString())));
        return args;
    }

    /** Log4j2 config of every child: one line per event on stdout, which the launcher sends to the child's log file. */
    static String log4j2() {
        return String.join("\n",
                "status = warn",
                "appender.out.type = Console",
                "appender.out.name = out",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = [%d{ISO8601}] %-5p %c{1.} [%t] %m%n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.out.ref = out",
                // Connect logs every class it scans for plugins at INFO.
                "logger.reflections.name = org.reflections",
                "logger.reflections.level = ERROR",
                "logger.jetty.name = org.eclipse.jetty",
                "logger.jetty.level = WARN",
                "");
    }
}
