package io.mycroft.stack.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A bare HTTP client for the tests: sends JSON, returns status, content type and parsed body, asserts nothing. */
final class RegistryClient {

    record Response(int status, String contentType, String text) {

        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("Not JSON: " + text, e);
            }
        }

        int errorCode() {
            return json().path("error_code").asInt();
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;

    RegistryClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    Response get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, SchemaRegistryServer.CONTENT_TYPE);
    }

    Response delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null, SchemaRegistryServer.CONTENT_TYPE);
    }

    Response post(String path, String body) throws IOException, InterruptedException {
        return send("POST", path, body, SchemaRegistryServer.CONTENT_TYPE);
    }

    Response put(String path, String body) throws IOException, InterruptedException {
        return send("PUT", path, body, SchemaRegistryServer.CONTENT_TYPE);
    }

    Response send(String method, String path, String body, String contentType) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", contentType)
                .header("Accept", SchemaRegistryServer.CONTENT_TYPE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    /** POSTs {"schema": schema} to {@code path}. */
    Response postSchema(String path, String schema) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("schema", schema);
        return post(path, body.toString());
    }

    /** Registers {@code schema} under {@code subject} and returns the id; fails the test if the registry refuses. */
    int register(String subject, String schema) throws IOException, InterruptedException {
        Response response = postSchema("/subjects/" + subject + "/versions", schema);
        if (response.status() != 200) {
            throw new AssertionError("Registering under " + subject + " failed: " + response);
        }
        return response.json().get("id").asInt();
    }
}
