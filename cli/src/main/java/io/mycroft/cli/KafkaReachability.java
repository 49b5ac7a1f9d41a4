package io.mycroft.cli;

import io.mycroft.topology.MycroftStreamsConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fails fast with a hint when no broker answers, instead of a client that retries silently for minutes (the commands
 * that take the Streams app's settings: streams, audit).
 */
final class KafkaReachability {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private KafkaReachability() {
    }

    /** {@code client}: the bootstrap servers and login settings ({@link MycroftStreamsConfig#clientSettings()}). */
    static void require(Map<String, Object> client) {
        Object bootstrapServers = client.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        int millis = (int) TIMEOUT.toMillis();
        Map<String, Object> settings = new HashMap<>(client);
        settings.putAll(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                // One attempt per address: an unreachable broker is the answer, not a reason to retry.
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
        String fix = ": start the local stack with ./mycroft stack up, or pass -D bootstrap.servers=HOST:PORT of a running cluster";
        try (Admin admin = Admin.create(settings)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis)).clusterId().get(millis, TimeUnit.MILLISECONDS);
        } catch (KafkaException e) { // no address resolves, or a malformed one
            throw new UserError("no Kafka broker at " + bootstrapServers + " ("
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()) + ")" + fix);
        } catch (ExecutionException | TimeoutException e) {
            throw new UserError("no Kafka broker answers at " + bootstrapServers + " within " + TIMEOUT.toSeconds() + " s" + fix);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while connecting to Kafka at " + bootstrapServers);
        }
    }
}
