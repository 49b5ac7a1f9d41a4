package io.mycroft.topology;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;
import mycroft.schemas.OwnerRanking;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live dashboard: the page at {@code /} (plain HTML/CSS/JS from the jar, Chart.js from its WebJar under
 * {@code /webjars/}) and the JSON it reads besides the ranking routes of {@link QueryServer}:
 * {@code GET /requests} (every request with its latest ranking), {@code GET /requests/{id}/progress} (per owner
 * ingested / vectorised / duplicates and the score and residual series), {@code GET /dead-letters}, and
 * {@code GET /requests/{id}/progress/stream} (SSE: the progress and dead letters whenever they change, checked every
 * {@value #PUSH_MS} ms). The data comes from a {@link DashboardFeed}. With tokens ({@link RestAuth}) the list holds
 * the caller's requests only, a request's progress is its trainer's, and the dead letters (of every request and
 * owner) are the operator's.
 */
final class Dashboard implements AutoCloseable {
    static final long PUSH_MS = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DashboardFeed feed;
    private final ScheduledExecutorService pusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mycroft-dashboard-push");
        t.setDaemon(true);
        return t;
    });

    Dashboard(DashboardFeed feed) {
        this.feed = feed;
    }

    void register(JavalinConfig config, RestAuth auth) {
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = "/io/mycroft/topology/dashboard";
            files.location = Location.CLASSPATH;
        });
        config.staticFiles.enableWebjars();
        config.routes.get("/requests", ctx -> requests(ctx, auth.principal(ctx)));
        config.routes.get("/requests/{id}/progress", auth.require(QueryServer::mayReadRequest,
                ctx -> ctx.json(progress(ctx.pathParam("id"), auth.principal(ctx)))));
        config.routes.get("/dead-letters", auth.require((p, ctx) -> p.isOperator(), ctx -> ctx.json(feed.deadLetters())));
        config.routes.get("/requests/{id}/progress/stream", auth.require(QueryServer::mayReadRequest,
                ctx -> QueryServer.eventStream(ctx, client -> stream(client, auth.principal(ctx)))));
    }

    private void requests(Context ctx, RestPrincipal principal) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (OwnerRanking ranking : feed.rankings().values()) {
            if (!principal.mayReadRequest(ranking.getRequestId())) {
                continue;
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("requestId", ranking.getRequestId());
            r.put("owners", ranking.getOwners().size());
            r.put("settled", ranking.getSettled());
            r.put("asOf", ranking.getAsOf().toString());
            list.add(r);
        }
        ctx.json(list);
    }

    /** The request's progress; with the dead letters for the operator (they name other requests and owners). */
    private Map<String, Object> progress(String requestId, RestPrincipal principal) {
        Map<String, Object> json = feed.request(requestId);
        if (principal.isOperator()) {
            json.put("deadLetters", feed.deadLetters());
        }
        return json;
    }

    /** Sends the progress now and then whenever the feed changed, until the client goes. */
    private void stream(SseClient client, RestPrincipal principal) {
        String requestId = client.ctx().pathParam("id");
        client.keepAlive();
        AtomicLong sent = new AtomicLong(-1);
        ScheduledFuture<?> task = pusher.scheduleWithFixedDelay(() -> {
            try {
                long version = feed.version();
                if (sent.getAndSet(version) != version) {
                    client.sendEvent("progress", json(progress(requestId, principal)));
                }
            } catch (RuntimeException e) {
                client.close(); // the client went away mid-send; onClose cancels this task
            }
        }, 0, PUSH_MS, TimeUnit.MILLISECONDS);
        client.onClose(() -> task.cancel(false));
    }

    private static String json(Object tree) {
        try {
            return JSON.writeValueAsString(tree);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        pusher.shutdownNow();
    }
}
