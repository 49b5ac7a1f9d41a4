package io.mycroft.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mycroft.schemas.serde.InMemorySchemaRegistry;
import io.mycroft.schemas.serde.SerdeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's routes on a {@link QueryServer} with no broker behind it (feed not started): the page and its assets
 * come from the jar, the chart library from its WebJar, and the JSON routes answer empty. The page in a real browser
 * on the real stack: DashboardBrowserIT.
 */
class DashboardTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String scope = "dashboard-" + UUID.randomUUID();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void thePageItsAssetsAndTheChartLibraryAreServedFromTheJar() throws Exception {
        QueryServer server = server();
        HttpResponse<String> page = get(server, "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("<title>Mycroft Streams — live dashboard</title>")
                .contains("/webjars/chart.js/4.5.1/dist/chart.umd.min.js");
        assertThat(get(server, "/dashboard.js").body()).contains("EventSource");
        assertThat(get(server, "/dashboard.css").statusCode()).isEqualTo(200);
        HttpResponse<String> chart = get(server, "/webjars/chart.js/4.5.1/dist/chart.umd.min.js");
        assertThat(chart.statusCode()).isEqualTo(200);
        assertThat(chart.body()).contains("Chart");
    }

    @Test
    void theJsonRoutesAnswerEmptyBeforeAnyRecord() throws Exception {
        QueryServer server = server();
        assertThat(JSON.readTree(get(server, "/requests").body())).isEqualTo(JSON.readTree("[]"));
        JsonNode deadLetters = JSON.readTree(get(server, "/dead-letters").body());
        assertThat(deadLetters.get("count").asLong()).isZero();
        assertThat(deadLetters.get("latest")).isEmpty();
        JsonNode progress = JSON.readTree(get(server, "/requests/r1/progress").body());
        assertThat(progress.get("requestId").asText()).isEqualTo("r1");
        assertThat(progress.get("owners")).isEmpty();
        assertThat(progress.get("deadLetters").get("count").asLong()).isZero();
    }

    private QueryServer server() {
        MycroftStreamsConfig config = MycroftStreamsConfig.of(Map.of(SerdeConfig.REGISTRY_URL, "mock://" + scope));
        RankingFeed feed = new RankingFeed(config);
        open.add(feed);
        DashboardFeed dashboardFeed = new DashboardFeed(config);
        open.add(dashboardFeed);
        Dashboard dashboard = new Dashboard(dashboardFeed);
        open.add(dashboard);
        QueryServer server = new QueryServer(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), feed, dashboard, RestAuth.open());
        open.add(server);
        server.start(0);
        return server;
    }

    private HttpResponse<String> get(QueryServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
