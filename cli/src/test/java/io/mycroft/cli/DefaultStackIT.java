package io.mycroft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycroft.stack.LocalStack;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.StackSecurity.Principal;
import java.io.PrintWriter;
import picocli.CommandLine;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./mycroft stack up} with no security option starts a secure stack: anonymous clients are refused. */
class DefaultStackIT {
    @TempDir
    Path workDir;

    @AfterEach
    void down() {
        new LocalStack(workDir, line -> { }).down();
    }

    @Test
    void stackUpIsSecureByDefault() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = MycroftCli.commandLine();
        cli.setOut(new PrintWriter(out));

        assertThat(cli.execute("stack", "up", "--work-dir", workDir.toString())).isZero();

        StackProperties stack = StackProperties.load(workDir);
        assertThat(stack.security()).as("credentials.file in stack.properties").isPresent();
        assertThat(workDir.resolve(StackRestTokens.OPERATOR_TOKEN_FILE)).isRegularFile();
        Path workerFile = StackProperties.clientFile(workDir, Principal.WORKER);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(workerFile))).isEqualTo("rw-------");

        assertThatThrownBy(() -> clusterId(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers())))
                .as("a client that does not log in").isInstanceOf(ExecutionException.class);
        Properties worker = new Properties();
        try (var in = Files.newBufferedReader(workerFile)) {
            worker.load(in);
        }
        Map<String, Object> login = new HashMap<>();
        worker.stringPropertyNames().forEach(k -> login.put(k, worker.getProperty(k)));
        assertThat(clusterId(login)).as("the worker's client file logs in").isNotBlank();
    }

    private static String clusterId(Map<String, Object> config) throws Exception {
        Map<String, Object> settings = new HashMap<>(config);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(settings)) {
            return admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
        }
    }
}
