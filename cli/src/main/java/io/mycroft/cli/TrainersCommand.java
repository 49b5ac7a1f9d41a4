package io.mycroft.cli;

import io.mycroft.stack.StackTrainers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code ./mycroft trainers add TRAINER}: a model trainer as a principal of the local stack. */
@Command(name = "trainers", mixinStandardHelpOptions = true,
        description = "Model trainers as principals: their own request and model topics, Kafka login and REST token.",
        subcommands = TrainersCommand.Add.class)
public final class TrainersCommand {
    /** The trainer's REST token file, next to its Kafka client config. */
    static Path tokenFile(Path workDir, String trainerId) {
        return StackTrainers.credentialsFile(workDir, trainerId).resolveSibling(trainerId + ".token");
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Create (or update) trainer TRAINER: its own topics hardset-requests.TRAINER and models.TRAINER"
                    + " (the Streams app copies to the shared topics only request and model ids TRAINER.<name>; others are"
                    + " dead-lettered) and, on a secure stack, its principal User:TRAINER (SCRAM-SHA-512, password generated"
                    + " into a client config file) allowed to write those topics only, and its REST token (role"
                    + " trainer:TRAINER) for its rankings, subsets and evaluations. Adding a trainer again keeps both."})
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "TRAINER", description = "The trainer: the <t> of its request ids <t>.<name>.")
        String trainerId;
        @Mixin
        WorkDirOption workDir;

        @Override
        public Integer call() {
            StackTrainers.Added added = StackTrainers.add(workDir.get(), trainerId);
            var out = spec.commandLine().getOut();
            added.topics().forEach((topic, created) -> out.println("trainer " + trainerId + " writes to " + topic
                    + (created ? " (created)" : " (exists)")));
            added.credentials().ifPresentOrElse(file -> {
                Path token = tokenFile(workDir.get(), trainerId);
                boolean issued = StackRestTokens.ensureToken(workDir.get(), trainerId, "trainer:" + trainerId, token);
                out.println("  principal User:" + trainerId + " (SCRAM-SHA-512); its Kafka client config, password included: " + file);
                out.println("  ACLs (./mycroft acl list): " + added.acls().stream().map(a -> a.entry().operation() + " "
                        + a.pattern().resourceType() + ":" + a.pattern().patternType() + ":" + a.pattern().name())
                        .collect(Collectors.joining(", ")));
                out.println("  REST token (role trainer:" + trainerId + ")" + (issued ? "" : ", kept") + ": " + token);
            }, () -> out.println("  no principal, ACLs or token: the stack has no authentication (they need ./mycroft stack up --fresh --secure)"));
            return 0;
        }
    }
}
