package io.mycroft.stack.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The registry as its own process, as the local stack runs it: the ready line, a stop, and a refusal with exit code 1. */
@ExtendWith(EmbeddedKafka.class)
class SchemaRegistryMainIT {

    private static final Pattern READY = Pattern.compile("Schema registry ready on (http://\\S+) \\(topic (\\S+)\\)");

    private static ProcessBuilder registryProcess(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                SchemaRegistryMain.class.getName(),
                "--bootstrap-servers", EmbeddedKafka.bootstrapServers()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    @Test
    void printsWhereItServesAndStopsOnSigterm() throws Exception {
        Process registry = registryProcess("--port", "0", "--topic", "_schemas-main").start();
        try (BufferedReader stdout = new BufferedReader(new InputStreamReader(registry.getInputStream(), StandardCharsets.UTF_8))) {
            Matcher ready = awaitReadyLine(stdout);
            assertThat(ready.group(2)).isEqualTo("_schemas-main");

            RegistryClient client = new RegistryClient(ready.group(1));
            assertThat(client.get("/").json().toString()).isEqualTo("{}");
            assertThat(client.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        } finally {
            registry.destroy();
        }
        assertThat(registry.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s of SIGTERM").isTrue();
    }

    /** Reads stdout (where log lines may come first) up to the ready line. */
    private static Matcher awaitReadyLine(BufferedReader stdout) throws Exception {
        for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
            Matcher ready = READY.matcher(line);
            if (ready.matches()) {
                return ready;
            }
        }
        throw new AssertionError("The registry ended its output without a ready line");
    }

    @Test
    void refusesATopicThatIsNotCompactedWithExitCode1() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("plain-topic", 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete")))).all().get();
        }
        Process registry = registryProcess("--port", "0", "--topic", "plain-topic")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(registry.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(registry.exitValue()).isEqualTo(1);
        assertThat(new String(registry.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("Schema registry could not start", "plain-topic", "cleanup.policy=delete", "compacted");
    }
}
