package io.mycroft.cli;

import io.mycroft.stack.LocalStack;
import io.mycroft.stack.StackProperties;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How a command that starts the local stack starts it: secure by default (SASL/SCRAM, ACLs, REST tokens; see the README's
 * Security section), {@code --insecure} only for a new stack that should not be. An existing stack keeps what it was made
 * with, except that a secure start refuses an insecure stack (it says how to start over). Mix into any such command.
 */
public final class StackStart {
    @Mixin
    WorkDirOption workDir;

    @Option(names = "--insecure", description = "Start a new local stack without authentication, ACLs or REST tokens"
            + " (debugging only; the default is a secure stack).")
    boolean insecure;

    @Option(names = "--secure", hidden = true, description = "The default; kept so older scripts still work.")
    boolean secure;

    public WorkDirOption workDir() {
        return workDir;
    }

    /** The stack of {@link #workDir}, {@code brokers} nodes (0 = as it is), over TLS when {@code tls}. */
    public LocalStack stack(Consumer<String> out, int brokers, boolean tls) {
        if (insecure && (secure || tls)) {
            throw new UserError("--insecure cannot be combined with --secure or --tls");
        }
        return new LocalStack(workDir.get(), out, brokers, !insecure, tls);
    }

    /** Starts (or reuses) the stack; on a secure one also issues the operator's REST token the first time. */
    public StackProperties up(Consumer<String> out, boolean fresh) {
        return up(stack(out, 0, false), out, fresh);
    }

    StackProperties up(LocalStack stack, Consumer<String> out, boolean fresh) {
        StackProperties endpoints = stack.up(fresh);
        if (endpoints.security().isPresent() && StackRestTokens.ensureOperatorToken(workDir.get())) {
            out.accept("REST API: operator token in " + workDir.get().resolve(StackRestTokens.OPERATOR_TOKEN_FILE)
                    + " (the CLI sends it); more with ./mycroft tokens issue PRINCIPAL --role owner:<o>|trainer:<t>");
        }
        return endpoints;
    }
}
