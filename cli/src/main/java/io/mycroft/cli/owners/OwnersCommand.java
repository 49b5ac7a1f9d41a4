package io.mycroft.cli.owners;

import com.fasterxml.jackson.databind.JsonNode;
import io.mycroft.connectors.OwnerConnectors;
import io.mycroft.connectors.OwnerDirectoryConfig;
import io.mycroft.stack.ConnectClient;
import io.mycroft.stack.PluginInstaller;
import io.mycroft.schemas.Topics;
import io.mycroft.stack.StackException;
import io.mycroft.stack.StackOwners;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.StackSecurity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code mycroft owners}: data owners' source connectors on the local stack's Connect worker, through its REST API at
 * {@code connect.url} of stack.properties.
 */
@Command(name = "owners", mixinStandardHelpOptions = true,
        description = "Stream data owners' systems into owner-samples with Kafka Connect, or give an owner its own topic "
                + "for its own producer.",
        subcommands = {OwnersCommand.Add.class, OwnersCommand.Remove.class, OwnersCommand.Status.class,
                OwnersCommand.ListOwners.class, OwnersCommand.InstallPlugin.class, OwnerCapCommand.class})
public final class OwnersCommand {

    /** Shared by the subcommands: where stack.properties is. */
    static final class WorkDir {
        @Option(names = "--work-dir", paramLabel = "DIR",
                description = "Stack work directory (default: $MYCROFT_WORK_DIR, else .mycroft in the repository root).")
        Path workDir;

        ConnectClient connect() {
            return ConnectClient.of(stack());
        }

        StackProperties stack() {
            return StackProperties.load(dir());
        }

        Path dir() {
            return workDir != null ? workDir : StackProperties.defaultWorkDir();
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Create (or update) the exactly-once connector that streams an owner's data into owner-samples: "
                    + "a directory (CSV with a header, IDX image/label pairs, <label>/<image>.png|jpg folders; new and "
                    + "appended files follow) or a SQL table (new rows by id, or new and updated rows by timestamp).",
                    "Without --dir or --jdbc: an owner who runs its own producer. Creates its own topic owner-samples.OWNER_ID "
                    + "(the topic names the owner: a record there claiming another owner is dead-lettered) and, on a "
                    + "secure stack, its principal User:OWNER_ID (SCRAM-SHA-512, password generated into a client config "
                    + "file) allowed to write that topic only. Adding an owner again keeps its password."})
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "OWNER_ID", description = "The owner: key of its samples. No '|'; "
                + "for its own producer " + Topics.INGESTION_OWNER_ID + ".")
        String ownerId;
        @ArgGroup(exclusive = true, multiplicity = "0..1")
        Source source;
        @Mixin
        WorkDir workDir = new WorkDir();

        static final class Source {
            @ArgGroup(exclusive = false, heading = "Directory:%n")
            Directory directory;
            @ArgGroup(exclusive = false, heading = "SQL table:%n")
            Table table;
        }

        static final class Directory {
            @Option(names = "--dir", required = true, paramLabel = "PATH", description = "The owner's directory.")
            Path dir;
            @Option(names = "--tasks", defaultValue = "1", description = "Tasks sharing the files (default ${DEFAULT-VALUE}).")
            int tasks;
            @Option(names = "--label-column", defaultValue = "label", description = "CSV label column (default ${DEFAULT-VALUE}).")
            String labelColumn;
            @Option(names = "--images", defaultValue = OwnerDirectoryConfig.IMAGE_RAW, paramLabel = "raw|pixels",
                    description = "Images as file bytes + media type, or decoded pixels (default ${DEFAULT-VALUE}).")
            String images;
        }

        static final class Table {
            @Option(names = "--jdbc", required = true, paramLabel = "URL", description = "JDBC URL of the owner's database.")
            String url;
            @Option(names = "--table", required = true, paramLabel = "T", description = "The table (or schema.table).")
            String table;
            @Option(names = "--id-column", defaultValue = "id",
                    description = "Strictly increasing integer column (default ${DEFAULT-VALUE}).")
            String idColumn;
            @Option(names = "--timestamp-column", paramLabel = "COLUMN",
                    description = "Follow new and updated rows by this column (then id) instead of by id alone.")
            String timestampColumn;
        }

        @Override
        public Integer call() {
            if (source == null) {
                return ownProducer();
            }
            StackProperties stack = workDir.stack();
            String name;
            Map<String, String> config;
            String what;
            if (source.directory != null) {
                Directory d = source.directory;
                name = OwnerConnectors.directoryConnectorName(ownerId);
                config = OwnerConnectors.directory(ownerId, d.dir, stack.schemaRegistryUrl(), d.tasks);
                config.put(OwnerDirectoryConfig.CSV_LABEL_COLUMN, d.labelColumn);
                config.put(OwnerDirectoryConfig.IMAGE_OUTPUT, d.images);
                what = d.dir.toAbsolutePath().normalize().toString();
            } else {
                Table t = source.table;
                name = OwnerConnectors.tableConnectorName(ownerId, t.table);
                config = OwnerConnectors.table(ownerId, t.url, t.table, t.idColumn, t.timestampColumn,
                        stack.schemaRegistryUrl());
                what = "table " + t.table;
            }
            // The connector's serdes log in to the registry as Connect when the stack is secure.
            config.putAll(stack.registryConfig(StackSecurity.Principal.CONNECT));
            ConnectClient.of(stack).putConfig(name, config);
            spec.commandLine().getOut().println("connector " + name + " streams " + what
                    + " into owner-samples (bad input into dead-letters)");
            return 0;
        }

        private int ownProducer() {
            StackOwners.Added added = StackOwners.add(workDir.dir(), ownerId);
            var out = spec.commandLine().getOut();
            out.println("owner " + ownerId + " writes to " + added.topic() + (added.topicCreated() ? " (created)" : " (exists)"));
            added.credentials().ifPresentOrElse(file -> {
                out.println("  principal User:" + ownerId + " (SCRAM-SHA-512); its Kafka client config, password included: " + file);
                out.println("  ACLs (./mycroft acl list): " + added.acls().stream().map(a -> a.entry().operation() + " "
                        + a.pattern().resourceType() + ":" + a.pattern().patternType() + ":" + a.pattern().name())
                        .collect(Collectors.joining(", ")));
            }, () -> out.println("  no principal or ACLs: the stack has no authentication (it was started with --insecure; ./mycroft stack up --fresh starts it over secure)"));
            return 0;
        }
    }

    /** Names the owner's directory connector, or with {@code --table} its table connector. */
    static final class Which {
        @Parameters(index = "0", paramLabel = "OWNER_ID")
        String ownerId;
        @Option(names = "--table", paramLabel = "T", description = "The owner's table connector instead of its directory one.")
        String table;

        String connectorName() {
            return table == null ? OwnerConnectors.directoryConnectorName(ownerId)
                    : OwnerConnectors.tableConnectorName(ownerId, table);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Delete an owner's connector. Its samples stay on owner-samples.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Which which = new Which();
        @Mixin
        WorkDir workDir = new WorkDir();

        @Override
        public Integer call() {
            String name = which.connectorName();
            workDir.connect().delete(name);
            spec.commandLine().getOut().println("deleted connector " + name);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "State of an owner's connector and tasks.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Which which = new Which();
        @Mixin
        WorkDir workDir = new WorkDir();

        @Override
        public Integer call() {
            JsonNode status = workDir.connect().status(which.connectorName());
            var out = spec.commandLine().getOut();
            out.println(status.path("name").asText() + " " + status.path("connector").path("state").asText());
            for (JsonNode task : status.path("tasks")) {
                out.println("  task " + task.path("id").asInt() + " " + task.path("state").asText()
                        + (task.has("trace") ? "\n" + task.get("trace").asText() : ""));
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every owner connector on the Connect cluster, with its state and its tasks' states.")
    static final class ListOwners implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        WorkDir workDir = new WorkDir();

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            workDir.connect().connectors().properties().forEach(entry -> {
                if (entry.getKey().startsWith("owner-")) {
                    JsonNode status = entry.getValue().path("status");
                    StringBuilder tasks = new StringBuilder();
                    status.path("tasks").forEach(t -> tasks.append(' ').append(t.path("id").asInt()).append('=')
                            .append(t.path("state").asText()).append('@').append(t.path("worker_id").asText()));
                    out.println(entry.getKey() + " " + status.path("connector").path("state").asText() + tasks);
                }
            });
            return 0;
        }
    }

    @Command(name = "install-plugin", mixinStandardHelpOptions = true,
            description = "Copy the connectors' plugin jar into the local stack's plugin.path (<work dir>/plugins). "
                    + "A running Connect worker loads it on its next start.")
    static final class InstallPlugin implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--jar", paramLabel = "PATH", description = "The plugin jar (default: "
                + "connectors/target/mycroft-connectors-<version>-plugin.jar under $MYCROFT_HOME).")
        Path jar;
        @Mixin
        WorkDir workDir = new WorkDir();

        @Override
        public Integer call() throws Exception {
            Path installed = PluginInstaller.install(jar != null ? jar : builtJar(), workDir.dir().resolve("plugins"));
            spec.commandLine().getOut().println("installed " + installed
                    + "; restart the Connect worker to load it (./mycroft stack down, ./mycroft stack up)");
            return 0;
        }

        private static Path builtJar() throws IOException {
            String home = System.getenv("MYCROFT_HOME");
            Path target = Path.of(home == null || home.isBlank() ? "." : home, "connectors", "target");
            if (!Files.isDirectory(target)) {
                throw new StackException("no " + target + ": build the plugin with "
                        + "mvn -pl connectors -am package -DskipTests, or pass --jar");
            }
            try (Stream<Path> jars = Files.list(target)) {
                return jars.filter(p -> p.getFileName().toString().endsWith("-plugin.jar")).findFirst()
                        .orElseThrow(() -> new StackException("no *-plugin.jar in " + target
                                + ": build it with mvn -pl connectors -am package -DskipTests, or pass --jar"));
            }
        }
    }
}
