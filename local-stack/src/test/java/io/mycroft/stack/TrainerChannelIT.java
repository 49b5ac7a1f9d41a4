package io.mycroft.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycroft.schemas.Topics;
import io.mycroft.stack.StackSecurity.Principal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Model trainers as principals on the real secure stack ({@link SecureTestStack}): a trainer added with
 * {@link StackTrainers#add} logs in with the client config it got and writes its own request and model topics, and
 * nothing else: not another trainer's, not the shared hardset-requests and models (the Streams app copies its ids
 * there), not owner samples; and it reads nothing on Kafka (its results come from the REST API).
 */
class TrainerChannelIT {

    @Test
    void aTrainerWritesItsOwnTopicsAndReadsNothing() throws Exception {
        SecureTestStack stack = SecureTestStack.shared();
        StackTrainers.Added a = StackTrainers.add(stack.workDir(), "trainer-a");
        StackTrainers.add(stack.workDir(), "trainer-b");
        StackTrainers.Added again = StackTrainers.add(stack.workDir(), "trainer-a");
        assertThat(a.topics()).containsOnlyKeys("hardset-requests.trainer-a", "models.trainer-a");
        assertThat(again.topics().values()).containsOnly(false);
        assertThat(again.credentials()).isEqualTo(a.credentials());
        Path credentials = a.credentials().orElseThrow();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");

        Map<String, Object> config = trainerConfig(credentials);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (String own : List.of("hardset-requests.trainer-a", "models.trainer-a")) {
                assertThat(producer.send(new ProducerRecord<>(own, "trainer-a.x", "v")).get(30, TimeUnit.SECONDS).offset())
                        .as(own).isGreaterThanOrEqualTo(0);
            }
            for (String other : List.of("hardset-requests.trainer-b", "models.trainer-b", Topics.HARDSET_REQUESTS.name(""),
                    Topics.MODELS.name(""), Topics.OWNER_SAMPLES.name(""), Topics.OWNER_RANKINGS.name(""))) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(other, "trainer-a.x", "v")).get(30, TimeUnit.SECONDS))
                        .as(other).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
        Map<String, Object> reader = trainerConfig(credentials);
        reader.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        reader.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(reader)) {
            for (String topic : List.of(Topics.OWNER_RANKINGS.name(""), Topics.SUBSET_UPDATES.name(""),
                    Topics.EVALUATIONS.name(""), Topics.OWNER_SAMPLES.name(""), Topics.HARDSET_REQUESTS.name(""),
                    "hardset-requests.trainer-a")) {
                consumer.assign(List.of(new TopicPartition(topic, 0)));
                consumer.seekToBeginning(consumer.assignment());
                assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10))).as(topic)
                        .isInstanceOf(TopicAuthorizationException.class);
            }
        }
        try (Admin admin = Admin.create(new HashMap<>(stack.endpoints().clientConfig(Principal.ADMIN)))) {
            assertThat(admin.describeAcls(new AclBindingFilter(ResourcePatternFilter.ANY, new AccessControlEntryFilter(
                    "User:trainer-a", null, AclOperation.ANY, AclPermissionType.ANY))).values().get(30, TimeUnit.SECONDS))
                    .containsExactlyInAnyOrderElementsOf(StackAcls.trainerAcls("trainer-a"));
        }
    }

    /** A trainer's client config as {@code trainers add} wrote it. */
    private static Map<String, Object> trainerConfig(Path credentials) throws Exception {
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
