package io.mycroft.cli;

import io.mycroft.topology.MycroftStreamsApp;
import io.mycroft.topology.MycroftStreamsConfig;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code mycroft streams}: runs the Streams app until stopped (Ctrl-C or SIGTERM close it cleanly). */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Run the Mycroft Streams app (useful subsets, owner rankings, REST on mycroft.http.port) until stopped.")
final class StreamsCommand implements Callable<Integer> {
    @Mixin
    StreamsSettings settings;

    @Option(names = "--bind-address", paramLabel = "ADDRESS",
            description = "Address the REST server binds to (sets " + MycroftStreamsConfig.HTTP_BIND_ADDRESS + "; default 127.0.0.1, 0.0.0.0 = all).")
    String bindAddress;

    @Option(names = "--advertised-host", paramLabel = "HOST",
            description = "Host other instances reach this one's REST server by, for interactive-query forwarding (sets "
                    + MycroftStreamsConfig.HTTP_ADVERTISED_HOST + "; default 127.0.0.1).")
    String advertisedHost;

    @Override
    public Integer call() throws InterruptedException {
        MycroftStreamsConfig config = config();
        KafkaReachability.require(config.clientSettings());
        return MycroftStreamsApp.run(config);
    }

    /** The settings this command line runs the app with. */
    MycroftStreamsConfig config() {
        if (bindAddress != null) {
            settings.overrides.put(MycroftStreamsConfig.HTTP_BIND_ADDRESS, bindAddress);
        }
        if (advertisedHost != null) {
            settings.overrides.put(MycroftStreamsConfig.HTTP_ADVERTISED_HOST, advertisedHost);
        }
        return settings.load();
    }
}
