package io.mycroft.cli;

import io.mycroft.topology.AuditReplay;
import io.mycroft.topology.MycroftStreamsConfig;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code mycroft audit replay --request R}: rebuild a request's subsets and ranking from its inputs and compare. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Audit what the pipeline published.",
        subcommands = AuditCommand.Replay.class)
final class AuditCommand {

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Replay a request's inputs from offset 0 through the topology offline; exit 0 if the subsets and "
                    + "ranking equal the published ones bit for bit, 1 if not.")
    static final class Replay implements Callable<Integer> {
        @Mixin
        StreamsSettings settings;

        @Option(names = "--request", required = true, paramLabel = "ID", description = "The request to audit.")
        String requestId;

        @Override
        public Integer call() {
            MycroftStreamsConfig config = settings.load();
            KafkaReachability.require(config.clientSettings());
            AuditReplay.Result result = AuditReplay.replay(config, requestId);
            if (result.inputRecords() == 0) {
                throw new UserError("request " + requestId + " has no records on " + config.topics().hardsetVectors().name()
                        + ", " + config.topics().sampleVectors().name() + " or " + config.topics().evaluations().name()
                        + " of " + config.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)
                        + ": check the request id (the ids are the keys of " + config.topics().hardsetRequests().name() + ")");
            }
            System.out.printf("request %s: %d input records, %d owners%n  replayed  %s%n  published %s%n", result.requestId(),
                    result.inputRecords(), result.owners(), result.replayedDigest(), result.publishedDigest());
            result.differences().forEach(d -> System.out.println("  DIFFERS: " + d));
            System.out.println(result.identical() ? "identical" : "NOT identical");
            return result.identical() ? 0 : 1;
        }
    }
}
