package io.mycroft.topology;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Streams app: the topology, its REST API (interactive queries, SSE, health, Prometheus metrics) and its lifecycle.
 * {@code main [--config FILE] [key=value ...]}; exit code 0 after a clean shutdown, 1 if Streams died.
 */
public final class MycroftStreamsApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MycroftStreamsApp.class);

    private final KafkaStreams streams;
    private final QueryServer server;
    private final RankingFeed feed;
    private final DashboardFeed dashboardFeed;
    private final Dashboard dashboard;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final KafkaStreamsMetrics streamsMetrics;
    private final AtomicBoolean closed = new AtomicBoolean();

    public MycroftStreamsApp(MycroftStreamsConfig config) {
        int port = config.getInt(MycroftStreamsConfig.HTTP_PORT);
        RestAuth auth = RestAuth.from(config); // first: a bad token file must fail before any client is made
        feed = new RankingFeed(config);
        dashboardFeed = new DashboardFeed(config);
        dashboard = new Dashboard(dashboardFeed);
        server = new QueryServer(meters, feed, dashboard, auth);
        String advertisedHost = config.get(MycroftStreamsConfig.HTTP_ADVERTISED_HOST);
        server.start(config.get(MycroftStreamsConfig.HTTP_BIND_ADDRESS), port, advertisedHost);
        // Interactive queries route by this address, so it must be the REST server's real one.
        Map<String, String> withServer = new LinkedHashMap<>();
        withServer.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedHost + ":" + server.port());
        MycroftStreamsConfig effective = MycroftStreamsConfig.of(merge(config, withServer));
        Topology topology = MycroftTopology.build(effective, meters);
        LOG.info("topology:\n{}", topology.describe());
        streams = new KafkaStreams(topology, effective.streamsProperties());
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
        server.attach(StoreLookup.of(streams));
        feed.start();
        dashboardFeed.start();
    }

    private static Map<String, String> merge(MycroftStreamsConfig config, Map<String, String> extra) {
        Map<String, String> all = new LinkedHashMap<>();
        config.asMap().forEach((k, v) -> all.put(k, String.valueOf(v)));
        all.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, extra.get(StreamsConfig.APPLICATION_SERVER_CONFIG));
        return all;
    }

    public void start() {
        streams.start();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public int httpPort() {
        return server.port();
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        streams.close();
        streamsMetrics.close();
        server.close();
        dashboard.close();
        feed.close();
        dashboardFeed.close();
    }

    public static void main(String[] args) throws InterruptedException {
        Path file = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = Path.of(args[++i]);
            } else if (args[i].contains("=")) {
                overrides.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
            } else {
                System.err.println("usage: MycroftStreamsApp [--config FILE] [key=value ...]; unexpected '" + args[i] + "'");
                System.exit(2);
            }
        }
        System.exit(run(MycroftStreamsConfig.load(file, overrides)));
    }

    /** Runs until the JVM is asked to stop (or Streams dies); returns the exit code. */
    public static int run(MycroftStreamsConfig config) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        try (MycroftStreamsApp app = new MycroftStreamsApp(config)) {
            app.streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                    stopped.countDown();
                }
            });
            // Close inside the hook: the JVM does not wait for main once shutdown has begun.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                app.close();
                stopped.countDown();
            }, "mycroft-streams-shutdown"));
            app.start();
            System.out.println("Mycroft Streams running; dashboard and REST on http://"
                    + config.get(MycroftStreamsConfig.HTTP_ADVERTISED_HOST) + ":" + app.httpPort() + "/");
            stopped.await();
            return app.streams.state() == KafkaStreams.State.ERROR ? 1 : 0;
        }
    }
}
