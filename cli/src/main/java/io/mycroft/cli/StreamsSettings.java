package io.mycroft.cli;

import io.mycroft.stack.StackProperties;
import io.mycroft.stack.StackSecurity;
import io.mycroft.topology.MycroftStreamsConfig;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Streams app's settings for any command: defaults, then the local stack's endpoints (when its stack.properties
 * exists; on a secure stack also its REST token file), then {@code --config FILE}, then {@code -D key=value}; so {@code -D bootstrap.servers=... -D
 * schema.registry.url=...} points a command at any cluster.
 */
public final class StreamsSettings {
    @Mixin
    WorkDirOption workDir;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of Streams and mycroft.* settings.")
    Path config;

    @Option(names = "-D", paramLabel = "KEY=VALUE", description = "A setting that overrides the file, e.g. -D num.standby.replicas=1.")
    Map<String, String> overrides = new LinkedHashMap<>();

    public MycroftStreamsConfig load() {
        Map<String, String> localStack = new LinkedHashMap<>();
        if (Files.isRegularFile(workDir.get().resolve(StackProperties.FILE_NAME))) {
            StackProperties stack = StackProperties.load(workDir.get());
            localStack.putAll(stack.clientConfig(StackSecurity.Principal.STREAMS));
            localStack.putAll(stack.registryConfig(StackSecurity.Principal.STREAMS));
            localStack.put(StreamsConfig.STATE_DIR_CONFIG, workDir.get().resolve("streams-state").toString());
            if (stack.security().isPresent()) {
                Path tokens = StackRestTokens.tokenFile(workDir.get());
                if (!Files.isRegularFile(tokens)) {
                    throw new UserError("the secure stack in " + workDir.get() + " has no REST token file " + tokens
                            + ": run ./mycroft stack up to issue the operator's token");
                }
                localStack.put(MycroftStreamsConfig.REST_TOKENS_FILE, tokens.toString());
            }
        }
        return MycroftStreamsConfig.load(localStack, config, overrides);
    }
}
