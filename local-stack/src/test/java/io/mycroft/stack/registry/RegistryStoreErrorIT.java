package io.mycroft.stack.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycroft.stack.registry.RegistryClient.Response;
import java.time.Duration;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.Test;

/** When the broker is gone, writes fail with Confluent's store error within the store timeout, and reads still work. */
class RegistryStoreErrorIT {

    private static final String STRING_SCHEMA = "\"string\"";
    private static final String LONG_SCHEMA = "\"long\"";

    @Test
    void answersStoreErrorWhenTheBrokerIsGone() throws Exception {
        KafkaClusterTestKit cluster = EmbeddedKafka.newCluster();
        RegistrySettings settings = RegistrySettings.local(cluster.bootstrapServers(), 0).withStoreTimeout(Duration.ofSeconds(2));
        try (SchemaRegistryServer server = new SchemaRegistryServer(settings).start()) {
            RegistryClient client = new RegistryClient(server.url());
            client.register("values", STRING_SCHEMA);
            cluster.close();

            long start = System.nanoTime();
            Response refused = client.postSchema("/subjects/values/versions", LONG_SCHEMA);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
            assertThat(refused.status()).as(refused.text()).isEqualTo(500);
            assertThat(refused.errorCode()).isEqualTo(50001);
            assertThat(refused.json().get("message").asText()).contains("_schemas");

            assertThat(client.get("/subjects/values/versions").json().toString()).as("reads come from memory").isEqualTo("[1]");
        }
    }
}
