package io.mycroft.stack.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.security.BasicAuthCredentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry speaking the Confluent Schema Registry REST API that serializers and tools use (AVRO schemas only),
 * on Javalin, storing in a compacted Kafka topic. Start it with {@link #start()}; {@link #port()} is the bound port.
 * The rules live in {@link RegistryService}; this class maps URLs and JSON bodies onto them.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    /** Confluent's media type; requests may also send application/json or application/octet-stream. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);
    private static final ObjectMapper json = new ObjectMapper();

    private final RegistrySettings settings;
    private final SchemasTopic topic;
    private final RegistryService registry;
    private Javalin app;

    public SchemaRegistryServer(RegistrySettings settings) {
        this.settings = settings;
        this.topic = new SchemasTopic(settings.bootstrapServers(), settings.topic(), settings.storeTimeout(), settings.kafkaSecurity());
        this.registry = new RegistryService(topic);
    }

    /** Creates the topic if missing, reads it to the end, then serves HTTP. Throws with a clear message if it cannot. */
    public synchronized SchemaRegistryServer start() {
        try {
            topic.ensureExists(settings.replicationFactor());
            int subjects = registry.recover();
            app = Javalin.create(this::configure).start(settings.host(), settings.port());
            log.info("Schema registry serving http://{}:{} with {} subjects from topic {}",
                    settings.host(), port(), subjects, settings.topic());
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The bound HTTP port (the chosen one when the settings asked for port 0). */
    public int port() {
        if (app == null) {
            throw new IllegalStateException("The schema registry is not started");
        }
        return app.port();
    }

    /** {@code http://host:port}, for clients. */
    public String url() {
        return "http://" + settings.host() + ":" + port();
    }

    @Override
    public synchronized void close() {
        if (app != null) {
            app.stop();
            app = null;
        }
        topic.close();
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        var routes = config.routes;
        if (!settings.httpUsers().isEmpty()) {
            routes.before(this::authenticate);
        }
        routes.get("/", ctx -> reply(ctx, object()));
        routes.get("/schemas/types", ctx -> reply(ctx, List.of("AVRO")));

        routes.get("/schemas/ids/{id}", ctx -> reply(ctx, object().put("schema", registry.schemaById(id(ctx)))));
        routes.get("/schemas/ids/{id}/versions", ctx -> reply(ctx, registry.versionsWithId(id(ctx), flag(ctx, "deleted"))
                .stream().map(v -> object().put("subject", v.subject()).put("version", v.version())).toList()));

        routes.get("/subjects", ctx -> reply(ctx, registry.subjects(flag(ctx, "deleted"))));
        routes.post("/subjects/{subject}", ctx ->
                reply(ctx, versionBody(registry.lookup(subject(ctx), schema(ctx), flag(ctx, "deleted")))));
        routes.delete("/subjects/{subject}", ctx ->
                reply(ctx, registry.deleteSubject(subject(ctx), flag(ctx, "permanent"))));
        routes.post("/subjects/{subject}/versions", ctx ->
                reply(ctx, object().put("id", registry.register(subject(ctx), schema(ctx)))));
        routes.get("/subjects/{subject}/versions", ctx ->
                reply(ctx, registry.versionNumbers(subject(ctx), flag(ctx, "deleted"))));
        routes.get("/subjects/{subject}/versions/{version}", ctx ->
                reply(ctx, versionBody(registry.version(subject(ctx), version(ctx), flag(ctx, "deleted")))));
        routes.get("/subjects/{subject}/versions/{version}/schema", ctx -> ctx.contentType(CONTENT_TYPE)
                .result(registry.version(subject(ctx), version(ctx), flag(ctx, "deleted")).schema()));
        routes.delete("/subjects/{subject}/versions/{version}", ctx ->
                reply(ctx, registry.deleteVersion(subject(ctx), version(ctx), flag(ctx, "permanent"))));

        routes.post("/compatibility/subjects/{subject}/versions/{version}", ctx -> {
            List<String> problems = registry.incompatibilities(subject(ctx), version(ctx), schema(ctx));
            ObjectNode body = object().put("is_compatible", problems.isEmpty());
            if (flag(ctx, "verbose")) {
                body.set("messages", json.valueToTree(problems));
            }
            reply(ctx, body);
        });

        // Confluent answers GET with "compatibilityLevel" but takes and echoes "compatibility" on PUT.
        routes.get("/config", ctx -> reply(ctx, object().put("compatibilityLevel", registry.globalLevel().name())));
        routes.put("/config", ctx -> {
            CompatibilityLevel level = requestedLevel(ctx);
            registry.setGlobalLevel(level);
            reply(ctx, object().put("compatibility", level.name()));
        });
        routes.get("/config/{subject}", ctx -> reply(ctx, object()
                .put("compatibilityLevel", registry.subjectLevel(subject(ctx), flag(ctx, "defaultToGlobal")).name())));
        routes.put("/config/{subject}", ctx -> {
            CompatibilityLevel level = requestedLevel(ctx);
            registry.setSubjectLevel(subject(ctx), level);
            reply(ctx, object().put("compatibility", level.name()));
        });
        routes.delete("/config/{subject}", ctx ->
                reply(ctx, object().put("compatibilityLevel", registry.clearSubjectLevel(subject(ctx)).name())));

        routes.exception(RegistryException.class, (e, ctx) -> error(ctx, e.httpStatus(), e.errorCode(), e.getMessage()));
        // Unknown URLs and wrong methods: Confluent's body shape, with the HTTP status as error code.
        routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getStatus(), e.getMessage()));
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("Unexpected error serving {} {}", ctx.method(), ctx.path(), e);
            error(ctx, 500, 500, "Internal error: " + e);
        });
    }

    private static void reply(Context ctx, Object body) throws JsonProcessingException {
        ctx.contentType(CONTENT_TYPE).result(json.writeValueAsString(body));
    }

    /**
     * Every request needs HTTP Basic auth as a known user: reading and registering schemas reveals and shapes what every
     * topic carries. PUT (configs) and DELETE change what every client relies on: only the operator may.
     */
    private void authenticate(Context ctx) {
        BasicAuthCredentials credentials = ctx.basicAuthCredentials();
        String password = credentials == null ? null : settings.httpUsers().get(credentials.getUsername());
        if (password == null || !MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8),
                credentials.getPassword().getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Basic realm=\"mycroft-registry\"");
            throw new UnauthorizedResponse(ctx.method() + " " + ctx.path() + " needs credentials");
        }
        boolean changes = ctx.method() == HandlerType.PUT || ctx.method() == HandlerType.DELETE;
        if (changes && !RegistrySettings.ADMIN_USER.equals(credentials.getUsername())) {
            throw new ForbiddenResponse(ctx.method() + " " + ctx.path() + " is for the admin only");
        }
    }

    private static void error(Context ctx, int status, int errorCode, String message) {
        ObjectNode body = object().put("error_code", errorCode).put("message", message);
        ctx.status(status).contentType(CONTENT_TYPE).result(body.toString());
    }

    /** A JSON object that keeps its fields in the order they are put, as Confluent's answers have them. */
    private static ObjectNode object() {
        return json.createObjectNode();
    }

    private static ObjectNode versionBody(SchemaVersion version) {
        return object().put("subject", version.subject()).put("version", version.version()).put("id", version.id())
                .put("schema", version.schema());
    }

    private static String subject(Context ctx) {
        return ctx.pathParam("subject");
    }

    private static int version(Context ctx) {
        return RegistryService.parseVersion(ctx.pathParam("version"));
    }

    private static int id(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw RegistryException.schemaNotFound("Schema " + text);
        }
    }

    private static boolean flag(Context ctx, String name) {
        return "true".equalsIgnoreCase(ctx.queryParam(name));
    }

    private static JsonNode body(Context ctx) {
        try {
            JsonNode body = json.readTree(ctx.body());
            if (body == null || !body.isObject()) {
                throw RegistryException.badRequest("The request body must be a JSON object");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw RegistryException.badRequest("The request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The Avro schema of a register, lookup or compatibility request: {"schema": "...", "schemaType"?, "references"?}. */
    private static Schema schema(Context ctx) {
        JsonNode body = body(ctx);
        JsonNode type = body.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equals(type.asText())) {
            throw RegistryException.invalidSchema("schemaType " + type.asText() + " is not supported; this registry holds AVRO schemas only");
        }
        JsonNode references = body.get("references");
        if (references != null && references.isArray() && !references.isEmpty()) {
            throw RegistryException.invalidSchema("schema references are not supported by this registry; inline the referenced types");
        }
        JsonNode schema = body.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw RegistryException.invalidSchema("the request has no \"schema\" string");
        }
        try {
            return new Schema.Parser().parse(schema.asText());
        } catch (AvroRuntimeException e) {
            throw RegistryException.invalidSchema(e.getMessage());
        }
    }

    private static CompatibilityLevel requestedLevel(Context ctx) {
        return CompatibilityLevel.parse(body(ctx).path("compatibility").asText(null));
    }
}
