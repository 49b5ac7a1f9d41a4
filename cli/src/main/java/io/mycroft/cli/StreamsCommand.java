package io.mycroft.cli;

import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.stack.StackProperties;
import io.mycroft.topology.MycroftStreamsApp;
import io.mycroft.topology.MycroftStreamsConfig;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mycroft streams}: runs the Streams app. Settings: defaults, then the local stack's endpoints (when its
 * stack.properties exists), then {@code --config FILE}, then {@code -D key=value}; so {@code -D bootstrap.servers=...
 * -D schema.registry.url=...} points it at any cluster.
 */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Run the Mycroft Streams app (useful subsets, owner rankings, REST on mycroft.http.port) until stopped.")
final class StreamsCommand implements Callable<Integer> {
    @Mixin
    WorkDirOption workDir;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of Streams and mycroft.* settings.")
    Path config;

    @Option(names = "-D", paramLabel = "KEY=VALUE", description = "A setting that overrides the file, e.g. -D num.standby.replicas=1.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> localStack = new LinkedHashMap<>();
        if (Files.isRegularFile(workDir.get().resolve(StackProperties.FILE_NAME))) {
            StackProperties stack = StackProperties.load(workDir.get());
            localStack.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            localStack.put(SerdeConfig.REGISTRY_URL, stack.schemaRegistryUrl());
            localStack.put(StreamsConfig.STATE_DIR_CONFIG, workDir.get().resolve("streams-state").toString());
        }
        return MycroftStreamsApp.run(MycroftStreamsConfig.load(localStack, config, overrides));
    }
}
