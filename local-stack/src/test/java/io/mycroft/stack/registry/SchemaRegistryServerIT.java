package io.mycroft.stack.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mycroft.stack.registry.RegistryClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The registry's REST API against a real in-process Kafka broker; every test gets its own schemas topic. */
@ExtendWith(EmbeddedKafka.class)
class SchemaRegistryServerIT {

    private static final AtomicInteger topics = new AtomicInteger();

    private static final String USER = user("{\"name\": \"name\", \"type\": \"string\"}");
    private static final String USER_WITH_EMAIL = user(
            "{\"name\": \"name\", \"type\": \"string\"}, {\"name\": \"email\", \"type\": \"string\"}");
    private static final String USER_AGE_NO_DEFAULT = user(
            "{\"name\": \"name\", \"type\": \"string\"}, {\"name\": \"age\", \"type\": \"int\"}");
    private static final String USER_AGE_WITH_DEFAULT = user(
            "{\"name\": \"name\", \"type\": \"string\"}, {\"name\": \"age\", \"type\": \"int\", \"default\": 0}");

    private RegistrySettings settings;
    private SchemaRegistryServer server;
    private RegistryClient client;

    private static String user(String fields) {
        return "{\"type\": \"record\", \"name\": \"User\", \"namespace\": \"mycroft.test\", \"fields\": [" + fields + "]}";
    }

    private static String canonical(String schema) {
        return new Schema.Parser().parse(schema).toString();
    }

    @BeforeEach
    void startRegistry() throws Exception {
        settings = RegistrySettings.local(EmbeddedKafka.bootstrapServers(), 0).withTopic("_schemas-" + topics.incrementAndGet());
        server = new SchemaRegistryServer(settings).start();
        client = new RegistryClient(server.url());
    }

    @AfterEach
    void stopRegistry() {
        server.close();
    }

    private void restart() {
        server.close();
        server = new SchemaRegistryServer(settings).start();
        client = new RegistryClient(server.url());
    }

    @Test
    void registersLooksUpAndFetchesById() throws Exception {
        Response registered = client.postSchema("/subjects/users-value/versions", USER);
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.contentType()).startsWith(SchemaRegistryServer.CONTENT_TYPE);
        int id = registered.json().get("id").asInt();

        assertThat(client.register("users-value", USER)).as("same schema again, same id").isEqualTo(id);
        assertThat(client.register("other-value", USER)).as("same schema, other subject").isEqualTo(id);
        assertThat(client.get("/schemas/ids/" + id).json().get("schema").asText()).isEqualTo(canonical(USER));

        JsonNode lookedUp = client.postSchema("/subjects/users-value", USER).json();
        assertThat(lookedUp.get("subject").asText()).isEqualTo("users-value");
        assertThat(lookedUp.get("version").asInt()).isEqualTo(1);
        assertThat(lookedUp.get("id").asInt()).isEqualTo(id);
        assertThat(lookedUp.get("schema").asText()).isEqualTo(canonical(USER));

        int id2 = client.register("users-value", USER_AGE_WITH_DEFAULT);
        assertThat(id2).isGreaterThan(id);
        assertThat(client.get("/subjects").json().toString()).isEqualTo("[\"other-value\",\"users-value\"]");
        assertThat(client.get("/subjects/users-value/versions").json().toString()).isEqualTo("[1,2]");
        JsonNode latest = client.get("/subjects/users-value/versions/latest").json();
        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(latest.get("id").asInt()).isEqualTo(id2);
        assertThat(client.get("/subjects/users-value/versions/-1").json()).isEqualTo(latest);
        assertThat(client.get("/subjects/users-value/versions/1/schema").json()).isEqualTo(RegistryClient.JSON.readTree(USER));
        assertThat(client.get("/schemas/ids/" + id + "/versions").json().toString())
                .isEqualTo("[{\"subject\":\"other-value\",\"version\":1},{\"subject\":\"users-value\",\"version\":1}]");
        assertThat(client.get("/schemas/types").json().toString()).isEqualTo("[\"AVRO\"]");
        assertThat(client.get("/").json().toString()).isEqualTo("{}");
    }

    @Test
    void acceptsTheContentTypesConfluentAccepts() throws Exception {
        String body = RegistryClient.JSON.createObjectNode().put("schema", USER).put("schemaType", "AVRO").toString();
        for (String contentType : List.of("application/json", "application/octet-stream", SchemaRegistryServer.CONTENT_TYPE)) {
            Response response = client.send("POST", "/subjects/users-value/versions", body, contentType);
            assertThat(response.status()).as(contentType).isEqualTo(200);
            assertThat(response.json().get("id").asInt()).isEqualTo(1);
        }
    }

    @Test
    void answersEveryMisuseWithConfluentsErrorCode() throws Exception {
        int id = client.register("users-value", USER);

        assertError(client.get("/subjects/nobody/versions"), 404, 40401);
        assertError(client.get("/subjects/nobody/versions/latest"), 404, 40401);
        assertError(client.postSchema("/subjects/nobody", USER), 404, 40401);
        assertError(client.get("/subjects/users-value/versions/9"), 404, 40402);
        assertError(client.get("/schemas/ids/" + (id + 100)), 404, 40403);
        assertError(client.get("/schemas/ids/" + (id + 100) + "/versions"), 404, 40403);
        assertError(client.postSchema("/subjects/users-value", USER_WITH_EMAIL), 404, 40403);

        assertError(client.postSchema("/subjects/users-value/versions", "{\"type\": \"record\", \"name\": \"X\"}"), 422, 42201);
        assertError(client.postSchema("/subjects/users-value/versions", "not json at all"), 422, 42201);
        assertError(client.postSchema("/subjects/users-value/versions", user("{\"name\": \"n\", \"type\": \"int\", \"default\": \"x\"}")),
                422, 42201);
        Response protobuf = client.post("/subjects/users-value/versions",
                "{\"schema\": \"syntax = \\\"proto3\\\";\", \"schemaType\": \"PROTOBUF\"}");
        assertError(protobuf, 422, 42201);
        assertThat(protobuf.json().get("message").asText()).contains("AVRO schemas only");
        assertError(client.post("/subjects/users-value/versions", "{\"schema\": \"\\\"string\\\"\", \"references\": "
                + "[{\"name\": \"a\", \"subject\": \"b\", \"version\": 1}]}"), 422, 42201);
        assertError(client.post("/subjects/users-value/versions", "{}"), 422, 42201);

        assertError(client.get("/subjects/users-value/versions/abc"), 422, 42202);
        assertError(client.get("/subjects/users-value/versions/0"), 422, 42202);
        assertError(client.delete("/subjects/users-value/versions/-2"), 422, 42202);

        assertError(client.put("/config", "{\"compatibility\": \"SIDEWAYS\"}"), 422, 42203);
        assertError(client.put("/config/users-value", "{}"), 422, 42203);

        assertError(client.postSchema("/subjects/users-value/versions", USER_AGE_NO_DEFAULT), 409, 409);
        assertError(client.post("/subjects/users-value/versions", "{not json"), 400, 400);
        assertError(client.get("/no/such/endpoint"), 404, 404);
    }

    private static void assertError(Response response, int status, int errorCode) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.errorCode()).as(response.text()).isEqualTo(errorCode);
        assertThat(response.json().get("message").asText()).isNotBlank();
        assertThat(response.contentType()).startsWith(SchemaRegistryServer.CONTENT_TYPE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // level,            add a field without default, remove a field without default
            "NONE,                true,  true",
            "BACKWARD,            false, true",
            "BACKWARD_TRANSITIVE, false, true",
            "FORWARD,             true,  false",
            "FORWARD_TRANSITIVE,  true,  false",
            "FULL,                false, false",
            "FULL_TRANSITIVE,     false, false"})
    void checksCompatibilityPerLevel(String level, boolean addWithoutDefault, boolean removeWithoutDefault) throws Exception {
        assertThat(client.put("/config/users-value", "{\"compatibility\": \"" + level + "\"}").status()).isEqualTo(200);
        client.register("users-value", USER_WITH_EMAIL);

        assertThat(compatible("users-value", "latest", user("{\"name\": \"name\", \"type\": \"string\"}, "
                + "{\"name\": \"email\", \"type\": \"string\"}, {\"name\": \"age\", \"type\": \"int\"}")))
                .as("adding a field without default").isEqualTo(addWithoutDefault);
        assertThat(compatible("users-value", "1", USER)).as("removing a field without default").isEqualTo(removeWithoutDefault);
        assertThat(compatible("users-value", "latest", user("{\"name\": \"name\", \"type\": \"string\"}, "
                + "{\"name\": \"email\", \"type\": \"string\"}, {\"name\": \"age\", \"type\": \"int\", \"default\": 0}")))
                .as("adding a field with a default").isTrue();

        Response removal = client.postSchema("/subjects/users-value/versions", USER);
        assertThat(removal.status()).isEqualTo(removeWithoutDefault ? 200 : 409);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"BACKWARD, true", "BACKWARD_TRANSITIVE, false"})
    void transitiveLevelsCheckEveryVersion(String level, boolean thirdAccepted) throws Exception {
        client.put("/config/users-value", "{\"compatibility\": \"" + level + "\"}");
        client.register("users-value", USER);
        client.register("users-value", USER_AGE_WITH_DEFAULT);
        // Reads version 2's data (which has age) but not version 1's (which has none, and no default to fall back on).
        Response third = client.postSchema("/subjects/users-value/versions", USER_AGE_NO_DEFAULT);
        assertThat(third.status()).as(third.text()).isEqualTo(thirdAccepted ? 200 : 409);
    }

    @Test
    void compatibilityEndpointExplainsWhenVerbose() throws Exception {
        client.register("users-value", USER);
        JsonNode verbose = client.postSchema("/compatibility/subjects/users-value/versions/latest?verbose=true",
                USER_AGE_NO_DEFAULT).json();
        assertThat(verbose.get("is_compatible").asBoolean()).isFalse();
        assertThat(verbose.get("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE", "age");
        assertThat(client.postSchema("/compatibility/subjects/users-value/versions/latest", USER_AGE_WITH_DEFAULT)
                .json().toString()).isEqualTo("{\"is_compatible\":true}");
        assertError(client.postSchema("/compatibility/subjects/nobody/versions/latest", USER), 404, 40401);
        assertError(client.postSchema("/compatibility/subjects/users-value/versions/7", USER), 404, 40402);
        assertError(client.postSchema("/compatibility/subjects/users-value/versions/latest", "{\"type\": \"nope\"}"), 422, 42201);
    }

    private boolean compatible(String subject, String version, String schema) throws Exception {
        Response response = client.postSchema("/compatibility/subjects/" + subject + "/versions/" + version, schema);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().get("is_compatible").asBoolean();
    }

    @Test
    void keepsCompatibilityPerSubject() throws Exception {
        assertThat(client.get("/config").json().toString()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
        assertError(client.get("/config/users-value"), 404, 40408);
        assertThat(client.get("/config/users-value?defaultToGlobal=true").json().get("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");

        assertThat(client.put("/config/users-value", "{\"compatibility\": \"none\"}").json().toString())
                .isEqualTo("{\"compatibility\":\"NONE\"}");
        assertThat(client.get("/config/users-value").json().get("compatibilityLevel").asText()).isEqualTo("NONE");
        client.register("users-value", USER);
        client.register("users-value", USER_WITH_EMAIL);
        client.register("orders-value", USER);
        assertError(client.postSchema("/subjects/orders-value/versions", USER_WITH_EMAIL), 409, 409);

        assertThat(client.put("/config", "{\"compatibility\": \"FORWARD\"}").json().toString())
                .isEqualTo("{\"compatibility\":\"FORWARD\"}");
        assertThat(client.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("FORWARD");
        assertThat(client.postSchema("/subjects/orders-value/versions", USER_WITH_EMAIL).status()).isEqualTo(200);

        assertThat(client.delete("/config/users-value").json().toString()).isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
        assertError(client.get("/config/users-value"), 404, 40408);
        assertError(client.delete("/config/users-value"), 404, 40401);
        // The global FORWARD applies again: version 2 (with email) cannot read records without one.
        assertError(client.postSchema("/subjects/users-value/versions", USER_AGE_NO_DEFAULT), 409, 409);
    }

    @Test
    void deletesSoftFirstThenPermanently() throws Exception {
        int id1 = client.register("users-value", USER);
        int id2 = client.register("users-value", USER_AGE_WITH_DEFAULT);

        assertError(client.delete("/subjects/users-value/versions/2?permanent=true"), 404, 40407);
        assertThat(client.delete("/subjects/users-value/versions/2").json().asInt()).isEqualTo(2);
        assertError(client.delete("/subjects/users-value/versions/2"), 404, 40406);
        assertError(client.delete("/subjects/users-value/versions/3"), 404, 40402);
        assertThat(client.get("/subjects/users-value/versions").json().toString()).isEqualTo("[1]");
        assertThat(client.get("/subjects/users-value/versions?deleted=true").json().toString()).isEqualTo("[1,2]");
        assertError(client.get("/subjects/users-value/versions/2"), 404, 40402);
        assertThat(client.get("/subjects/users-value/versions/2?deleted=true").json().get("id").asInt()).isEqualTo(id2);
        assertThat(client.get("/subjects/users-value/versions/latest").json().get("version").asInt()).isEqualTo(1);
        assertThat(client.get("/schemas/ids/" + id2).status()).as("a soft-deleted schema is still readable by id").isEqualTo(200);

        assertThat(client.delete("/subjects/users-value/versions/2?permanent=true").json().asInt()).isEqualTo(2);
        assertError(client.get("/schemas/ids/" + id2), 404, 40403);
        assertError(client.get("/subjects/users-value/versions/2?deleted=true"), 404, 40402);

        assertError(client.delete("/subjects/users-value?permanent=true"), 404, 40405);
        assertThat(client.delete("/subjects/users-value").json().toString()).isEqualTo("[1]");
        assertError(client.delete("/subjects/users-value"), 404, 40404);
        assertThat(client.get("/subjects").json().toString()).isEqualTo("[]");
        assertThat(client.get("/subjects?deleted=true").json().toString()).isEqualTo("[\"users-value\"]");
        assertError(client.get("/subjects/users-value/versions"), 404, 40401);
        assertThat(client.delete("/subjects/users-value?permanent=true").json().toString()).isEqualTo("[1]");
        assertThat(client.get("/subjects?deleted=true").json().toString()).isEqualTo("[]");
        assertError(client.delete("/subjects/users-value"), 404, 40401);
        assertError(client.get("/schemas/ids/" + id1), 404, 40403);

        int reRegistered = client.register("users-value", USER);
        assertThat(reRegistered).as("an erased id is never handed out again").isGreaterThan(id2);
        assertThat(client.get("/subjects/users-value/versions").json().toString()).isEqualTo("[1]");
    }

    @Test
    void restartRecoversEverySchemaAndNeverReusesIds() throws Exception {
        int user = client.register("users-value", USER);
        int withAge = client.register("users-value", USER_AGE_WITH_DEFAULT);
        int sharedId = client.register("orders-value", USER);
        client.put("/config/orders-value", "{\"compatibility\": \"NONE\"}");
        client.put("/config", "{\"compatibility\": \"FULL\"}");
        int email = client.register("orders-value", USER_WITH_EMAIL);
        client.delete("/subjects/orders-value/versions/2");
        client.delete("/subjects/orders-value/versions/2?permanent=true");
        client.delete("/subjects/users-value/versions/1");
        assertThat(sharedId).isEqualTo(user);
        assertThat(email).as("the highest id, now erased").isGreaterThan(withAge);
        List<String> before = snapshot(user, withAge);

        restart();

        assertThat(snapshot(user, withAge)).isEqualTo(before);
        assertError(client.get("/schemas/ids/" + email), 404, 40403);
        assertThat(client.register("orders-value", USER_AGE_NO_DEFAULT)).as("next id after a restart").isEqualTo(email + 1);
    }

    @Test
    void decidesEveryWriteOnTheWholeTopic() throws Exception {
        // Stands in for a write of ours that timed out but landed: a record on the topic this registry has not applied.
        try (SchemaRegistryServer other = new SchemaRegistryServer(settings).start()) {
            assertThat(new RegistryClient(other.url()).register("users-value", USER)).isEqualTo(1);
        }
        assertError(client.postSchema("/subjects/users-value/versions", USER_AGE_NO_DEFAULT), 409, 409);
        assertThat(client.register("users-value", USER_AGE_WITH_DEFAULT)).as("the next id, not a second id 1").isEqualTo(2);
        assertThat(client.get("/subjects/users-value/versions").json().toString()).isEqualTo("[1,2]");
    }

    /** Everything a client can read, as text, to compare before and after a restart. */
    private List<String> snapshot(int... ids) throws Exception {
        List<String> reads = new ArrayList<>();
        for (String path : List.of("/subjects", "/subjects?deleted=true", "/config", "/config/orders-value",
                "/subjects/users-value/versions", "/subjects/users-value/versions?deleted=true",
                "/subjects/users-value/versions/1?deleted=true", "/subjects/users-value/versions/2",
                "/subjects/orders-value/versions?deleted=true", "/subjects/orders-value/versions/1")) {
            reads.add(path + " -> " + client.get(path).text());
        }
        for (int id : ids) {
            reads.add(id + " -> " + client.get("/schemas/ids/" + id).text() + client.get("/schemas/ids/" + id + "/versions").text());
        }
        return reads;
    }
}
