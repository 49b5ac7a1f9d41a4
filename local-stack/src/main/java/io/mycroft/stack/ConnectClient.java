package io.mycroft.stack;

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
import java.util.Map;
import java.util.Optional;

/** The few calls of Kafka Connect's REST API that the CLI (owner connectors) and the connectors' tests make. */
public final class ConnectClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    /** The {@code Authorization} header sent with every call; empty for a Connect without REST authentication. */
    private final Optional<String> authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public ConnectClient(String baseUrl) {
        this(baseUrl, Optional.empty());
    }

    public ConnectClient(String baseUrl, Optional<String> authorization) {
        this.baseUrl = baseUrl;
        this.authorization = authorization;
    }

    /** The stack's Connect, called as the operator (HTTP Basic) when the stack is secure. */
    public static ConnectClient of(StackProperties stack) {
        return new ConnectClient(stack.connectUrl(),
                stack.security().map(security -> security.basicAuthorization(StackSecurity.Principal.ADMIN)));
    }

    /** Creates the connector, or updates its config if it exists (PUT is idempotent). */
    public JsonNode putConfig(String name, Map<String, String> config) {
        return send(HttpRequest.newBuilder(uri(name, "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(write(config))), "create " + name);
    }

    public JsonNode status(String name) {
        return send(HttpRequest.newBuilder(uri(name, "/status")).GET(), "read the status of " + name);
    }

    /** Pauses the connector and its tasks (PUT /connectors/{name}/pause; asynchronous: Connect answers 202). */
    public void pause(String name) {
        send(HttpRequest.newBuilder(uri(name, "/pause")).PUT(HttpRequest.BodyPublishers.noBody()), "pause " + name);
    }

    public void delete(String name) {
        send(HttpRequest.newBuilder(uri(name, "")).DELETE(), "delete " + name);
    }

    /** Every connector with its status: {@code {name: {status: {connector: {...}, tasks: [...]}}}}. */
    public JsonNode connectors() {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/connectors?expand=status")).GET(), "list connectors");
    }

    private URI uri(String name, String suffix) {
        return URI.create(baseUrl + "/connectors/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + suffix);
    }

    private JsonNode send(HttpRequest.Builder request, String what) {
        authorization.ifPresent(value -> request.header("Authorization", value));
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StackException("cannot " + what + ": Connect at " + baseUrl + " does not answer (" + e.getMessage()
                    + "). Start the stack with ./mycroft stack up");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while trying to " + what);
        }
        JsonNode body = read(response.body());
        if (response.statusCode() >= 300) {
            throw new StackException("cannot " + what + ": Connect answered " + response.statusCode() + ": "
                    + (body.has("message") ? body.get("message").asText() : response.body()));
        }
        return body;
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }
}
