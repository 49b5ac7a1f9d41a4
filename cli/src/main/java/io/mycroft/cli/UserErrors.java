package io.mycroft.cli;

import io.mycroft.experiments.scenario.ScenarioException;
import io.mycroft.stack.StackException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;

/**
 * How every command reports a problem the user caused: one line on stderr saying what is wrong and how to fix it, and a
 * non-zero exit code ({@link CommandLine.ExitCode#USAGE} for a bad command line or scenario, {@link #USER_ERROR} for
 * the rest). Anything else is a bug and keeps its stack trace.
 */
final class UserErrors {
    /** Exit code of a problem the user can fix; the message says how. */
    static final int USER_ERROR = 1;

    private UserErrors() {
    }

    static CommandLine install(CommandLine commandLine) {
        return commandLine.setParameterExceptionHandler(UserErrors::badCommandLine)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    String message = userMessage(e);
                    if (message == null) {
                        throw e;
                    }
                    cmd.getErr().println("mycroft: " + message);
                    cmd.getErr().flush();
                    return e instanceof ScenarioException ? CommandLine.ExitCode.USAGE : USER_ERROR;
                });
    }

    private static int badCommandLine(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String hint = "see " + prefix(cmd) + " --help";
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            hint = "did you mean " + String.join(" or ", unmatched.getSuggestions()) + "? " + hint;
        }
        err.println(prefix(cmd) + ": " + e.getMessage() + " (" + hint + ")");
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    /** The one-line message of a user error, or null if {@code e} is not one. */
    static String userMessage(Exception e) {
        if (e instanceof ScenarioException scenario) {
            // Several problems are listed one per line: each is its own fix.
            return "bad scenario " + (scenario.problems().size() == 1
                    ? scenario.source() + ": " + oneLine(scenario.problems().get(0))
                    : scenario.getMessage());
        }
        if (e instanceof UserError || e instanceof StackException || e instanceof IllegalArgumentException) {
            return oneLine(e.getMessage());
        }
        if (e instanceof TimeoutException) {
            return "Kafka did not answer in time (" + e.getMessage() + "): is the stack up? ./mycroft stack status";
        }
        if (e instanceof ConfigException) {
            return e.getMessage() + ": fix the setting (--config FILE or -D key=value)";
        }
        if (e instanceof KafkaException && e.getCause() instanceof ConfigException config) {
            return config.getMessage() + ": check the bootstrap servers (" + ENDPOINT_OPTIONS + ")";
        }
        return null;
    }

    /** A message that spans lines (a YAML parser's, say) as one line. */
    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Where a command takes the cluster's endpoints from when the local stack's are not the right ones. */
    static final String ENDPOINT_OPTIONS = "--bootstrap-servers / -D bootstrap.servers=HOST:PORT";

    /** {@code mycroft worker}, {@code mycroft stack up}: the command as the user typed it. */
    private static String prefix(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName();
    }
}
