package io.mycroft.topology;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mycroft.processors.ExposureLedger;
import io.mycroft.processors.OwnerRankingAggregator;
import io.mycroft.processors.UsefulSubsetProcessor;
import io.mycroft.schemas.Keys;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The REST API over interactive queries: {@code GET /requests/{id}/ranking}, {@code GET
 * /requests/{id}/owners/{owner}/subset} (answered by the instance that holds the key, forwarded there by any other),
 * {@code GET /owners/{owner}/exposure} (the owner's exposure-ledger summary), {@code GET /requests/{id}/ranking/stream}
 * (Server-Sent Events), {@code GET /health} and {@code GET /metrics}. The
 * state comes through a {@link StoreLookup}, the live rankings from a {@link RankingFeed} whose lifecycle the app owns.
 * With a token file ({@link RestAuth}) a request's ranking and stream are its trainer's, a subset also its owner's, an
 * exposure its owner's, the metrics the operator's; the operator reads everything.
 */
final class QueryServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOCAL_ONLY = "local";
    private static final String LOOPBACK = "127.0.0.1";

    private final PrometheusMeterRegistry meters;
    private final RankingFeed feed;
    private final Dashboard dashboard;
    private final RestAuth auth;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Javalin javalin;
    private volatile StoreLookup lookup;
    private String advertisedHost = LOOPBACK;

    QueryServer(PrometheusMeterRegistry meters, RankingFeed feed) {
        this(meters, feed, null, RestAuth.open());
    }

    /** With a {@link Dashboard}, also the page at {@code /} and the JSON it reads; {@code auth} guards every route. */
    QueryServer(PrometheusMeterRegistry meters, RankingFeed feed, Dashboard dashboard, RestAuth auth) {
        this.meters = meters;
        this.feed = feed;
        this.dashboard = dashboard;
        this.auth = auth;
    }

    /** On 127.0.0.1, as the only instance a client on this machine talks to. */
    void start(int port) {
        start(LOOPBACK, port, LOOPBACK);
    }

    /**
     * Serves on {@code bindAddress:port}; {@code advertisedHost} is the name other instances reach this one by (its
     * application.server), so a forwarded query for a key held here is answered here.
     */
    void start(String bindAddress, int port, String advertisedHost) {
        this.advertisedHost = advertisedHost;
        javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            // A known path with the wrong method is 405 with an Allow header, not 404.
            config.http.prefer405over404 = true;
            auth.register(config);
            config.routes.get(RestAuth.HEALTH, this::health);
            config.routes.get("/metrics", auth.require((p, ctx) -> p.isOperator(),
                    ctx -> ctx.contentType("text/plain; version=0.0.4").result(meters.scrape())));
            config.routes.get("/requests/{id}/ranking", auth.require(QueryServer::mayReadRequest,
                    ctx -> query(ctx, OwnerRankingAggregator.RANKINGS, ctx.pathParam("id"))));
            config.routes.get("/requests/{id}/owners/{owner}/subset", auth.require(
                    (p, ctx) -> mayReadRequest(p, ctx) || p.mayReadOwner(ctx.pathParam("owner")),
                    ctx -> query(ctx, UsefulSubsetProcessor.SUBSETS, Keys.requestOwner(ctx.pathParam("id"), ctx.pathParam("owner")))));
            config.routes.get("/requests/{id}/ranking/stream", auth.require(QueryServer::mayReadRequest,
                    ctx -> eventStream(ctx, this::stream)));
            config.routes.get("/owners/{owner}/exposure", auth.require((p, ctx) -> p.mayReadOwner(ctx.pathParam("owner")),
                    ctx -> query(ctx, ExposureLedger.STORE, ctx.pathParam("owner"))));
            if (dashboard != null) {
                dashboard.register(config, auth);
            }
            config.routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        }).start(bindAddress, port);
    }

    /** Whether {@code principal} may read the request the route's {@code {id}} names. */
    static boolean mayReadRequest(RestPrincipal principal, Context ctx) {
        return principal.mayReadRequest(ctx.pathParam("id"));
    }

    int port() {
        return javalin.port();
    }

    void attach(StoreLookup lookup) {
        this.lookup = lookup;
    }

    private void health(Context ctx) {
        StoreLookup lookup = this.lookup;
        KafkaStreams.State state = lookup == null ? KafkaStreams.State.CREATED : lookup.state();
        boolean healthy = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
        RuntimeException feedFailure = feed.failure();
        if (feedFailure != null) {
            ctx.status(503).json(Map.of("state", state.name(), "rankingFeed", "stopped: " + feedFailure));
            return;
        }
        ctx.status(healthy ? 200 : 503).json(Map.of("state", state.name()));
    }

    /** Answers from the local store if this instance holds {@code key}, else forwards to the instance that does. */
    private void query(Context ctx, String store, String key) throws IOException, InterruptedException {
        StoreLookup lookup = this.lookup;
        HostInfo active = lookup == null ? null : lookup.activeHost(store, key);
        if (active == null) {
            error(ctx, 503, "store " + store + " is not available yet (starting or rebalancing); retry");
            return;
        }
        if (ctx.queryParam(LOCAL_ONLY) != null || isSelf(active)) {
            Object value = lookup.localValue(store, key);
            if (value == null) {
                error(ctx, 404, "nothing for " + key + " yet");
            } else {
                ctx.json(AvroJson.of(value));
            }
            return;
        }
        URI remote = URI.create("http://" + active.host() + ":" + active.port() + ctx.path() + "?" + LOCAL_ONLY + "=true");
        HttpResponse<String> answer = http.send(withHeaders(HttpRequest.newBuilder(remote), auth.forwardHeaders(ctx))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        ctx.status(answer.statusCode()).contentType("application/json").result(answer.body());
    }

    private boolean isSelf(HostInfo host) {
        return host.port() == port() && (host.host().equals(advertisedHost) || host.host().equals(LOOPBACK)
                || host.host().equals("localhost"));
    }

    /**
     * Javalin's {@code SseHandler} minus its {@code Accept: text/event-stream} check: {@code curl -N} sends
     * {@code Accept: *}{@code /*} and must get the stream too, not an empty 200.
     */
    /**
     * Answers {@code ctx} as a server-sent event stream whatever its Accept header (Javalin's SSE route needs
     * {@code Accept: text/event-stream}; {@code curl -N URL} sends none) and hands it to {@code events}.
     */
    static void eventStream(Context ctx, Consumer<SseClient> events) throws IOException {
        ctx.res().setStatus(200);
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setContentType("text/event-stream");
        ctx.res().addHeader("Connection", "close");
        ctx.res().addHeader("Cache-Control", "no-cache");
        ctx.res().addHeader("X-Accel-Buffering", "no"); // proxies must not buffer the events
        ctx.res().flushBuffer();
        ctx.async(task -> task.timeout = 0, () -> events.accept(new SseClient(ctx)));
    }

    private void stream(SseClient client) {
        String requestId = client.ctx().pathParam("id");
        client.keepAlive();
        Runnable unsubscribe = feed.subscribe(requestId, ranking -> client.sendEvent("ranking", json(AvroJson.of(ranking))));
        client.onClose(unsubscribe);
        try {
            HttpRequest.Builder ask = HttpRequest.newBuilder(URI.create("http://" + advertisedHost + ":" + port()
                    + "/requests/" + requestId + "/ranking")).timeout(Duration.ofSeconds(10));
            HttpResponse<String> current = http.send(withHeaders(ask, auth.forwardHeaders(client.ctx())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (current.statusCode() == 200) {
                client.sendEvent("ranking", current.body());
            }
        } catch (IOException e) {
            client.sendComment("current ranking unavailable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpRequest.Builder withHeaders(HttpRequest.Builder request, Map<String, String> headers) {
        headers.forEach(request::header);
        return request;
    }

    private static String json(Object tree) {
        try {
            return JSON.writeValueAsString(tree);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(Map.of("error", message));
    }

    @Override
    public void close() {
        if (javalin != null) {
            javalin.stop();
        }
    }
}
