package io.mycroft.cli;

import io.mycroft.cli.demo.DemoCommand;
import io.mycroft.cli.owners.OwnersCommand;
import io.mycroft.cli.trainer.EvaluateCommand;
import io.mycroft.cli.trainer.HardSetCommand;
import io.mycroft.cli.trainer.TrainCommand;
import io.mycroft.inference.cli.WorkerCommand;
import io.mycroft.stack.StackProperties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./mycroft}: one command line for the whole project. A new subcommand is one class plus one entry below. */
@Command(name = "mycroft", mixinStandardHelpOptions = true, versionProvider = MycroftCli.Version.class,
        description = "Mycroft Streams on one machine.",
        subcommands = {
                StackCommand.class,
                DemoCommand.class,
                io.mycroft.cli.experiment.ExperimentCommand.class,
                SmokeCommand.class,
                StreamsCommand.class,
                AuditCommand.class,
                OwnersCommand.class,
                AclCommand.class,
                TokensCommand.class,
                TrainersCommand.class,
                RestCommand.class,
                WorkerCommand.class,
                TrainCommand.class,
                HardSetCommand.class,
                EvaluateCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class MycroftCli {
    /** Exit code of a problem the user can fix; the message says how. */
    static final int USER_ERROR = UserErrors.USER_ERROR;

    /** The version Maven wrote into the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = MycroftCli.class.getPackage().getImplementationVersion();
            return new String[] {"Mycroft Streams " + (version == null ? "(not built as a jar)" : version)};
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return UserErrors.install(new CommandLine(new MycroftCli())
                .setDefaultValueProvider(new StackEndpoints(StackProperties.defaultWorkDir())));
    }
}
