package io.mycroft.connectors.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mycroft.connectors.OwnerDirectoryConfig;
import io.mycroft.stack.StackProperties;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code mycroft owners}: data owners' source connectors on the local stack's Connect worker, through its REST API at
 * {@code connect.url} of stack.properties.
 */
@Command(name = "owners", mixinStandardHelpOptions = true,
        description = "Stream data owners' systems into owner-samples with Kafka Connect.",
        subcommands = {OwnersCommand.Add.class, OwnersCommand.Remove.class, OwnersCommand.Status.class})
public final class OwnersCommand {

    /** Shared by the subcommands: where stack.properties is. */
    static final class WorkDir {
        @Option(names = "--work-dir", paramLabel = "DIR",
                description = "Stack work directory (default: $MYCROFT_WORK_DIR, else .mycroft in the repository root).")
        Path workDir;

        ConnectClient connect() {
            return new ConnectClient(stack().connectUrl());
        }

        StackProperties stack() {
            return StackProperties.load(workDir != null ? workDir : StackProperties.defaultWorkDir());
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Create (or update) the exactly-once connector that streams an owner's directory: CSV with a "
                    + "header, IDX image/label pairs, <label>/<image>.png|jpg folders. New and appended files follow.")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "OWNER_ID", description = "The owner: key of its samples. No '|'.")
        String ownerId;
        @Option(names = "--dir", required = true, paramLabel = "PATH", description = "The owner's directory.")
        Path dir;
        @Option(names = "--tasks", defaultValue = "1", description = "Tasks sharing the files (default ${DEFAULT-VALUE}).")
        int tasks;
        @Option(names = "--label-column", defaultValue = "label", description = "CSV label column (default ${DEFAULT-VALUE}).")
        String labelColumn;
        @Option(names = "--images", defaultValue = OwnerDirectoryConfig.IMAGE_RAW, paramLabel = "raw|pixels",
                description = "Images as file bytes + media type, or decoded pixels (default ${DEFAULT-VALUE}).")
        String images;
        @picocli.CommandLine.Mixin
        WorkDir workDir = new WorkDir();

        @Override
        public Integer call() {
            StackProperties stack = workDir.stack();
            Map<String, String> config = OwnerConnectors.directory(ownerId, dir, stack.schemaRegistryUrl(), tasks);
            config.put(OwnerDirectoryConfig.CSV_LABEL_COLUMN, labelColumn);
            config.put(OwnerDirectoryConfig.IMAGE_OUTPUT, images);
            String name = OwnerConnectors.directoryConnectorName(ownerId);
            new ConnectClient(stack.connectUrl()).putConfig(name, config);
            spec.commandLine().getOut().println("connector " + name + " streams " + dir.toAbsolutePath().normalize()
                    + " into owner-samples (bad rows into dead-letters)");
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Delete an owner's directory connector. Its samples stay on owner-samples.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "OWNER_ID")
        String ownerId;
        @picocli.CommandLine.Mixin
        WorkDir workDir = new WorkDir();

        @Override
        public Integer call() {
            String name = OwnerConnectors.directoryConnectorName(ownerId);
            workDir.connect().delete(name);
            spec.commandLine().getOut().println("deleted connector " + name);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "State of an owner's connector and tasks.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "OWNER_ID")
        String ownerId;
        @picocli.CommandLine.Mixin
        WorkDir workDir = new WorkDir();

        @Override
        public Integer call() {
            JsonNode status = workDir.connect().status(OwnerConnectors.directoryConnectorName(ownerId));
            var out = spec.commandLine().getOut();
            out.println(status.path("name").asText() + " " + status.path("connector").path("state").asText());
            for (JsonNode task : status.path("tasks")) {
                out.println("  task " + task.path("id").asInt() + " " + task.path("state").asText()
                        + (task.has("trace") ? "\n" + task.get("trace").asText() : ""));
            }
            return 0;
        }
    }
}
