package io.mycroft.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycroft.schemas.FloatVectors;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.TestStack;
import mycroft.schemas.ClassTarget;
import mycroft.schemas.HardSampleVector;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} + {@code chromium-driver}, which {@code ./mycroft
 * test} installs when missing) against the Streams app on the real local stack: the page lists the request, shows its
 * owners in the ranking's order with intervals, adds an owner whose data arrives later, shows the settled state, and
 * picks the live streams up again after the app restarts on the same port. The REST API needs tokens: the page is
 * opened once with trainer dash's token ({@code /?token=}), which its cookie then carries to every fetch and SSE
 * stream, also after the restart; it lists dash's requests only. The screenshot is kept in
 * {@code target/dashboard-browser-it.png}. Without the browser the test fails: it never skips.
 */
class DashboardBrowserIT {
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Owners and how strongly their samples lean towards the hard set's targets: the ranking is this order. */
    private static final Map<String, Double> QUALITY = Map.of("clean-owner", 0.9, "mixed-owner", 0.5, "noisy-owner", 0.1,
            "late-owner", 0.7, "after-restart-owner", 0.3);
    private static final int DIM = 12;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final Random random = new Random(7);
    private final float[] target = gaussian();
    private StackProperties stack;
    private Topics topics;
    private String trainerToken;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void thePageFollowsTheRankingLiveAndSurvivesARestartOfTheApp() throws Exception {
        assertThat(CHROMEDRIVER).as("chromedriver (apt-get install chromium-driver; ./mycroft test installs it)").isExecutable();
        assertThat(CHROMIUM).as("chromium (apt-get install chromium; ./mycroft test installs it)").isExecutable();
        stack = TestStack.shared();
        int port = freePort();
        Map<String, String> settings = settings(port);
        topics = MycroftStreamsConfig.of(settings).topics();
        String request = "dash.dashboard-it-" + UUID.randomUUID(); // trainer dash's
        MycroftStreamsApp app = startApp(settings);

        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, topics.hardsetVectors().name(), request,
                    topics.hardsetVectors().valueSerde().serializer().serialize(topics.hardsetVectors().name(), hardSet(request)));
            for (String owner : List.of("clean-owner", "mixed-owner", "noisy-owner")) {
                sendBatch(producer, request, owner, 0, 10);
            }
            ChromeDriver browser = browser();
            String page = "http://127.0.0.1:" + port + "/#" + request;
            browser.get("http://127.0.0.1:" + port + "/?token=" + trainerToken + "#" + request);
            assertThat(browser.getCurrentUrl()).as("the token is swapped for a cookie").isEqualTo(page);

            // The request is listed and its owners are shown in the ranking's order, with their intervals.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(text(browser, "#requests button[data-request='" + request + "']")).startsWith(request);
                assertThat(pageOrder(browser)).containsExactly("clean-owner", "mixed-owner", "noisy-owner")
                        .isEqualTo(restOrder(port, request));
            });
            assertThat(text(browser, "#ranking tr[data-owner='clean-owner'] td.score")).contains("±");
            assertThat(text(browser, "#connection")).isEqualTo("live");
            assertThat(requestsListed(browser)).allMatch(r -> r.startsWith("dash.")).contains(request);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(text(browser, "#dead-letter-count")).isEqualTo("operator only"));

            // A new owner's data arrives: the page adds it in its place without a reload.
            sendBatch(producer, request, "late-owner", 0, 10);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pageOrder(browser))
                    .containsExactly("clean-owner", "late-owner", "mixed-owner", "noisy-owner").isEqualTo(restOrder(port, request)));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(text(browser, "#progress tr[data-owner='late-owner']")).startsWith("late-owner"));

            // More data that keeps the order: once the separated order has survived the window, the page says settled.
            for (int round = 1; round <= 4; round++) {
                for (String owner : List.of("clean-owner", "late-owner", "mixed-owner", "noisy-owner")) {
                    sendBatch(producer, request, owner, round * 10, 10);
                }
            }
            await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                    assertThat(text(browser, "#settled")).isEqualTo("settled"));
            screenshot(browser, "dashboard-browser-it-settled.png");
            // Later updates may move the separated order again; either way the page ends up saying what REST says.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(text(browser, "#settled"))
                    .isEqualTo(restRanking(port, request).get("settled").asBoolean() ? "settled" : "not settled"));

            // The app stops and comes back on the same port: the page notices, reconnects by itself and stays live.
            app.close();
            open.remove(app);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(text(browser, "#connection")).isEqualTo("reconnecting"));
            startApp(settings);
            sendBatch(producer, request, "after-restart-owner", 0, 10);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(text(browser, "#connection")).isEqualTo("live");
                assertThat(pageOrder(browser)).contains("after-restart-owner").isEqualTo(restOrder(port, request));
            });
            assertThat(browser.getCurrentUrl()).isEqualTo(page);
            screenshot(browser, "dashboard-browser-it.png");
        }
    }

    private Map<String, String> settings(int port) throws Exception {
        Path tokenFile = Files.createTempDirectory("dashboard-it-tokens").resolve("rest-tokens");
        trainerToken = RestTokens.issue(tokenFile, "dash-trainer", "trainer:dash");
        Map<String, String> settings = new HashMap<>();
        settings.put(MycroftStreamsConfig.REST_TOKENS_FILE, tokenFile.toString());
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        settings.put(SerdeConfig.REGISTRY_URL, stack.schemaRegistryUrl());
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "dashboard-it-" + UUID.randomUUID());
        settings.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("dashboard-it").toString());
        // The restarted instance rejoins the group as soon as the broker drops the old member (the broker's minimum).
        settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "6000");
        settings.put(MycroftStreamsConfig.RANKING_EMIT_INTERVAL_MS, "200");
        settings.put(MycroftStreamsConfig.RANKING_SETTLED_WINDOW_UPDATES, "4");
        settings.put(MycroftStreamsConfig.HTTP_PORT, String.valueOf(port));
        return settings;
    }

    private MycroftStreamsApp startApp(Map<String, String> settings) {
        MycroftStreamsApp app = new MycroftStreamsApp(MycroftStreamsConfig.of(settings));
        open.add(app);
        app.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> app.streams().state() == KafkaStreams.State.RUNNING);
        return app;
    }

    private ChromeDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI and this machine run as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1100");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        open.add(driver::quit);
        return driver;
    }

    /** The owners of the page's ranking table, top to bottom (read in one script: the page re-renders the rows live). */
    @SuppressWarnings("unchecked")
    private static List<String> pageOrder(ChromeDriver browser) {
        return (List<String>) browser.executeScript(
                "return [...document.querySelectorAll('#ranking tbody tr')].map(row => row.dataset.owner);");
    }

    @SuppressWarnings("unchecked")
    private static List<String> requestsListed(ChromeDriver browser) {
        return (List<String>) browser.executeScript(
                "return [...document.querySelectorAll('#requests button')].map(b => b.dataset.request);");
    }

    private static String text(ChromeDriver browser, String css) {
        return (String) browser.executeScript("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css);
    }

    private List<String> restOrder(int port, String request) throws Exception {
        List<String> order = new ArrayList<>();
        restRanking(port, request).get("owners").forEach(o -> order.add(o.get("ownerId").asText()));
        return order;
    }

    private JsonNode restRanking(int port, String request) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/requests/"
                + request + "/ranking")).header("Authorization", "Bearer " + trainerToken).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Two classes with the same target y, so each owner's score has a class-bootstrap interval, narrow because the
     * owner's samples of both classes are nearly the same (see {@link #sendBatch}): the owners separate, and stay apart.
     */
    private HardSetVectors hardSet(String request) {
        List<ClassTarget> classes = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            classes.add(new ClassTarget(c, FloatVectors.of(target), List.of(new HardSampleVector("h" + c, FloatVectors.of(1f, 0f))), null));
        }
        return HardSetVectors.newBuilder().setRequestId(request).setModelId("mlp").setModelVersion(1)
                .setMethod(SelectionMethod.GRADIENT).setPerHardSample(3).setOptions(SelectionOptions.newBuilder().build())
                .setGradientDim(DIM).setEmbeddingDim(2).setClasses(classes).setComputedAt(Instant.now()).build();
    }

    /**
     * {@code count} samples of {@code owner}, in pairs: class 0 gets 0.3·n + q·y, class 1 the same with n slightly
     * perturbed (q = the owner's quality, n Gaussian noise).
     */
    private void sendBatch(KafkaProducer<String, byte[]> producer, String request, String owner, int first, int count) throws Exception {
        double quality = QUALITY.get(owner);
        List<SampleVector> samples = new ArrayList<>();
        float[] noise = gaussian();
        for (int s = first; s < first + count; s++) {
            int label = s % 2;
            float[] perturbation = gaussian();
            if (label == 0) {
                noise = gaussian();
            }
            float[] g = new float[DIM];
            for (int i = 0; i < DIM; i++) {
                g[i] = (float) (0.3 * (noise[i] + label * 0.1 * perturbation[i]) + quality * target[i]);
            }
            byte[] digest = new byte[32];
            random.nextBytes(digest);
            samples.add(new SampleVector(owner + "-" + s, label, FloatVectors.of(g), null, 0.3f, ByteBuffer.wrap(digest), (long) s, null));
        }
        SampleVectors batch = new SampleVectors(request, owner, 1, samples);
        send(producer, topics.sampleVectors().name(), Keys.requestOwner(request, owner),
                topics.sampleVectors().valueSerde().serializer().serialize(topics.sampleVectors().name(), batch));
    }

    private float[] gaussian() {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
