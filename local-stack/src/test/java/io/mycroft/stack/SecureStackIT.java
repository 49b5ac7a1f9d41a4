package io.mycroft.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycroft.schemas.Topics;
import io.mycroft.stack.StackSecurity.Principal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stack started with {@code --secure} ({@link SecureTestStack}): SASL/SCRAM for every client, ACLs for the service
 * principals and for owners added with {@link StackOwners#add}, nothing for anyone else. The registry and Connect becoming ready proves their principals' ACLs are enough.
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
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(workDir.resolve(StackSecurity.FILE_NAME))))
                .isEqualTo("rw-------");
        try (Admin admin = Admin.create(new HashMap<>(endpoints.clientConfig(Principal.ADMIN)))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(Topics.OWNER_SAMPLES.name(""));
        }
    }

    @Test
    void aWrongPasswordIsRejected() {
        Map<String, Object> config = new HashMap<>(StackSecurity.clientConfig(Principal.ADMIN.user(), "not-the-password"));
        config.put("bootstrap.servers", endpoints.bootstrapServers());
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
    void theRegistryStoresSchemasAsItsOwnPrincipal() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create(endpoints.schemaRegistryUrl() + "/subjects/it-secure-value/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"schema\": \"\\\"string\\\"\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void onlyTheAdminChangesRegistryConfigsOrDeletes() throws Exception {
        String body = "{\"compatibility\": \"NONE\"}";
        assertThat(registry("PUT", "/config", body, null).statusCode()).isEqualTo(401);
        assertThat(registry("DELETE", "/subjects/it-secure-value", null, null).statusCode()).isEqualTo(401);
        String wrong = Principal.ADMIN.user() + ":" + "not-the-password";
        assertThat(registry("PUT", "/config", body, wrong).statusCode()).isEqualTo(401);
        String admin = Principal.ADMIN.user() + ":" + endpoints.security().orElseThrow().password(Principal.ADMIN);
        assertThat(registry("PUT", "/config/it-secure-admin", body, admin).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> registry(String method, String path, String body, String userInfo) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoints.schemaRegistryUrl() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (userInfo != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void connectHasNoFileStreamConnectors() throws Exception {
        HttpResponse<String> plugins = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create(endpoints.connectUrl() + "/connector-plugins")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
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
