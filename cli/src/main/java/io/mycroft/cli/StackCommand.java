package io.mycroft.cli;

import io.mycroft.stack.Component;
import io.mycroft.stack.LocalStack;
import io.mycroft.stack.LocalStack.ComponentStatus;
import io.mycroft.stack.LocalStack.State;
import io.mycroft.stack.LogTail;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mycroft stack up|down|status|logs}: the local broker, schema registry and Connect worker. */
@Command(name = "stack", description = "Start, stop and inspect the local Kafka broker, schema registry and Connect worker.",
        mixinStandardHelpOptions = true,
        subcommands = {StackCommand.Up.class, StackCommand.Down.class, StackCommand.Status.class, StackCommand.Logs.class})
public final class StackCommand {
    /** Exit code of {@code status} when a component is not up (as in LSB init scripts). */
    static final int NOT_RUNNING = 3;

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start whatever is not running, wait until all answer, create the topics.")
    static final class Up implements Callable<Integer> {
        @Mixin
        StackStart start;

        @Option(names = "--fresh", description = "Stop the stack and delete its work directory (all data) first.")
        boolean fresh;

        @Option(names = "--brokers", paramLabel = "N", description = "KRaft nodes (broker and controller each) of a new stack:"
                + " 3 gives replication factor 3 and min.insync.replicas 2, so it survives the loss of one node."
                + " Default: as the existing stack, 1 for a new one.")
        int brokers;

        @Option(names = "--tls", description = "Kafka clients connect over TLS (SASL_SSL) to a certificate"
                + " signed by a CA generated for the stack (tls/ca.pem in the work directory).")
        boolean tls;

        @Override
        public Integer call() {
            LocalStack stack = start.stack(System.out::println, brokers, tls);
            start.up(stack, System.out::println, fresh);
            printStatus(stack.status(), System.out);
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop the processes the stack started (by pid): SIGTERM, then SIGKILL after 30 s.")
    static final class Down implements Callable<Integer> {
        @Mixin
        WorkDirOption workDir;

        @Override
        public Integer call() {
            new LocalStack(workDir.get(), System.out::println).down();
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Each component's state, pid, port and endpoint. Exit code 3 if any is not up.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        WorkDirOption workDir;

        @Override
        public Integer call() {
            List<ComponentStatus> statuses = new LocalStack(workDir.get(), System.out::println).status();
            printStatus(statuses, System.out);
            if (statuses.stream().allMatch(s -> s.state() == State.UP)) {
                return 0;
            }
            spec.commandLine().getErr().println("mycroft: the stack is not (fully) running: start it with ./mycroft stack up"
                    + (workDir.isDefault() ? "" : " --work-dir " + workDir.get())
                    + " (./mycroft stack logs shows why a component stopped)");
            return NOT_RUNNING;
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true,
            description = "Print the end of a component's log (all components if none is named).")
    static final class Logs implements Callable<Integer> {
        @Mixin
        WorkDirOption workDir;

        @Parameters(arity = "0..1", paramLabel = "COMPONENT", description = "broker, registry or connect.")
        String component;

        @Option(names = {"-n", "--lines"}, description = "Lines to print from the end (default: ${DEFAULT-VALUE}).")
        int lines = 50;

        @Option(names = {"-f", "--follow"}, description = "Keep printing what is appended, until Ctrl-C.")
        boolean follow;

        @Override
        public Integer call() throws InterruptedException {
            LocalStack stack = new LocalStack(workDir.get(), System.out::println);
            List<Component> components = component == null ? Arrays.asList(Component.values())
                    : List.of(Component.byId(component));
            Map<Path, Long> positions = new LinkedHashMap<>();
            for (Component c : components) {
                Path log = stack.logFile(c);
                if (components.size() > 1) {
                    System.out.println("==> " + log + " <==");
                }
                if (!Files.exists(log)) {
                    System.out.println("(no log yet: the stack was never started with --work-dir " + stack.workDir() + ")");
                }
                LogTail.lastLines(log, lines).forEach(System.out::println);
                positions.put(log, log.toFile().length());
            }
            while (follow) {
                Thread.sleep(300);
                positions.replaceAll((log, position) -> LogTail.copyNew(log, position, System.out));
            }
            return 0;
        }
    }

    static void printStatus(List<ComponentStatus> statuses, PrintStream out) {
        String format = "%-9s %-10s %-8s %-6s %-24s %s%n";
        out.printf(format, "COMPONENT", "STATE", "PID", "PORT", "ENDPOINT", "LOG");
        for (ComponentStatus s : statuses) {
            out.printf(format, s.name(), s.state().name().toLowerCase().replace('_', '-'),
                    s.pid().isPresent() ? Long.toString(s.pid().getAsLong()) : "-",
                    s.port() == 0 ? "-" : Integer.toString(s.port()), s.endpoint(), s.log());
        }
    }
}
