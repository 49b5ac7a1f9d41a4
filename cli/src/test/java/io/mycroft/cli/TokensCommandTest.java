package io.mycroft.cli;

import com.sun.net.httpserver.HttpServer;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.StackSecurity;
import io.mycroft.topology.MycroftStreamsConfig;
import io.mycroft.topology.RestPrincipal;
import io.mycroft.topology.RestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code tokens issue} and {@code rest} (against a stand-in HTTP server that records what it is sent). */
class TokensCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    @Test
    void issuePrintsTheTokenOnceAndStoresOnlyItsHash() throws Exception {
        Path file = dir.resolve("tokens");
        Run run = run("tokens", "issue", "alice", "--role", "trainer:alice", "--file", file.toString());

        assertThat(run.code()).isZero();
        String token = run.out().strip();
        assertThat(token).hasSizeGreaterThan(40);
        assertThat(Files.readString(file)).doesNotContain(token).contains(",alice,trainer:alice");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(RestTokens.load(file).authenticate(token)).hasValue(new RestPrincipal("alice", RestPrincipal.Role.TRAINER, "alice"));
    }

    @Test
    void aBadRoleOrAStackWithoutSecurityIsOneLineUserError() {
        Run badRole = run("tokens", "issue", "alice", "--role", "admin", "--file", dir.resolve("tokens").toString());
        assertThat(badRole.code()).isEqualTo(MycroftCli.USER_ERROR);
        assertThat(badRole.err().strip()).isEqualTo("mycroft: role 'admin' is not operator, owner:<ownerId> or trainer:<trainerId>");

        Run notSecure = run("tokens", "issue", "alice", "--role", "operator", "--work-dir", dir.toString());
        assertThat(notSecure.code()).isEqualTo(MycroftCli.USER_ERROR);
        assertThat(notSecure.err()).contains("is not secure").doesNotContain("\tat ");
    }

    @Test
    void aSecureStackGetsAnOperatorTokenOnceAndItsStreamsAppReadsTheStacksTokenFile() throws Exception {
        Path secure = dir.resolve("secure");
        Files.createDirectories(secure);
        Path credentials = secure.resolve(StackSecurity.FILE_NAME);
        StringBuilder passwords = new StringBuilder();
        for (StackSecurity.Principal p : StackSecurity.Principal.values()) {
            passwords.append(p.user()).append(".password=pw\n");
        }
        Files.writeString(credentials, passwords);
        Files.writeString(secure.resolve(StackProperties.FILE_NAME), "bootstrap.servers=127.0.0.1:1\n"
                + "schema.registry.url=http://127.0.0.1:2\n" + StackProperties.CREDENTIALS_FILE + "=" + credentials + "\n");

        assertThatThrownBy(() -> streamsConfig(secure)).isInstanceOf(UserError.class).hasMessageContaining("run ./mycroft stack up");
        assertThat(StackRestTokens.ensureOperatorToken(secure)).isTrue();
        assertThat(StackRestTokens.ensureOperatorToken(secure)).as("kept, not issued again").isFalse();
        String operator = StackRestTokens.operatorToken(secure).orElseThrow();
        Path tokenFile = StackRestTokens.tokenFile(secure);
        assertThat(RestTokens.load(tokenFile).authenticate(operator)).hasValueSatisfying(p -> assertThat(p.isOperator()).isTrue());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secure.resolve(StackRestTokens.OPERATOR_TOKEN_FILE))))
                .isEqualTo("rw-------");

        String bob = run("tokens", "issue", "bob", "--role", "trainer:bob", "--work-dir", secure.toString()).out().strip();
        assertThat(RestTokens.load(tokenFile).authenticate(bob)).hasValue(new RestPrincipal("bob", RestPrincipal.Role.TRAINER, "bob"));
        assertThat(streamsConfig(secure).get(MycroftStreamsConfig.REST_TOKENS_FILE)).isEqualTo(tokenFile.toString());

        Path plain = dir.resolve("plain");
        Files.createDirectories(plain);
        Files.writeString(plain.resolve(StackProperties.FILE_NAME), "bootstrap.servers=127.0.0.1:1\nschema.registry.url=http://127.0.0.1:2\n");
        assertThat(StackRestTokens.secure(plain)).isFalse();
        assertThat(streamsConfig(plain).get(MycroftStreamsConfig.REST_TOKENS_FILE)).as("open, as before").isNull();
    }

    private static MycroftStreamsConfig streamsConfig(Path workDir) {
        CommandLine cli = MycroftCli.commandLine();
        cli.parseArgs("streams", "--work-dir", workDir.toString());
        StreamsCommand streams = cli.getSubcommands().get("streams").getCommand();
        return streams.config();
    }

    @Test
    void restSendsTheStacksOperatorTokenAndAFailureIsOneLine() throws Exception {
        Files.writeString(dir.resolve(StackRestTokens.OPERATOR_TOKEN_FILE), "op-token\n");
        List<String> sent = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            sent.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            boolean ok = exchange.getRequestURI().getPath().equals("/requests/alice.r1/ranking");
            byte[] body = (ok ? "{\"requestId\":\"alice.r1\"}" : "{\"error\":\"no\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ok ? 200 : 403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            Run ranking = run("rest", "/requests/alice.r1/ranking", "--url", url, "--work-dir", dir.toString());
            assertThat(ranking.code()).isZero();
            assertThat(ranking.out().strip()).isEqualTo("{\"requestId\":\"alice.r1\"}");

            Run denied = run("rest", "/requests/bob.r2/ranking", "--url", url, "--work-dir", dir.toString(), "--token", "t2");
            assertThat(denied.code()).isEqualTo(MycroftCli.USER_ERROR);
            assertThat(denied.err().strip()).isEqualTo("mycroft: GET /requests/bob.r2/ranking: 403 {\"error\":\"no\"}");
        } finally {
            server.stop(0);
        }
        assertThat(sent).containsExactly("/requests/alice.r1/ranking Bearer op-token", "/requests/bob.r2/ranking Bearer t2");
    }

    @Test
    void aTrainersTokenIsIssuedOnceIntoAnOwnerOnlyFileNextToItsCredentials() throws Exception {
        Path kept = dir.resolve("trainer-a.token");
        assertThat(StackRestTokens.ensureToken(dir, "trainer-a", "trainer:trainer-a", kept)).isTrue();
        String token = Files.readString(kept).strip();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept))).isEqualTo("rw-------");
        assertThat(RestTokens.load(StackRestTokens.tokenFile(dir)).authenticate(token))
                .hasValue(new RestPrincipal("trainer-a", RestPrincipal.Role.TRAINER, "trainer-a"));

        assertThat(StackRestTokens.ensureToken(dir, "trainer-a", "trainer:trainer-a", kept)).isFalse();
        assertThat(Files.readString(kept).strip()).isEqualTo(token);
        assertThat(Files.readAllLines(StackRestTokens.tokenFile(dir))).filteredOn(l -> !l.startsWith("#")).hasSize(1);
    }

    @Test
    void publishingAsATrainerNeedsItsIdsAndItsCredentialsAndSaysSoInOneLineBeforeTraining() {
        Run foreignId = run("train", "--publish", "--as", "trainer-a", "--model-id", "mlp", "--data", dir.toString(),
                "--out", dir.resolve("m.model").toString());
        assertThat(foreignId.code()).isEqualTo(MycroftCli.USER_ERROR);
        assertThat(foreignId.err().strip()).isEqualTo("mycroft: --as trainer-a publishes only ids trainer-a.<name>:"
                + " --model-id 'mlp' is not one (the Streams app would dead-letter it)");

        Run noCredentials = run("train", "--publish", "--as", "trainer-a", "--work-dir", dir.toString(), "--model-id",
                "trainer-a.mlp", "--data", dir.toString(), "--out", dir.resolve("m.model").toString());
        assertThat(noCredentials.code()).isEqualTo(MycroftCli.USER_ERROR);
        assertThat(noCredentials.err().strip()).isEqualTo("mycroft: no credentials of trainer trainer-a at "
                + dir.resolve("trainer-credentials/trainer-a.properties") + ": add the trainer with ./mycroft trainers add"
                + " trainer-a (on a secure stack)");
        assertThat(dir.resolve("m.model")).doesNotExist();
    }

    @Test
    void aBadTrainerIdIsAOneLineUserError() {
        Run bad = run("trainers", "add", "Trainer.A", "--work-dir", dir.toString());
        assertThat(bad.code()).isEqualTo(MycroftCli.USER_ERROR);
        assertThat(bad.err().strip()).startsWith("mycroft: trainer id 'Trainer.A' must match").doesNotContain("\tat ");
    }

    private static Run run(String... args) {
        CommandLine cli = MycroftCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
