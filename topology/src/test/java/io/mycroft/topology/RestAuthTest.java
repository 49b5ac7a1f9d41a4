package io.mycroft.topology;

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
import mycroft.schemas.SelectedSample;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bearer tokens on the REST API ({@link RestAuth}, {@link RestTokens}): a {@link QueryServer} with the dashboard and a
 * token file, over stand-in stores. Request {@code alice.r1} is trainer alice's, {@code bob.r2} trainer bob's; owners
 * good and poor have subsets in both.
 */
class RestAuthTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Path tokenFile;
    private final String scope = "rest-auth-" + UUID.randomUUID();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final QueryServerTest.Lookup state = new QueryServerTest.Lookup();
    private String operator;
    private String alice;
    private String bob;
    private String good;
    private String poor;
    private QueryServer server;

    @BeforeEach
    void start() {
        tokenFile = dir.resolve("rest-tokens");
        operator = RestTokens.issue(tokenFile, "ops", "operator");
        alice = RestTokens.issue(tokenFile, "alice", "trainer:alice");
        bob = RestTokens.issue(tokenFile, "bob", "trainer:bob");
        good = RestTokens.issue(tokenFile, "good-co", "owner:good");
        poor = RestTokens.issue(tokenFile, "poor-co", "owner:poor");
        for (String request : List.of("alice.r1", "bob.r2")) {
            state.put(OwnerRankingAggregator.RANKINGS, request, ranking(request));
            for (String owner : List.of("good", "poor")) {
                state.put(UsefulSubsetProcessor.SUBSETS, request + "|" + owner, subset(request, owner));
            }
        }
        state.put(ExposureLedger.STORE, "good", new OwnerExposure("good", List.of()));
        state.put(ExposureLedger.STORE, "poor", new OwnerExposure("poor", List.of()));
        server = server(RestAuth.with(RestTokens.load(tokenFile)), state);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void noTokenOrAnUnknownOneIs401WithWwwAuthenticateButHealthIsOpen() throws Exception {
        for (String path : List.of("/requests/alice.r1/ranking", "/requests/alice.r1/owners/good/subset",
                "/owners/good/exposure", "/requests/alice.r1/ranking/stream", "/metrics", "/requests", "/dead-letters",
                "/requests/alice.r1/progress", "/requests/alice.r1/progress/stream")) {
            for (String token : new String[] {null, "not-a-token", operator + "x"}) {
                HttpResponse<String> answer = get(path, token);
                assertThat(answer.statusCode()).as(path + " with " + token).isEqualTo(401);
                assertThat(answer.headers().firstValue("WWW-Authenticate")).as(path).hasValue("Bearer realm=\"mycroft\"");
                assertThat(answer.body()).doesNotContain("sampleId").doesNotContain("ownerId");
            }
        }
        assertThat(state.asked).isEmpty();
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
        assertThat(get("/requests/alice.r1/ranking", "").statusCode()).isEqualTo(401);
    }

    @Test
    void theOperatorReadsEverything() throws Exception {
        for (String path : List.of("/requests/alice.r1/ranking", "/requests/bob.r2/owners/poor/subset",
                "/owners/good/exposure", "/metrics", "/requests", "/dead-letters", "/requests/bob.r2/progress")) {
            assertThat(get(path, operator).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(JSON.readTree(get("/requests/bob.r2/progress", operator).body()).has("deadLetters")).isTrue();
    }

    @Test
    void anOwnerReadsItsOwnSubsetOfAnyRequestAndItsExposureOnly() throws Exception {
        HttpResponse<String> own = get("/requests/bob.r2/owners/good/subset", good);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(own.body()).get("ownerId").asText()).isEqualTo("good");
        assertThat(get("/requests/alice.r1/owners/good/subset", good).statusCode()).isEqualTo(200);
        assertThat(get("/owners/good/exposure", good).statusCode()).isEqualTo(200);

        HttpResponse<String> others = get("/requests/bob.r2/owners/poor/subset", good);
        assertThat(others.statusCode()).isEqualTo(403);
        assertThat(others.body()).doesNotContain("sampleId");
        assertThat(get("/owners/poor/exposure", good).statusCode()).isEqualTo(403);
        assertThat(get("/requests/bob.r2/ranking", good).statusCode()).isEqualTo(403);
        assertThat(get("/requests/bob.r2/ranking/stream", good).statusCode()).isEqualTo(403);
        assertThat(get("/requests/bob.r2/progress", good).statusCode()).isEqualTo(403);
        assertThat(get("/metrics", good).statusCode()).isEqualTo(403);
        assertThat(get("/dead-letters", good).statusCode()).isEqualTo(403);
        assertThat(state.asked).containsExactly("subsets/bob.r2|good", "subsets/alice.r1|good", "exposure/good");
    }

    @Test
    void aTrainerReadsItsOwnRequestsOnly() throws Exception {
        assertThat(get("/requests/alice.r1/ranking", alice).statusCode()).isEqualTo(200);
        assertThat(get("/requests/alice.r1/owners/poor/subset", alice).statusCode()).isEqualTo(200);
        HttpResponse<String> progress = get("/requests/alice.r1/progress", alice);
        assertThat(progress.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(progress.body()).has("deadLetters")).as("dead letters name every request").isFalse();

        HttpResponse<String> others = get("/requests/bob.r2/ranking", alice);
        assertThat(others.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(others.body()).get("error").asText()).isEqualTo("alice may not read /requests/bob.r2/ranking");
        assertThat(get("/requests/bob.r2/owners/good/subset", alice).statusCode()).isEqualTo(403);
        assertThat(get("/requests/bob.r2/ranking/stream", alice).statusCode()).isEqualTo(403);
        assertThat(get("/requests/bob.r2/progress/stream", alice).statusCode()).isEqualTo(403);
        // Not namespaced by a trainer, or by one whose name merely starts like alice's: the operator's alone.
        assertThat(get("/requests/r1/ranking", alice).statusCode()).isEqualTo(403);
        assertThat(get("/requests/alicex.r1/ranking", alice).statusCode()).isEqualTo(403);
        assertThat(get("/owners/good/exposure", alice).statusCode()).isEqualTo(403);
        assertThat(get("/dead-letters", alice).statusCode()).isEqualTo(403);
        assertThat(get("/metrics", alice).statusCode()).isEqualTo(403);
        assertThat(state.asked).containsExactly("rankings/alice.r1", "subsets/alice.r1|poor");
        assertThat(get("/requests/bob.r2/ranking", bob).statusCode()).isEqualTo(200);
    }

    @Test
    void theRankingStreamTakesTheTokenAsBearerOrAsThePagesCookie() throws Exception {
        for (Map.Entry<String, String> header : Map.of("Authorization", "Bearer " + alice,
                "Cookie", RestAuth.COOKIE + "=" + alice).entrySet()) {
            HttpRequest request = HttpRequest.newBuilder(uri("/requests/alice.r1/ranking/stream"))
                    .header(header.getKey(), header.getValue()).build();
            HttpResponse<Stream<String>> stream = http.send(request, HttpResponse.BodyHandlers.ofLines());
            assertThat(stream.statusCode()).as(header.getKey()).isEqualTo(200);
            try (Stream<String> lines = stream.body()) {
                // The current ranking, which the stream reads from the REST route with the caller's token.
                List<String> firstEvent = lines.dropWhile(line -> !line.startsWith("event:")).limit(2).toList();
                assertThat(firstEvent.get(0)).isEqualTo("event: ranking");
                assertThat(JSON.readTree(firstEvent.get(1).substring("data: ".length())).get("requestId").asText())
                        .isEqualTo("alice.r1");
            }
        }
    }

    @Test
    void thePageTakesItsTokenOnceIntoAnHttpOnlyCookie() throws Exception {
        HttpResponse<String> page = get("/", null);
        assertThat(page.statusCode()).as("the page itself holds no data").isEqualTo(200);
        assertThat(get("/dashboard.js", null).statusCode()).isEqualTo(200);

        HttpResponse<String> login = get("/?snapshot&token=" + alice, null);
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/?snapshot");
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(RestAuth.COOKIE + "=" + alice).contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/");
        assertThat(get("/?token=" + alice + "x", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aForwardedQueryCarriesTheCallersToken() throws Exception {
        QueryServerTest.Lookup localState = new QueryServerTest.Lookup();
        QueryServer local = server(RestAuth.with(RestTokens.load(tokenFile)), localState);
        localState.here = new HostInfo("127.0.0.1", server.port());

        HttpResponse<String> ranking = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local.port()
                + "/requests/alice.r1/ranking")).header("Authorization", "Bearer " + alice).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(ranking.statusCode()).isEqualTo(200);
        assertThat(localState.asked).isEmpty();
        assertThat(state.asked).containsExactly("rankings/alice.r1");
    }

    @Test
    void aTokenIssuedWhileTheAppRunsWorksAtOnceAndTheFileHoldsNoToken() throws Exception {
        String carol = RestTokens.issue(tokenFile, "carol", "trainer:carol");
        state.put(OwnerRankingAggregator.RANKINGS, "carol.r3", ranking("carol.r3"));

        assertThat(get("/requests/carol.r3/ranking", carol).statusCode()).isEqualTo(200);
        String file = Files.readString(tokenFile);
        for (String token : List.of(operator, alice, bob, good, poor, carol)) {
            assertThat(file).doesNotContain(token);
        }
        assertThat(file).contains("," + "carol,trainer:carol");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
    }

    @Test
    void aBadLineOrRoleIsRefusedWithWhereItIs() throws Exception {
        assertThatThrownBy(() -> RestTokens.issue(tokenFile, "x", "admin")).hasMessageContaining("is not operator, owner:");
        assertThatThrownBy(() -> RestTokens.issue(tokenFile, "x", "trainer:a.b")).hasMessageContaining("without '.'");
        assertThatThrownBy(() -> RestTokens.issue(tokenFile, "x y", "operator")).hasMessageContaining("without spaces");
        Path bad = dir.resolve("bad-tokens");
        Files.writeString(bad, "# comment\n" + "ab".repeat(32) + ",ops,operator\nabc,ops,operator\n");
        assertThatThrownBy(() -> RestTokens.load(bad)).hasMessageContaining(bad + " line 3");
        assertThatThrownBy(() -> RestTokens.load(dir.resolve("none"))).hasMessageContaining("no REST token file");
    }

    private QueryServer server(RestAuth auth, QueryServerTest.Lookup lookup) {
        MycroftStreamsConfig config = MycroftStreamsConfig.of(Map.of(SerdeConfig.REGISTRY_URL, "mock://" + scope));
        RankingFeed feed = new RankingFeed(config);
        open.add(feed);
        DashboardFeed dashboardFeed = new DashboardFeed(config);
        open.add(dashboardFeed);
        Dashboard dashboard = new Dashboard(dashboardFeed);
        open.add(dashboard);
        QueryServer query = new QueryServer(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), feed, dashboard, auth);
        open.add(query);
        query.start(0);
        query.attach(lookup);
        lookup.here = new HostInfo("127.0.0.1", query.port());
        return query;
    }

    private static OwnerRanking ranking(String request) {
        return new OwnerRanking(request, 1L, List.of(new RankedOwner("good", 1, 0.75, 1, null, null, 4L, 0L, 0.7, 0.8)),
                SelectionRecords.T0, List.of(), 0L, false, List.of());
    }

    private static SubsetUpdate subset(String request, String owner) {
        return SubsetUpdate.newBuilder().setRequestId(request).setOwnerId(owner).setSeq(1).setSamplesSeen(4)
                .setClasses(List.of(new ClassSubset(0, List.of(new SelectedSample(owner + "-s1", 0.5)), 0.25, 1.0, null)))
                .setScore(0.75).setAsOf(SelectionRecords.T0).build();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
