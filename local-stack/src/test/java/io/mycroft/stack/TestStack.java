package io.mycroft.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One real local stack (broker, registry, Connect) per test JVM, for the integration tests of any module: call
 * {@link #shared()} from a test and read the endpoints it returns. Started on first use in a temporary work directory,
 * stopped (all at once, see {@link LocalStack#abandon()}) and deleted by a shutdown hook. Other modules get it from
 * local-stack's test-jar:
 * <pre>{@code
 * <dependency><groupId>io.mycroft</groupId><artifactId>mycroft-local-stack</artifactId><scope>test</scope></dependency>
 * <dependency><groupId>io.mycroft</groupId><artifactId>mycroft-local-stack</artifactId>
 *   <type>test-jar</type><scope>test</scope></dependency>
 * }</pre>
 * The children run on the test JVM's class path, which those two dependencies make complete.
 */
public final class TestStack {
    private static StackProperties shared;
    /** A stack that failed to start is not retried by every later test: they all fail fast with the first error. */
    private static RuntimeException startFailure;

    private TestStack() {
    }

    public static synchronized StackProperties shared() {
        if (startFailure != null) {
            throw new IllegalStateException("the shared test stack failed to start", startFailure);
        }
        if (shared == null) {
            Path workDir = createTempDirectory();
            LocalStack stack = new LocalStack(workDir, line -> System.out.println("[test stack] " + line));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stack.abandon();
                deleteRecursively(workDir);
            }, "test-stack-down"));
            try {
                shared = stack.up(false);
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return shared;
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("mycroft-test-stack-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
