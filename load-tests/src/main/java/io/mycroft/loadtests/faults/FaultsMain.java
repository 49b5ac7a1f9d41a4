package io.mycroft.loadtests.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mycroft.experiments.pipeline.SeedSetup;
import io.mycroft.stack.LocalStack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The full fault experiments (load-tests/bin/faults.sh): on a fresh local stack of {@code brokers} brokers, the crash
 * run (a fault-free reference, then the same seed under {@code streamsKills} SIGKILLs of the Streams app plus worker,
 * Connect and broker kills), then the standby failover rounds over the reference's topics. Writes one JSON file.
 * <pre>FaultsMain WORK_DIR RESULTS_JSON BROKERS RATE STREAMS_KILLS WORKER_KILLS CONNECT_KILLS BROKER_KILLS FAILOVER_ROUNDS</pre>
 */
public final class FaultsMain {
    private FaultsMain() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]).toAbsolutePath();
        Path results = Path.of(args[1]);
        int brokers = Integer.parseInt(args[2]);
        double rate = Double.parseDouble(args[3]);
        FaultRun.Faults faults = new FaultRun.Faults(Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                Integer.parseInt(args[6]), Integer.parseInt(args[7]), Duration.ofSeconds(3), Duration.ofSeconds(8), 2026);
        int failoverRounds = Integer.parseInt(args[8]);
        Path repo = Path.of("").toAbsolutePath();
        LocalStack stack = new LocalStack(work.resolve("stack"), line -> System.out.println("[stack] " + line), brokers);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("started", Instant.now().toString());
        json.put("brokers", brokers);
        json.put("rate_per_owner_per_second", rate);
        json.put("faults", faults.toString());
        try (SeedSetup setup = FaultExperiment.prepare(repo, work)) {
            stack.up(true);
            json.put("uptime_before", uptime());
            FaultExperiment.Result crash = FaultExperiment.run(stack, setup, work.resolve("runs"), rate, faults, "full",
                    Duration.ofMinutes(20), System.out);
            json.put("uptime_after_crash_run", uptime());
            json.put("identical_to_reference", crash.identicalToReference());
            json.put("same_selections_as_reference", crash.sameSelectionsAsReference());
            json.put("vectors_differing_from_reference", crash.vectorsDifferingFromReference());
            json.put("vectors_compared", crash.reference().vectorHashes().size());
            json.put("reference", outcome(crash.reference()));
            json.put("faulty", outcome(crash.faulty()));
            if (failoverRounds > 0) {
                List<String> owners = setup.generated().owners().stream().map(o -> o.id()).toList();
                List<StandbyFailover.Round> rounds = new StandbyFailover(stack, System.out).measure("full",
                        crash.reference().prefix(), FaultExperiment.REQUESTS.stream().map(FaultRun.Request::id).toList(), owners,
                        crash.reference().sent().values().iterator().next(), 1, failoverRounds, work.resolve("standby"));
                json.put("standby_failover", rounds);
                json.put("standby_failover_summary", StandbyFailover.summary(rounds));
                json.put("uptime_after_failover", uptime());
            }
        } finally {
            json.put("finished", Instant.now().toString());
            Files.createDirectories(results.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(results.toFile(), json);
            stack.down();
        }
        System.out.println("results in " + results);
    }

    private static Map<String, Object> outcome(FaultRun.Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prefix", o.prefix());
        m.put("seconds", o.seconds());
        m.put("kills", o.kills());
        m.put("audits_identical", o.auditsIdentical());
        m.put("audit_differences", o.auditDifferences());
        m.put("counted_exactly_once", o.countedExactlyOnce());
        m.put("sent", o.sent());
        m.put("ingested", o.ingested());
        m.put("vectorised", o.vectorised());
        m.put("samples_seen_in_state", o.storeSamplesSeen());
        m.put("published_digests", o.publishedDigests());
        m.put("selections", o.selections());
        return m;
    }

    private static String uptime() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
