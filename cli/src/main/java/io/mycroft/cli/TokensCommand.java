package io.mycroft.cli;

import io.mycroft.topology.MycroftStreamsConfig;
import io.mycroft.topology.RestTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./mycroft tokens issue PRINCIPAL --role ROLE}: bearer tokens of the Streams app's REST API. */
@Command(name = "tokens", mixinStandardHelpOptions = true, description = "Bearer tokens of the Streams app's REST API.",
        subcommands = TokensCommand.Issue.class)
public final class TokensCommand {

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Make a token for PRINCIPAL, append its SHA-256 to the token file (the secure stack's, or --file)"
                    + " and print the token, once: it is stored nowhere. Running Streams apps accept it at once.")
    static final class Issue implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "PRINCIPAL", description = "Who the token is for (no spaces or commas).")
        String principal;
        @Option(names = "--role", required = true, paramLabel = "operator|owner:<o>|trainer:<t>",
                description = "What it may read: everything; owner o's subsets and exposure; trainer t's requests"
                        + " (ids <t>.<name>): their rankings, subsets and progress.")
        String role;
        @Option(names = "--file", paramLabel = "FILE", description = "Token file (the Streams app's "
                + MycroftStreamsConfig.REST_TOKENS_FILE + "); default: the secure local stack's.")
        Path file;
        @Mixin
        WorkDirOption workDir;

        @Override
        public Integer call() {
            Path tokens = file;
            if (tokens == null) {
                if (!StackRestTokens.secure(workDir.get())) {
                    throw new UserError("the stack in " + workDir.get() + " is not secure, so its REST API takes no tokens:"
                            + " start one with ./mycroft stack up --fresh (secure unless --insecure), or pass --file");
                }
                tokens = StackRestTokens.tokenFile(workDir.get());
            }
            String token = RestTokens.issue(tokens, principal, role);
            spec.commandLine().getOut().println(token);
            spec.commandLine().getErr().println("issued a token for " + principal + " (" + role + ") into " + tokens
                    + "; it is shown only now. Send it as Authorization: Bearer <token>, or open the dashboard once as"
                    + " /?token=<token>");
            return 0;
        }
    }
}
