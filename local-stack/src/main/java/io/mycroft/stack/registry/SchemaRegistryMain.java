package io.mycroft.stack.registry;

import io.mycroft.stack.StackSecurity;
import io.mycroft.stack.StackTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the schema registry as its own process, as the local stack starts it. Exit code 1: it could not start. */
@Command(name = "schema-registry", mixinStandardHelpOptions = true,
        description = "Confluent-compatible schema registry (AVRO) storing its schemas in a compacted Kafka topic.")
public final class SchemaRegistryMain implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT", description = "Kafka brokers")
    private String bootstrapServers;

    @Option(names = "--port", required = true, description = "HTTP port (0 picks a free one)")
    private int port;

    @Option(names = "--host", defaultValue = RegistrySettings.DEFAULT_HOST, description = "HTTP address (default: ${DEFAULT-VALUE})")
    private String host;

    @Option(names = "--topic", defaultValue = RegistrySettings.DEFAULT_TOPIC, description = "schemas topic (default: ${DEFAULT-VALUE})")
    private String topic;

    @Option(names = "--replication-factor", defaultValue = "1", description = "of the schemas topic when created (default: ${DEFAULT-VALUE})")
    private short replicationFactor;

    @Option(names = "--store-timeout-ms", defaultValue = "30000",
            description = "how long a call to the broker may take before a request fails with error 50001 (default: ${DEFAULT-VALUE})")
    private long storeTimeoutMs;

    @Option(names = "--credentials", paramLabel = "FILE",
            description = "the secure stack's credentials file: log in to Kafka as the registry's principal; every"
                    + " request needs a service principal's password, config changes and deletes the admin's")
    private Path credentials;

    @Option(names = "--ca-certificate", paramLabel = "FILE",
            description = "with --credentials: connect to Kafka over TLS, trusting this CA (PEM)")
    private Path caCertificate;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SchemaRegistryMain()).execute(args));
    }

    /** The registry principal's SASL login, over TLS when a CA certificate is given. */
    private Map<String, String> kafkaLogin(StackSecurity security) {
        Map<String, String> login = new LinkedHashMap<>(security.clientConfig(StackSecurity.Principal.REGISTRY));
        if (caCertificate != null) {
            login.putAll(StackTls.clientConfig(caCertificate));
        }
        return login;
    }

    /** Who may read and register schemas over HTTP: the principals whose clients serialize (the admin changes configs too). */
    static Map<String, String> httpUsers(StackSecurity security) {
        Map<String, String> users = new LinkedHashMap<>();
        for (StackSecurity.Principal principal : List.of(StackSecurity.Principal.ADMIN, StackSecurity.Principal.STREAMS,
                StackSecurity.Principal.WORKER, StackSecurity.Principal.CONNECT)) {
            users.put(principal.user(), security.password(principal));
        }
        return users;
    }

    @Override
    public Integer call() throws InterruptedException {
        SchemaRegistryServer server;
        try {
            Optional<StackSecurity> security = Optional.ofNullable(credentials).map(StackSecurity::load);
            server = new SchemaRegistryServer(new RegistrySettings(bootstrapServers, host, port, topic, replicationFactor,
                    Duration.ofMillis(storeTimeoutMs),
                    security.map(this::kafkaLogin).orElse(Map.of()),
                    security.map(SchemaRegistryMain::httpUsers).orElse(Map.of()))).start();
        } catch (RuntimeException e) {
            System.err.println("Schema registry could not start: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "schema-registry-shutdown"));
        System.out.println("Schema registry ready on " + server.url() + " (topic " + topic + ")");
        new CountDownLatch(1).await(); // serve until the process is stopped; the hook closes the server
        return 0;
    }
}
