package io.mycroft.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mycroft.processors.ExposureLedger;
import io.mycroft.processors.OwnerRankingAggregator;
import io.mycroft.processors.SelectionRecords;
import io.mycroft.processors.UsefulSubsetProcessor;
import io.mycroft.schemas.serde.InMemorySchemaRegistry;
import io.mycroft.schemas.serde.SerdeConfig;
import mycroft.schemas.ClassSubset;
import mycroft.schemas.OwnerExposure;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.RankedOwner;
import mycroft.schemas.RequestExposure;
import mycroft.schemas.SelectedSample;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST routes of {@link QueryServer} over a stand-in {@link StoreLookup} (the real stores: StreamsAppIT). */
class QueryServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OwnerRanking RANKING = new OwnerRanking("r1", 3L,
            List.of(new RankedOwner("good", 1, 0.75, 2, null, 0.125, 40L, 3L, 0.7, 0.8),
                    new RankedOwner("poor", 2, 0.25, 1, 0.5, null, 9L, 0L, 0.2, 0.3)),
            SelectionRecords.T0, List.of("good>poor"), 4L, false, List.of("good>poor"));
    private static final SubsetUpdate SUBSET = SubsetUpdate.newBuilder().setRequestId("r1").setOwnerId("good").setSeq(2)
            .setSamplesSeen(40).setClasses(List.of(new ClassSubset(3, List.of(new SelectedSample("a", 0.5)), 0.25, 1.0, null)))
            .setScore(0.75).setAsOf(SelectionRecords.T0).build();

    private final String scope = "query-server-" + UUID.randomUUID();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void theRankingAndAnOwnersSubsetAreServedAsJson() throws Exception {
        Lookup state = new Lookup();
        QueryServer server = server(state);
        state.here = new HostInfo("127.0.0.1", server.port());
        state.put(OwnerRankingAggregator.RANKINGS, "r1", RANKING);
        state.put(UsefulSubsetProcessor.SUBSETS, "r1|good", SUBSET);

        HttpResponse<String> ranking = get(server, "/requests/r1/ranking");
        assertThat(ranking.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ranking.body())).isEqualTo(JSON.readTree("""
                {"requestId": "r1", "seq": 3, "asOf": "2026-01-01T00:00:00Z", "owners": [
                  {"ownerId": "good", "rank": 1, "score": 0.75, "subsetSize": 2, "coverage": null, "evaluationGain": 0.125,
                   "samplesSeen": 40, "duplicateSamples": 3, "scoreLow": 0.7, "scoreHigh": 0.8},
                  {"ownerId": "poor", "rank": 2, "score": 0.25, "subsetSize": 1, "coverage": 0.5, "evaluationGain": null,
                   "samplesSeen": 9, "duplicateSamples": 0, "scoreLow": 0.2, "scoreHigh": 0.3}],
                 "separatedPairs": ["good>poor"], "updatesSinceOrderChange": 4, "settled": false,
                 "heldPairs": ["good>poor"]}
                """));

        HttpResponse<String> subset = get(server, "/requests/r1/owners/good/subset");
        assertThat(subset.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(subset.body());
        assertThat(body.get("ownerId").asText()).isEqualTo("good");
        assertThat(body.get("seq").asLong()).isEqualTo(2);
        assertThat(body.get("classes").get(0).get("selected").get(0).get("sampleId").asText()).isEqualTo("a");
        assertThat(body.get("classes").get(0).get("selected").get(0).get("weight").asDouble()).isEqualTo(0.5);
        assertThat(body.get("cancelled").asBoolean()).isFalse();
        assertThat(state.asked).containsExactly("rankings/r1", "subsets/r1|good");
    }

    @Test
    void anOwnersExposureIsServedAsJson() throws Exception {
        Lookup state = new Lookup();
        QueryServer server = server(state);
        state.here = new HostInfo("127.0.0.1", server.port());
        state.put(ExposureLedger.STORE, "good", new OwnerExposure("good", List.of(new RequestExposure("r1", "operator", 2,
                List.of("a", "b"), 2, 3L, 2, 3L, List.of(3L), SelectionRecords.T0, SelectionRecords.T0))));

        HttpResponse<String> exposure = get(server, "/owners/good/exposure");
        assertThat(exposure.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(exposure.body())).isEqualTo(JSON.readTree("""
                {"ownerId": "good", "requests": [{"requestId": "r1", "revealedTo": "operator", "cap": 2,
                  "revealedSampleIds": ["a", "b"], "revealedSamples": 2, "latestSubsetSeq": 3, "latestSubsetSize": 2, "subsetReveals": 3,
                  "purchasedSubsetSeqs": [3], "firstRevealedAt": "2026-01-01T00:00:00Z", "lastRevealedAt": "2026-01-01T00:00:00Z"}]}
                """));
        assertThat(get(server, "/owners/nobody/exposure").statusCode()).isEqualTo(404);
        assertThat(state.asked).containsExactly("exposure/good", "exposure/nobody");
    }

    @Test
    void theRankingStreamNeedsNoAcceptHeader() throws Exception {
        Lookup state = new Lookup();
        QueryServer server = server(state);
        state.here = new HostInfo("127.0.0.1", server.port());
        state.put(OwnerRankingAggregator.RANKINGS, "r1", RANKING);

        // Like curl -N: no Accept: text/event-stream (java.net.http sends no Accept header at all).
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/requests/r1/ranking/stream")).build();
        assertThat(request.headers().firstValue("Accept")).isEmpty();
        HttpResponse<Stream<String>> stream = http.send(request, HttpResponse.BodyHandlers.ofLines());

        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        try (Stream<String> lines = stream.body()) {
            List<String> firstEvent = lines.dropWhile(line -> !line.startsWith("event:")).limit(2).toList();
            assertThat(firstEvent.get(0)).isEqualTo("event: ranking");
            assertThat(JSON.readTree(firstEvent.get(1).substring("data: ".length())).get("seq").asLong()).isEqualTo(3);
        }
    }

    @Test
    void aWrongMethodOnAKnownPathIs405WithAllowAndAnUnknownPathIs404() throws Exception {
        QueryServer server = server(new Lookup());

        for (String path : List.of("/requests/r1/ranking", "/requests/r1/owners/good/subset", "/owners/good/exposure",
                "/requests/r1/ranking/stream", "/health", "/metrics")) {
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).as("POST " + path).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).as("POST " + path).hasValue("GET");
        }
        HttpResponse<String> delete = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/requests/r1/ranking")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(get(server, "/requests/r1/rankings").statusCode()).isEqualTo(404);
        assertThat(get(server, "/nowhere").statusCode()).isEqualTo(404);
    }

    @Test
    void anUnknownRequestOrOwnerIs404() throws Exception {
        Lookup state = new Lookup();
        QueryServer server = server(state);
        state.here = new HostInfo("127.0.0.1", server.port());

        HttpResponse<String> ranking = get(server, "/requests/nobody/ranking");
        assertThat(ranking.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(ranking.body())).isEqualTo(JSON.readTree("{\"error\": \"nothing for nobody yet\"}"));
        assertThat(get(server, "/requests/r1/owners/nobody/subset").statusCode()).isEqualTo(404);
    }

    @Test
    void aStoreThatIsNotAvailableYetIs503() throws Exception {
        Lookup state = new Lookup();
        QueryServer server = server(state);
        state.here = null;

        HttpResponse<String> ranking = get(server, "/requests/r1/ranking");
        assertThat(ranking.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(ranking.body()).get("error").asText()).contains("store rankings is not available yet");
    }

    /** A key held by another instance is answered there (asked with ?local=true, so it does not forward again). */
    @Test
    void aKeyHeldByAnotherInstanceIsForwardedToIt() throws Exception {
        Lookup remoteState = new Lookup();
        QueryServer remote = server(remoteState);
        remoteState.here = new HostInfo("127.0.0.1", remote.port() + 1); // whatever it is told, ?local=true answers locally
        remoteState.put(OwnerRankingAggregator.RANKINGS, "r1", RANKING);
        Lookup localState = new Lookup();
        QueryServer local = server(localState);
        localState.here = new HostInfo("127.0.0.1", remote.port());

        HttpResponse<String> ranking = get(local, "/requests/r1/ranking");

        assertThat(ranking.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ranking.body()).get("owners").get(0).get("ownerId").asText()).isEqualTo("good");
        assertThat(localState.asked).isEmpty();
        assertThat(remoteState.asked).containsExactly("rankings/r1");
        assertThat(get(local, "/requests/nobody/ranking").statusCode()).isEqualTo(404);
    }

    @Test
    void healthIsUpWhileStreamsRunsOrRebalancesAndDownOtherwise() throws Exception {
        Lookup state = new Lookup();
        QueryServer server = new QueryServer(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), feed());
        open.add(server);
        server.start(0);
        HttpResponse<String> beforeAttach = get(server, "/health");
        assertThat(beforeAttach.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(beforeAttach.body())).isEqualTo(JSON.readTree("{\"state\": \"CREATED\"}"));

        server.attach(state);
        for (KafkaStreams.State s : KafkaStreams.State.values()) {
            state.state = s;
            boolean up = s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING;
            HttpResponse<String> health = get(server, "/health");
            assertThat(health.statusCode()).as(s.name()).isEqualTo(up ? 200 : 503);
            assertThat(JSON.readTree(health.body()).get("state").asText()).isEqualTo(s.name());
        }
    }

    /** Issue 17: a ranking feed that died left /health at 200 while SSE clients got nothing. */
    @Test
    void healthIsDownWhenTheRankingFeedHasStopped() throws Exception {
        org.apache.kafka.clients.consumer.MockConsumer<byte[], byte[]> consumer = new org.apache.kafka.clients.consumer.MockConsumer<>("earliest");
        consumer.updatePartitions("owner-rankings", List.of());
        consumer.setPollException(new org.apache.kafka.common.KafkaException("broker says no"));
        RankingFeed feed = new RankingFeed(MycroftStreamsConfig.of(Map.of(SerdeConfig.REGISTRY_URL, "mock://" + scope)), consumer,
                () -> { throw new AssertionError("no letters expected"); });
        open.add(feed);
        QueryServer server = new QueryServer(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), feed);
        open.add(server);
        server.start(0);
        Lookup state = new Lookup();
        state.state = KafkaStreams.State.RUNNING;
        server.attach(state);
        assertThat(get(server, "/health").statusCode()).isEqualTo(200);

        feed.start();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> feed.failure() != null);
        HttpResponse<String> health = get(server, "/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(health.body()).get("rankingFeed").asText()).contains("broker says no");
    }

    @Test
    void metricsAreScrapedInPrometheusFormat() throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meters.counter("mycroft.samples.processed").increment(7);
        QueryServer server = new QueryServer(meters, feed());
        open.add(server);
        server.start(0);

        HttpResponse<String> metrics = get(server, "/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body()).contains("mycroft_samples_processed_total 7.0");
    }

    private QueryServer server(Lookup state) {
        QueryServer server = new QueryServer(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), feed());
        open.add(server);
        server.start(0);
        server.attach(state);
        return server;
    }

    /** A feed that is never started: these routes do not use it, and it must not reach for a broker. */
    private RankingFeed feed() {
        RankingFeed feed = new RankingFeed(MycroftStreamsConfig.of(Map.of(SerdeConfig.REGISTRY_URL, "mock://" + scope)));
        open.add(feed);
        return feed;
    }

    private HttpResponse<String> get(QueryServer server, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Stores as maps, every key on {@link #here} ({@code null}: not available); records what was read locally. */
    static final class Lookup implements StoreLookup {
        private final Map<String, Map<String, Object>> stores = new HashMap<>();
        final List<String> asked = new CopyOnWriteArrayList<>();
        volatile KafkaStreams.State state = KafkaStreams.State.RUNNING;
        volatile HostInfo here;

        void put(String store, String key, Object value) {
            stores.computeIfAbsent(store, s -> new HashMap<>()).put(key, value);
        }

        @Override
        public KafkaStreams.State state() {
            return state;
        }

        @Override
        public HostInfo activeHost(String store, String key) {
            return here;
        }

        @Override
        public Object localValue(String store, String key) {
            asked.add(store + "/" + key);
            return stores.getOrDefault(store, Map.of()).get(key);
        }
    }
}
