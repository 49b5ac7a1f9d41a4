package io.mycroft.cli;

import io.mycroft.stack.StackProperties;
import io.mycroft.stack.StackSecurity.Principal;
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
        if (!(arg instanceof OptionSpec option) || !Files.isRegularFile(workDir.resolve(StackProperties.FILE_NAME))) {
            return null;
        }
        if (option.longestName().equals("--client-config")) {
            return clientConfig(option);
        }
        if (!OPTIONS.containsKey(option.longestName())) {
            return null;
        }
        return OPTIONS.get(option.longestName()).apply(StackProperties.load(workDir));
    }

    /**
     * The secure stack's client file for {@code --client-config}: the worker's for {@code worker}, else the admin's (the
     * model trainer's commands are the operator's until trainers have principals of their own); none on a stack without
     * security.
     */
    private String clientConfig(OptionSpec option) {
        StackProperties stack = StackProperties.load(workDir);
        if (stack.security().isEmpty()) {
            return null;
        }
        Principal principal = "worker".equals(option.command().name()) ? Principal.WORKER : Principal.ADMIN;
        return StackProperties.clientFile(workDir, principal).toString();
    }
}
