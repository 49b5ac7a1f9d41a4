package io.mycroft.cli;

import io.mycroft.stack.StackProperties;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --work-dir}: where the local stack keeps stack.properties, logs and data. Mix into any command that needs it. */
public final class WorkDirOption {
    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Stack work directory (default: $MYCROFT_WORK_DIR, else .mycroft in the repository root).")
    private Path workDir;

    /** True if no --work-dir was given. */
    public boolean isDefault() {
        return workDir == null;
    }

    public Path get() {
        return workDir != null ? workDir : StackProperties.defaultWorkDir();
    }
}
