package io.mycroft.inference.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where the Kafka cluster and the schema registry are: the options of {@code worker} and of the model trainer's commands
 * (train, hardset, evaluate in the cli module).
 */
public final class ConnectionOptions {
    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--schema-registry", defaultValue = "http://127.0.0.1:8081", description = "Schema registry URL (default: ${DEFAULT-VALUE}).")
    String schemaRegistryUrl;

    @Option(names = "--client-config", paramLabel = "FILE", description = "Properties file of the client's logins:"
            + " Kafka's (security.protocol, sasl.*, ssl.*) and the registry's (basic.auth.*), e.g. the secure local stack's"
            + " clients/<principal>.properties (the default when that stack runs).")
    Path clientConfig;

    @Option(names = "--topic-prefix", defaultValue = "", description = "Prefix of every topic name (default: none).")
    String topicPrefix;

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String schemaRegistryUrl() {
        return schemaRegistryUrl;
    }

    public String topicPrefix() {
        return topicPrefix;
    }

    /**
     * The settings of {@code --client-config} (none without it) except the endpoints, which the options above give:
     * added to every Kafka client and serde of the command.
     */
    public Map<String, String> clientSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        if (clientConfig == null) {
            return settings;
        }
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(clientConfig)) {
            file.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --client-config " + clientConfig + ": " + e.getMessage(), e);
        }
        file.stringPropertyNames().stream().filter(k -> !k.equals("bootstrap.servers") && !k.equals("schema.registry.url"))
                .forEach(k -> settings.put(k, file.getProperty(k)));
        return settings;
    }
}
