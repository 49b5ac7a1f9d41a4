package io.mycroft.inference.cli;

import picocli.CommandLine.Option;

/**
 * Where the Kafka cluster and the schema registry are: the options of {@code worker} and of the model trainer's commands
 * (train, hardset, evaluate in the cli module).
 */
public final class ConnectionOptions {
    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--schema-registry", defaultValue = "http://127.0.0.1:8081", description = "Schema registry URL (default: ${DEFAULT-VALUE}).")
    String schemaRegistryUrl;

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
}
