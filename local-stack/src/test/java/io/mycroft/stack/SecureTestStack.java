package io.mycroft.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real secure local stack ({@code stack up --secure --tls}: SASL/SCRAM over TLS, ACLs) per test JVM, for the integration tests of
 * any module, like {@link TestStack}: started on first use in a temporary work directory, stopped and deleted by a
 * shutdown hook. Clients log in with {@code endpoints().clientConfig(principal)}.
 */
public final class SecureTestStack {
    private static SecureTestStack shared;
    private static RuntimeException startFailure;

    private final Path workDir;
    private final StackProperties endpoints;

    private SecureTestStack(Path workDir, StackProperties endpoints) {
        this.workDir = workDir;
        this.endpoints = endpoints;
    }

    public static synchronized SecureTestStack shared() {
        if (startFailure != null) {
            throw new IllegalStateException("the shared secure test stack failed to start", startFailure);
        }
        if (shared == null) {
            Path workDir;
            try {
                workDir = Files.createTempDirectory("mycroft-secure-stack-it-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LocalStack stack = new LocalStack(workDir, line -> System.out.println("[secure stack] " + line), 1, true, true);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stack.abandon();
                TestStack.deleteRecursively(workDir);
            }, "secure-test-stack-down"));
            try {
                long start = System.nanoTime();
                shared = new SecureTestStack(workDir, stack.up(false));
                System.out.printf("[secure stack] up took %.1f s%n", (System.nanoTime() - start) / 1e9);
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return shared;
    }

    /** The stack's work directory: stack.properties, the credentials files. */
    public Path workDir() {
        return workDir;
    }

    public StackProperties endpoints() {
        return endpoints;
    }
}
