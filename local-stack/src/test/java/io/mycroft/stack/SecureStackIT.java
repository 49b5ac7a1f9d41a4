package io.mycroft.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.stack.StackSecurity.Principal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mycroft.schemas.OwnerPolicy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stack started with {@code --secure --tls} ({@link SecureTestStack}): SASL/SCRAM over TLS for every client, ACLs for
 * the service principals and for owners added with {@link StackOwners#add}, nothing for anyone else. The registry and
 * Connect becoming ready proves their principals' ACLs and TLS settings are enough.
 */
class SecureStackIT {
    private static Path workDir;
    private static StackProperties endpoints;

    @BeforeAll
    static void startStack() {
        SecureTestStack stack = SecureTestStack.shared();
        workDir = stack.workDir();
        endpoints = stack.endpoints();
    }

    @Test
    void credentialsAreOwnerOnlyAndTheAdminSeesTheCatalogue() throws Exception {
        assertThat(permissions(workDir.resolve(StackSecurity.FILE_NAME))).isEqualTo("rw-------");
        assertThat(permissions(workDir.resolve("config"))).isEqualTo("rwx------");
        try (Admin admin = Admin.create(new HashMap<>(endpoints.clientConfig(Principal.ADMIN)))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(Topics.OWNER_SAMPLES.name(""));
        }
    }

    @Test
    void tlsMaterialIsOwnerOnlyAndClientsTrustTheStacksCa() throws Exception {
        Path tls = workDir.resolve(StackTls.DIR);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls))).isEqualTo("rwx------");
        try (var files = Files.list(tls)) {
            assertThat(files.map(f -> f.getFileName() + " " + permissions(f)).toList()).containsExactlyInAnyOrder(
                    "ca.pem rw-------", "broker.p12 rw-------", "keystore.properties rw-------");
        }
        assertThat(endpoints.clientConfig(Principal.WORKER)).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.location", tls.resolve("ca.pem").toString());
    }

    private static String permissions(Path file) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aClientWithoutTheStacksCaFailsTheTlsHandshake() {
        Map<String, Object> config = new HashMap<>(endpoints.clientConfig(Principal.ADMIN));
        config.remove("ssl.truststore.type");
        config.remove("ssl.truststore.location");
        config.put("default.api.timeout.ms", 10_000);
        config.put("request.timeout.ms", 5_000);
        try (Admin admin = Admin.create(config)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void aWrongPasswordIsRejected() {
        Map<String, Object> config = new HashMap<>(endpoints.clientConfig(Principal.ADMIN.user(), "not-the-password"));
        config.put("default.api.timeout.ms", 10_000);
        config.put("request.timeout.ms", 5_000);
        try (Admin admin = Admin.create(config)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aClientWithoutSaslGetsNothing() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", endpoints.bootstrapServers(),
                "default.api.timeout.ms", 5_000, "request.timeout.ms", 2_000))) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void connectsLeaderMayWriteItsConfigTopicTransactionally() {
        // The leader opens this producer as it starts (exactly-once source support); denied, no connector could be created.
        // Its transactional id exists once that worked (asked, not opened again: that would fence the worker).
        try (Admin admin = Admin.create(new HashMap<>(endpoints.clientConfig(Principal.ADMIN)))) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> admin
                    .describeTransactions(List.of(StackAcls.CONNECT_CONFIG_TRANSACTIONAL_ID)).all().get(10, TimeUnit.SECONDS)
                    .containsKey(StackAcls.CONNECT_CONFIG_TRANSACTIONAL_ID));
        }
        try (KafkaProducer<String, String> producer = transactionalProducer(Principal.REGISTRY, StackAcls.CONNECT_CONFIG_TRANSACTIONAL_ID)) {
            assertThatThrownBy(producer::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
        }
    }

    private static KafkaProducer<String, String> transactionalProducer(Principal principal, String transactionalId) {
        Map<String, Object> config = new HashMap<>(endpoints.clientConfig(principal));
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    @Test
    void theRegistryPrincipalCannotReadOwnerSamples() {
        Map<String, Object> config = new HashMap<>(endpoints.clientConfig(Principal.REGISTRY));
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(List.of(new TopicPartition(Topics.OWNER_SAMPLES.name(""), 0)));
            consumer.seekToBeginning(consumer.assignment());
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10))).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void theConnectPrincipalCannotWriteModels() {
        Map<String, Object> config = new HashMap<>(endpoints.clientConfig(Principal.CONNECT));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.MODELS.name(""), "m", "x")).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void servicePrincipalsRegisterAndReadSchemasThroughTheSerdes() {
        // Streams registers the schema; the worker, with its own login (its own client), reads it back by id.
        Topic<String, OwnerPolicy> written = Topics.from(endpoints.registryConfig(Principal.STREAMS)).ownerPolicies();
        Topic<String, OwnerPolicy> read = Topics.from(endpoints.registryConfig(Principal.WORKER)).ownerPolicies();
        OwnerPolicy policy = new OwnerPolicy("owner-it", 7, Instant.ofEpochMilli(1_000));
        byte[] bytes = written.valueSerde().serializer().serialize(written.name(), policy);
        assertThat(read.valueSerde().deserializer().deserialize(read.name(), bytes)).isEqualTo(policy);
    }

    @Test
    void anonymousRegistryCallsAreRefused() throws Exception {
        assertThat(registry("GET", "/subjects", null, null).statusCode()).isEqualTo(401);
        assertThat(registry("GET", "/schemas/ids/1", null, null).statusCode()).isEqualTo(401);
        assertThat(registry("POST", "/subjects/it-anonymous-value/versions", "{\"schema\": \"\\\"string\\\"\"}", null)
                .statusCode()).isEqualTo(401);
        String wrong = Principal.WORKER.user() + ":not-the-password";
        assertThat(registry("GET", "/subjects", null, wrong).statusCode()).isEqualTo(401);
        // The registry's own principal is for Kafka only.
        assertThat(registry("GET", "/subjects", null, userInfo(Principal.REGISTRY)).statusCode()).isEqualTo(401);
    }

    @Test
    void onlyTheAdminChangesRegistryConfigsOrDeletes() throws Exception {
        String body = "{\"compatibility\": \"NONE\"}";
        assertThat(registry("PUT", "/config", body, null).statusCode()).isEqualTo(401);
        assertThat(registry("DELETE", "/subjects/it-secure-value", null, null).statusCode()).isEqualTo(401);
        String wrong = Principal.ADMIN.user() + ":" + "not-the-password";
        assertThat(registry("PUT", "/config", body, wrong).statusCode()).isEqualTo(401);
        assertThat(registry("PUT", "/config", body, userInfo(Principal.STREAMS)).statusCode()).isEqualTo(403);
        assertThat(registry("DELETE", "/subjects/it-secure-value", null, userInfo(Principal.WORKER)).statusCode()).isEqualTo(403);
        assertThat(registry("PUT", "/config/it-secure-admin", body, userInfo(Principal.ADMIN)).statusCode()).isEqualTo(200);
    }

    private static String userInfo(Principal principal) {
        return principal.user() + ":" + endpoints.security().orElseThrow().password(principal);
    }

    private static HttpResponse<String> registry(String method, String path, String body, String userInfo) throws Exception {
        return http(method, endpoints.schemaRegistryUrl() + path, body, userInfo);
    }

    private static HttpResponse<String> http(String method, String url, String body, String userInfo) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            // Both the registry and Connect take plain JSON.
            request.header("Content-Type", "application/json");
        }
        if (userInfo != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void connectRestNeedsTheAdminsCredentials() throws Exception {
        String connectors = endpoints.connectUrl() + "/connectors";
        assertThat(http("GET", connectors, null, null).statusCode()).isEqualTo(401);
        assertThat(http("PUT", connectors + "/it-anonymous/config", "{}", null).statusCode()).isEqualTo(401);
        assertThat(http("GET", connectors, null, Principal.ADMIN.user() + ":not-the-password").statusCode()).isEqualTo(401);
        assertThat(http("GET", connectors, null, userInfo(Principal.CONNECT)).statusCode()).isEqualTo(401);
        assertThat(ConnectClient.of(endpoints).connectors().isObject()).isTrue();
    }

    @Test
    void connectHasNoFileStreamConnectors() throws Exception {
        HttpResponse<String> plugins = http("GET", endpoints.connectUrl() + "/connector-plugins", null, userInfo(Principal.ADMIN));
        assertThat(plugins.statusCode()).isEqualTo(200);
        assertThat(plugins.body()).doesNotContain("FileStream");
    }

    @Test
    void anOwnerWritesItsOwnTopicAndNothingElse() throws Exception {
        StackOwners.Added a = StackOwners.add(workDir, "owner-a");
        StackOwners.add(workDir, "owner-b");
        StackOwners.Added again = StackOwners.add(workDir, "owner-a");
        assertThat(a.topic()).isEqualTo("owner-samples.owner-a");
        assertThat(again.topicCreated()).isFalse();
        assertThat(again.credentials()).isEqualTo(a.credentials());
        Path credentials = a.credentials().orElseThrow();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");

        Map<String, Object> config = ownerConfig(credentials);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            // The client's default idempotent producer: WRITE on its topic is all it needs.
            assertThat(producer.send(new ProducerRecord<>("owner-samples.owner-a", "k", "v")).get(30, TimeUnit.SECONDS).offset())
                    .isGreaterThanOrEqualTo(0);
            for (String other : List.of("owner-samples.owner-b", Topics.OWNER_SAMPLES.name(""))) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(other, "k", "v")).get(30, TimeUnit.SECONDS))
                        .as(other).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
        Map<String, Object> reader = ownerConfig(credentials);
        reader.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        reader.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(reader)) {
            for (String topic : List.of(Topics.OWNER_SAMPLES.name(""), Topics.SAMPLE_VECTORS.name(""),
                    Topics.SUBSET_UPDATES.name(""), "owner-samples.owner-a")) {
                consumer.assign(List.of(new TopicPartition(topic, 0)));
                consumer.seekToBeginning(consumer.assignment());
                assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10))).as(topic)
                        .isInstanceOf(TopicAuthorizationException.class);
            }
        }
        try (Admin admin = Admin.create(new HashMap<>(endpoints.clientConfig(Principal.ADMIN)))) {
            assertThat(admin.describeAcls(new AclBindingFilter(ResourcePatternFilter.ANY, new AccessControlEntryFilter(
                    "User:owner-a", null, AclOperation.ANY, AclPermissionType.ANY))).values().get(30, TimeUnit.SECONDS))
                    .containsExactlyInAnyOrderElementsOf(StackAcls.ownerAcls("owner-a"));
        }
    }

    /** An owner's client config as {@code owners add} wrote it. */
    private static Map<String, Object> ownerConfig(Path credentials) throws Exception {
        Properties values = new Properties();
        try (var in = Files.newBufferedReader(credentials)) {
            values.load(in);
        }
        Map<String, Object> config = new HashMap<>();
        values.forEach((k, v) -> config.put(k.toString(), v));
        config.put("default.api.timeout.ms", 10_000);
        config.put("request.timeout.ms", 5_000);
        return config;
    }
}
