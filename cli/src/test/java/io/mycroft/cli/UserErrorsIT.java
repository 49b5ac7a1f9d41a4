package io.mycroft.cli;

import io.mycroft.stack.StackProperties;
import io.mycroft.stack.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The user errors that need a running broker (the others: UserErrorsTest), against the shared test stack. */
class UserErrorsIT {
    @TempDir
    Path workDir;

    @Test
    void auditingAnUnknownRequestIsOneLineNamingWhereItLooked() throws Exception {
        StackProperties stack = TestStack.shared();
        try (Writer out = Files.newBufferedWriter(workDir.resolve(StackProperties.FILE_NAME))) {
            stack.asProperties().store(out, "the shared test stack");
        }
        String request = "no-such-request-" + UUID.randomUUID();
        StringWriter err = new StringWriter();
        CommandLine cli = MycroftCli.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));

        int code = cli.execute("audit", "replay", "--request", request, "--work-dir", workDir.toString());

        assertThat(err.toString().lines().toList()).singleElement().isEqualTo("mycroft: request " + request
                + " has no records on hardset-vectors, sample-vectors or evaluations of " + stack.bootstrapServers()
                + ": check the request id (the ids are the keys of hardset-requests)");
        assertThat(code).isEqualTo(UserErrors.USER_ERROR);
    }
}
