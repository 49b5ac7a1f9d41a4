package io.mycroft.cli.trainer;

import io.mycroft.cli.UserError;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.StackTrainers;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * {@code --as TRAINER}: publish as that trainer, logging in to Kafka with the client config {@code ./mycroft trainers add}
 * wrote, to its own topics ({@code hardset-requests.<t>}, {@code models.<t>}), whose ids must be {@code <t>.<name>}.
 * Without it, a command publishes to the shared topics (as the operator).
 */
final class TrainerLogin {
    @Option(names = "--as", paramLabel = "TRAINER", description = "Publish as trainer TRAINER (see ./mycroft trainers add;"
            + " its credentials in the stack work directory) to its own topics; request and model ids must then be"
            + " TRAINER.<name>.")
    String trainer;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "With --as: the stack work directory (default:"
            + " $MYCROFT_WORK_DIR, else .mycroft in the repository root).")
    Path workDir;

    /** The trainer's Kafka client settings (bootstrap servers, login), or none without {@code --as}. */
    Map<String, Object> kafkaConfig() {
        if (trainer == null) {
            return Map.of();
        }
        Path file = StackTrainers.credentialsFile(workDir != null ? workDir : StackProperties.defaultWorkDir(), trainer);
        if (!Files.isRegularFile(file)) {
            throw new UserError("no credentials of trainer " + trainer + " at " + file + ": add the trainer with"
                    + " ./mycroft trainers add " + trainer + " (on a secure stack)");
        }
        Properties values = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            values.load(in);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        }
        Map<String, Object> config = new HashMap<>();
        values.forEach((k, v) -> config.put(k.toString(), v));
        return config;
    }

    /** Where to publish what belongs on {@code shared}: the trainer's own twin with {@code --as}, else {@code shared}. */
    @SuppressWarnings("unchecked")
    <V> Topic<String, V> topic(Topics topics, Topic<String, V> shared) {
        return trainer == null ? shared : (Topic<String, V>) topics.trainerTwin(shared.spec(), trainer);
    }

    /** Fails with a one-line error if {@code --as} is given and {@code id} is not the trainer's ({@code <t>.<name>}). */
    void requireOwn(String id, String what) {
        if (trainer != null && !trainer.equals(Keys.trainerOf(id))) {
            throw new UserError("--as " + trainer + " publishes only ids " + trainer + ".<name>: " + what + " '" + id
                    + "' is not one (the Streams app would dead-letter it)");
        }
    }
}
