package io.mycroft.cli;

import io.mycroft.topology.MycroftStreamsApp;
import io.mycroft.topology.MycroftStreamsConfig;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code mycroft streams}: runs the Streams app until stopped (Ctrl-C or SIGTERM close it cleanly). */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Run the Mycroft Streams app (useful subsets, owner rankings, REST on mycroft.http.port) until stopped.")
final class StreamsCommand implements Callable<Integer> {
    @Mixin
    StreamsSettings settings;

    @Override
    public Integer call() throws InterruptedException {
        MycroftStreamsConfig config = settings.load();
        KafkaReachability.require(config.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        return MycroftStreamsApp.run(config);
    }
}
