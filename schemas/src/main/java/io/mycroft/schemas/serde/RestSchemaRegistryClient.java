package io.mycroft.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A client of Confluent Schema Registry's REST API (also served by Karapace, Redpanda, Apicurio's ccompat endpoint and
 * this project's local registry). Uncached: {@link AvroSerde} caches ids and schemas.
 */
public final class RestSchemaRegistryClient implements SchemaRegistry {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUrl;
    /** The {@code Authorization} header of every call; empty for a registry without authentication. */
    private final Optional<String> authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public RestSchemaRegistryClient(String baseUrl) {
        this(baseUrl, Optional.empty());
    }

    /** A client logging in with HTTP Basic as {@code userInfo} ({@code user:password}) when present. */
    public RestSchemaRegistryClient(String baseUrl, Optional<String> userInfo) {
        this.baseUrl = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.authorization = userInfo.map(u -> "Basic " + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public int register(String subject, Schema schema) {
        return send("POST", "subjects/" + encode(subject) + "/versions", schemaBody(schema)).get("id").asInt();
    }

    @Override
    public int lookup(String subject, Schema schema) {
        return send("POST", "subjects/" + encode(subject), schemaBody(schema)).get("id").asInt();
    }

    @Override
    public Schema schemaById(int id) {
        return new Schema.Parser().parse(send("GET", "schemas/ids/" + id, null).get("schema").asText());
    }

    /** All subjects, in the registry's order. */
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        send("GET", "subjects", null).forEach(s -> subjects.add(s.asText()));
        return subjects;
    }

    /** The newest version's schema of {@code subject}. */
    public Schema latest(String subject) {
        return new Schema.Parser().parse(
                send("GET", "subjects/" + encode(subject) + "/versions/latest", null).get("schema").asText());
    }

    /** Whether {@code schema} may be registered next under {@code subject} given the subject's compatibility level. */
    public boolean isCompatible(String subject, Schema schema) {
        return send("POST", "compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema))
                .get("is_compatible").asBoolean();
    }

    private static String schemaBody(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        return body.toString();
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", CONTENT_TYPE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        authorization.ifPresent(value -> request.header("Authorization", value));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry at " + baseUrl + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while calling the schema registry at " + baseUrl, e);
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry at " + baseUrl + " answered " + response.statusCode()
                    + " with a body that is not JSON: " + response.body(), e);
        }
        if (response.statusCode() / 100 != 2) {
            int code = json.path("error_code").asInt(response.statusCode());
            throw new SchemaRegistryException(code, method + " " + path + ": " + json.path("message").asText(response.body()));
        }
        return json;
    }
}
