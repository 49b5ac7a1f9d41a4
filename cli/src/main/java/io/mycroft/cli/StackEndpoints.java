package io.mycroft.cli;

import io.mycroft.stack.StackProperties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Defaults of the endpoint options ({@code --bootstrap-servers}, {@code --schema-registry} of {@code worker} and the
 * model trainer's commands) from the running local stack's stack.properties, so no command needs them spelled out;
 * without the file the options keep their own defaults. The Streams app's settings read it in {@link StreamsSettings}.
 */
final class StackEndpoints implements IDefaultValueProvider {
    private static final Map<String, Function<StackProperties, String>> OPTIONS = Map.of(
            "--bootstrap-servers", StackProperties::bootstrapServers,
            "--schema-registry", StackProperties::schemaRegistryUrl);

    private final Path workDir;

    StackEndpoints(Path workDir) {
        this.workDir = workDir;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || !OPTIONS.containsKey(option.longestName())
                || !Files.isRegularFile(workDir.resolve(StackProperties.FILE_NAME))) {
            return null;
        }
        return OPTIONS.get(option.longestName()).apply(StackProperties.load(workDir));
    }
}
