package io.mycroft.inference;

import io.mycroft.inference.cli.WorkerCommand;
import picocli.CommandLine;

/** The entry point of a worker process (a pod): {@code java -cp … io.mycroft.inference.InferenceWorkerMain --help}. */
public final class InferenceWorkerMain {
    private InferenceWorkerMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new WorkerCommand()).execute(args));
    }
}
