package io.mycroft.cli;

import io.mycroft.schemas.ExampleRecords;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.TopicSpec;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.RestSchemaRegistryClient;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.StackSecurity.Principal;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/**
 * {@code mycroft smoke}: brings the stack up if it is down, then sends one example record of every topic through the
 * broker in the Confluent wire format (registering its schema), reads it back and checks it decodes to the same record.
 */
@Command(name = "smoke", mixinStandardHelpOptions = true,
        description = "Start the stack if needed and round-trip one record per topic through the broker and the registry.")
final class SmokeCommand implements Callable<Integer> {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    StackStart start;

    @Override
    public Integer call() throws ExecutionException, InterruptedException {
        StackProperties stack = start.up(System.out::println, false);
        // The operator's round trip: the admin may read and write every topic and register schemas.
        RestSchemaRegistryClient registry = new RestSchemaRegistryClient(stack.schemaRegistryUrl(),
                Optional.ofNullable(stack.registryConfig(Principal.ADMIN).get(SerdeConfig.USER_INFO)));
        Topics topics = new Topics("", registry, true);
        int failures = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(stack), new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps(stack), new StringDeserializer(), new ByteArrayDeserializer())) {
            for (Map.Entry<TopicSpec, Map.Entry<String, SpecificRecord>> example : ExampleRecords.perTopic().entrySet()) {
                Topic<String, ? extends SpecificRecord> topic = topics.of(example.getKey());
                failures += roundTrip(topic, example.getValue().getKey(), example.getValue().getValue(), producer, consumer, registry) ? 0 : 1;
            }
        }
        System.out.println(failures == 0 ? "smoke: every topic round-tripped through " + stack.bootstrapServers()
                + " and " + stack.schemaRegistryUrl() : "smoke: " + failures + " topic(s) failed");
        return failures == 0 ? 0 : 1;
    }

    @SuppressWarnings("unchecked")
    private static <V extends SpecificRecord> boolean roundTrip(Topic<String, V> topic, String key, SpecificRecord example,
                                                               KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> consumer,
                                                               RestSchemaRegistryClient registry) throws ExecutionException, InterruptedException {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), (V) example);
        RecordMetadata sent = producer.send(new ProducerRecord<>(topic.name(), key, bytes)).get();
        TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
        consumer.assign(List.of(partition));
        consumer.seek(partition, sent.offset());
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() == sent.offset()) {
                    V read = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
                    boolean same = example.equals(read) && key.equals(record.key());
                    int id = java.nio.ByteBuffer.wrap(record.value(), 1, 4).getInt();
                    System.out.printf("  %s %-18s schema id %d (subject %s, latest %s), %s-%d@%d%n", same ? "ok  " : "FAIL",
                            topic.name(), id, topic.name() + "-value", registry.latest(topic.name() + "-value").getFullName(),
                            sent.topic(), sent.partition(), sent.offset());
                    return same;
                }
            }
        }
        System.out.printf("  FAIL %-18s not read back within %s%n", topic.name(), READ_TIMEOUT);
        return false;
    }

    private static Properties producerProps(StackProperties stack) {
        Properties p = new Properties();
        p.putAll(stack.clientConfig(Principal.ADMIN));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return p;
    }

    private static Properties consumerProps(StackProperties stack) {
        Properties p = new Properties();
        p.putAll(stack.clientConfig(Principal.ADMIN));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }
}
