package io.mycroft.cli;

import io.mycroft.stack.StackProperties;
import io.mycroft.topology.RestTokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The secure local stack's REST tokens: the token file of hashes the Streams app reads ({@value #TOKEN_FILE} in the
 * work directory) and the operator's own token ({@value #OPERATOR_TOKEN_FILE}, owner-only, like the Kafka passwords in
 * credentials.properties), which CLI commands send to the REST API.
 */
public final class StackRestTokens {
    public static final String TOKEN_FILE = "rest-tokens";
    public static final String OPERATOR_TOKEN_FILE = "operator.token";
    static final String OPERATOR = "operator";

    private StackRestTokens() {
    }

    /** The token file of the stack in {@code workDir}; present only on a secure stack. */
    public static Path tokenFile(Path workDir) {
        return workDir.resolve(TOKEN_FILE);
    }

    /** Whether the stack in {@code workDir} was started with {@code --secure} (then its REST API needs tokens). */
    public static boolean secure(Path workDir) {
        return Files.isRegularFile(workDir.resolve(StackProperties.FILE_NAME))
                && StackProperties.load(workDir).security().isPresent();
    }

    /**
     * Issues the operator's token into the token file and keeps it in {@value #OPERATOR_TOKEN_FILE}, unless there is one
     * already; true if it issued one.
     */
    public static boolean ensureOperatorToken(Path workDir) {
        return ensureToken(workDir, OPERATOR, OPERATOR, workDir.resolve(OPERATOR_TOKEN_FILE));
    }

    /**
     * Issues a token for {@code principal} with {@code role} into the stack's token file and keeps it in {@code kept}
     * (owner-only), unless that exists already; true if it issued one.
     */
    static boolean ensureToken(Path workDir, String principal, String role, Path kept) {
        if (Files.exists(kept)) {
            return false;
        }
        String token = RestTokens.issue(tokenFile(workDir), principal, role);
        try {
            Files.createFile(kept, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(kept, token + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + kept, e);
        }
        return true;
    }

    /** The operator's token of the stack in {@code workDir}, if it has one. */
    public static Optional<String> operatorToken(Path workDir) {
        Path kept = workDir.resolve(OPERATOR_TOKEN_FILE);
        if (!Files.isRegularFile(kept)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(kept).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + kept, e);
        }
    }
}
