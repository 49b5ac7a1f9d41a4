package io.mycroft.cli.owners;

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
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code owners add|status|list|remove} against the real stack, whose Connect worker finds the connectors on this
 * module's class path. What the connectors then stream is the connectors module's ITs' concern.
 */
class OwnersCommandIT {
    @TempDir
    Path workDir;

    @Test
    void addsShowsListsAndRemovesAnOwnersDirectoryConnector() throws Exception {
        StackProperties stack = TestStack.shared();
        try (Writer out = Files.newBufferedWriter(workDir.resolve(StackProperties.FILE_NAME))) {
            stack.asProperties().store(out, "the shared test stack");
        }
        Path dir = Files.createDirectories(workDir.resolve("owner-cli-it"));
        Files.writeString(dir.resolve("rows.csv"), "x,label\n1.5,3\n");

        assertThat(run("add", "cli-it", "--dir", dir.toString()))
                .isEqualTo("connector owner-cli-it-files streams " + dir.toAbsolutePath().normalize()
                        + " into owner-samples (bad input into dead-letters)\n");
        // Connect answers 404 (exit code 1) until the worker has written the new connector's status.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(run("status", "cli-it")).isEqualTo("owner-cli-it-files RUNNING\n  task 0 RUNNING\n"));
        assertThat(run("list")).containsPattern("(?m)^owner-cli-it-files RUNNING 0=RUNNING@\\S+$");
        assertThat(run("remove", "cli-it")).isEqualTo("deleted connector owner-cli-it-files\n");
        assertThat(run("list")).doesNotContain("owner-cli-it-files");
    }

    @Test
    void addsAnOwnerWithItsOwnProducerTwiceAndSaysPrincipalsNeedASecureStack() throws Exception {
        StackProperties stack = TestStack.shared();
        try (Writer out = Files.newBufferedWriter(workDir.resolve(StackProperties.FILE_NAME))) {
            stack.asProperties().store(out, "the shared test stack");
        }
        String owner = "cli-it-" + Long.toString(System.nanoTime(), 36);
        String noSecurity = "  no principal or ACLs: the stack has no authentication (it was started with --insecure; ./mycroft stack up --fresh starts it over secure)\n";
        assertThat(run("add", owner)).isEqualTo("owner " + owner + " writes to owner-samples." + owner + " (created)\n" + noSecurity);
        assertThat(run("add", owner)).isEqualTo("owner " + owner + " writes to owner-samples." + owner + " (exists)\n" + noSecurity);
    }

    /** Runs {@code owners ARGS --work-dir <the test's>}; asserts exit code 0 and returns the output. */
    private String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--work-dir";
        all[args.length + 1] = workDir.toString();
        int exit = new CommandLine(new OwnersCommand()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(all);
        assertThat(exit).as(err.toString()).isZero();
        return out.toString();
    }
}
