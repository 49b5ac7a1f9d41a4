package io.mycroft.loadtests.faults;

import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.stack.LocalStack;
import io.mycroft.stack.StackProperties;
import io.mycroft.topology.MycroftStreamsApp;
import io.mycroft.topology.MycroftStreamsConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Failover of interactive queries: two Streams instances (one application id, {@code num.standby.replicas} each) over
 * the topics a finished {@link FaultRun} left, so every input is already there. Each round kills (SIGKILL) the instance
 * that serves the first request's ranking, then times how long until the survivor answers every ranking and every
 * (request, owner) subset with exactly the bodies both gave before the kill; then restarts the killed one and lets it
 * catch up before the next round.
 *
 * <p>No static membership here, unlike {@link FaultRun}: the dead instance is not coming back within the measurement,
 * so the group notices it only when its session times out; {@code session.timeout.ms} is the broker's minimum (6 s).
 */
public final class StandbyFailover {
    /** One round: which instance was killed and how long until its keys were served again by the other. */
    public record Round(String killed, double secondsUntilServed) {
    }

    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    /** After a restart, time for the group to settle and the restarted instance's standby to catch up. */
    private static final Duration REJOIN_SETTLE = Duration.ofSeconds(15);

    private final LocalStack localStack;
    private final PrintStream out;

    public StandbyFailover(LocalStack localStack, PrintStream out) {
        this.localStack = localStack;
        this.out = out;
    }

    /**
     * @param prefix      the topic prefix of a finished run ({@link FaultRun.Outcome#prefix()})
     * @param owners      its owner ids; {@code requests} its request ids
     * @param samplesEach samples every owner sent (the instances are ready when their state has counted them all)
     */
    public List<Round> measure(String tag, String prefix, List<String> requests, List<String> owners, int samplesEach,
                               int standbys, int rounds, Path dir) throws Exception {
        StackProperties stack = StackProperties.load(localStack.workDir());
        String applicationId = "mycroft-standby-" + tag;
        Files.createDirectories(dir.resolve("logs"));
        List<ChildJvm> instances = new ArrayList<>();
        List<StreamsRest> rests = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int port = FreePort.pick();
            rests.add(new StreamsRest(port));
            instances.add(new ChildJvm("streams-" + i, List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError",
                    "-Dlog4j2.configurationFile=" + localStack.workDir().resolve("config").resolve("log4j2.properties")),
                    MycroftStreamsApp.class.getName(), List.of(
                    StreamsConfig.BOOTSTRAP_SERVERS_CONFIG + "=" + stack.bootstrapServers(),
                    SerdeConfig.REGISTRY_URL + "=" + stack.schemaRegistryUrl(),
                    Topics.PREFIX + "=" + prefix,
                    StreamsConfig.APPLICATION_ID_CONFIG + "=" + applicationId,
                    StreamsConfig.STATE_DIR_CONFIG + "=" + dir.resolve("state-" + i),
                    StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG + "=" + standbys,
                    MycroftStreamsConfig.HTTP_PORT + "=" + port,
                    ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG + "=" + SESSION_TIMEOUT.toMillis(),
                    ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG + "=1000"), dir.resolve("logs").resolve("streams-" + i + ".log")));
        }
        List<String> paths = new ArrayList<>();
        for (String r : requests) {
            paths.add("/requests/" + r + "/ranking");
            owners.forEach(o -> paths.add("/requests/" + r + "/owners/" + o + "/subset"));
        }
        List<Round> result = new ArrayList<>();
        try {
            instances.forEach(ChildJvm::start);
            Map<String, String> expected = awaitServed(rests, paths, requests, owners, samplesEach, Duration.ofMinutes(3));
            for (int round = 0; round < rounds; round++) {
                int victim = rests.get(0).get(paths.get(0) + "?local=true") != null ? 0 : 1;
                StreamsRest survivor = rests.get(1 - victim);
                long killed = System.nanoTime();
                instances.get(victim).kill9();
                awaitAnswers(survivor, expected, Duration.ofMinutes(2));
                double seconds = (System.nanoTime() - killed) / 1e9;
                result.add(new Round(instances.get(victim).name(), seconds));
                out.println(String.format(Locale.ROOT, "[standby] round %d: killed %s, its keys served by the other after %.2f s",
                        round + 1, instances.get(victim).name(), seconds));
                instances.get(victim).start();
                awaitServed(rests, paths, requests, owners, samplesEach, Duration.ofMinutes(2));
                Thread.sleep(REJOIN_SETTLE.toMillis());
            }
            return result;
        } finally {
            for (ChildJvm instance : instances) {
                instance.stop();
            }
        }
    }

    /** Until both instances answer every path the same way and every (request, owner) has all samples counted. */
    private static Map<String, String> awaitServed(List<StreamsRest> rests, List<String> paths, List<String> requests,
                                                   List<String> owners, int samplesEach, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean counted = requests.stream().allMatch(r -> owners.stream()
                    .allMatch(o -> rests.get(0).samplesSeen(r, o) == samplesEach));
            if (counted) {
                Map<String, String> first = answers(rests.get(0), paths);
                if (first != null && first.equals(answers(rests.get(1), paths))) {
                    return first;
                }
            }
            Thread.sleep(250);
        }
        throw new TimeoutException("the two Streams instances did not serve every key after " + timeout);
    }

    private static void awaitAnswers(StreamsRest rest, Map<String, String> expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!expected.equals(answers(rest, List.copyOf(expected.keySet())))) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the surviving Streams instance did not serve every key after " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Every path's 200 body, or null as soon as one is not answered. */
    private static Map<String, String> answers(StreamsRest rest, List<String> paths) {
        Map<String, String> bodies = new LinkedHashMap<>();
        for (String path : paths) {
            String body = rest.get(path);
            if (body == null) {
                return null;
            }
            bodies.put(path, body);
        }
        return bodies;
    }

    /** Median and spread (min, max) of the rounds, for the report. */
    public static String summary(List<Round> rounds) {
        double[] s = rounds.stream().mapToDouble(Round::secondsUntilServed).sorted().toArray();
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        return String.format(Locale.ROOT, "%d rounds: median %.2f s, min %.2f s, max %.2f s", s.length, median, s[0], s[s.length - 1]);
    }
}
