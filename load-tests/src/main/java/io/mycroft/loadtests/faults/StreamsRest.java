package io.mycroft.loadtests.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The Streams app's REST API as the fault runs read it: what its state holds right now, or nothing while it is down. */
final class StreamsRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final int port;

    StreamsRest(int port) {
        this.port = port;
    }

    /**
     * Samples of the (request, owner) its subset state has counted: updated on every batch, unlike the published
     * subset, which is sent only when it changes. -1 while the app does not answer.
     */
    long samplesSeen(String request, String owner) {
        String body = get("/requests/" + encode(request) + "/owners/" + encode(owner) + "/subset");
        if (body == null) {
            return -1;
        }
        try {
            return JSON.readTree(body).path("samplesSeen").asLong(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The body of a 200 answer to {@code path}, or null (not up, not ready, not there). */
    String get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(3)).GET().build();
        try {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 ? answer.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
