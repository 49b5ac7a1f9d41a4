package io.mycroft.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.stack.ConnectClient;
import io.mycroft.stack.StackProperties;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.OwnerSample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The table connector from its plugin jar against a real PostgreSQL, created through {@code owners add --jdbc}. */
class OwnerJdbcConnectorIT {
    private static PluginStack stack;
    private static StackProperties endpoints;
    private static Topics topics;
    private static ThrowAwayPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = ThrowAwayPostgres.start();
        stack = PluginStack.shared();
        endpoints = stack.endpoints();
        topics = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, endpoints.schemaRegistryUrl()));
    }

    @AfterAll
    static void stop() throws Exception {
        ConnectClient connect = ConnectClient.of(endpoints);
        connect.delete(OwnerConnectors.tableConnectorName("owner-c", "measurements"));
        connect.delete(OwnerConnectors.tableConnectorName("owner-d", "readings"));
        postgres.close();
    }

    /** 1,000 rows, two bad ones among them, then 200 inserted while the connector runs: each valid row once. */
    @Test
    void incrementingIdFollowsInsertsAndRejectsBadRows() throws Exception {
        try (Connection db = postgres.connect(); Statement sql = db.createStatement()) {
            sql.execute("CREATE TABLE measurements (id BIGSERIAL PRIMARY KEY, a REAL, b DOUBLE PRECISION, label INT, note TEXT)");
            sql.execute("INSERT INTO measurements (a, b, label, note) SELECT g, g / 2.0, g % 10, 'row ' || g "
                    + "FROM generate_series(1, 1000) AS g");
            sql.execute("UPDATE measurements SET b = NULL WHERE id = 10");
            sql.execute("UPDATE measurements SET label = NULL WHERE id = 20");

            add("owner-c", "measurements", null);
            List<OwnerSample> first = samplesOf("owner-c", 998);
            sql.execute("INSERT INTO measurements (a, b, label, note) SELECT g, g / 2.0, g % 10, 'late' "
                    + "FROM generate_series(1001, 1200) AS g");
            List<OwnerSample> all = samplesOf("owner-c", 1198);

            assertThat(first).hasSize(998);
            assertThat(all).extracting(OwnerSample::getSampleId).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 1200).filter(i -> i != 10 && i != 20)
                            .mapToObj(i -> "measurements:" + i).toList());
            OwnerSample row7 = all.stream().filter(s -> s.getSampleId().equals("measurements:7")).findFirst().orElseThrow();
            assertThat(row7.getLabel()).isEqualTo(7);
            assertThat(row7.getFeatures().getDim()).isEqualTo(2); // a and b; id, label and the text column are not features
            assertThat(row7.getSource().getSystem()).isEqualTo("jdbc");

            Map<String, String> reasons = deadLettersAt("measurements:", 2);
            assertThat(reasons).containsOnlyKeys("measurements:10", "measurements:20");
            assertThat(reasons.get("measurements:10")).isEqualTo("column 'b' is NULL, not a finite number");
            assertThat(reasons.get("measurements:20")).isEqualTo("label null in column 'label' is not an integer");
        }
    }

    /** Timestamp mode: new rows and rows whose timestamp moves on (updates) are ingested, the rest once. */
    @Test
    void timestampModeFollowsUpdates() throws Exception {
        try (Connection db = postgres.connect(); Statement sql = db.createStatement()) {
            sql.execute("CREATE TABLE readings (id INT PRIMARY KEY, x REAL, label INT, "
                    + "updated_at TIMESTAMP NOT NULL DEFAULT clock_timestamp())");
            sql.execute("INSERT INTO readings (id, x, label) SELECT g, g, 1 FROM generate_series(1, 100) AS g");

            add("owner-d", "readings", "updated_at");
            samplesOf("owner-d", 100);
            sql.execute("UPDATE readings SET x = -x, updated_at = clock_timestamp() WHERE id <= 10");
            List<OwnerSample> all = samplesOf("owner-d", 110);

            assertThat(all).hasSize(110);
            Map<String, List<Float>> xById = all.stream().collect(Collectors.groupingBy(OwnerSample::getSampleId,
                    Collectors.mapping(s -> s.getFeatures().getValues().order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat(0),
                            Collectors.toList())));
            assertThat(xById).hasSize(100);
            assertThat(xById.get("readings:3")).containsExactly(3f, -3f);
            assertThat(xById.get("readings:50")).containsExactly(50f);
        }
    }

    /** The connector {@code owners add OWNER --jdbc URL --table T [--timestamp-column C]} creates. */
    private static void add(String ownerId, String table, String timestampColumn) {
        ConnectClient.of(endpoints).putConfig(OwnerConnectors.tableConnectorName(ownerId, table),
                OwnerConnectors.table(ownerId, postgres.url(), table, "id", timestampColumn, endpoints.schemaRegistryUrl()));
    }

    /** The owner's committed samples once there are {@code count} (or after 60 s), plus any that follow within a poll. */
    private static List<OwnerSample> samplesOf(String ownerId, int count) {
        try (CommittedRecords<OwnerSample> samples = new CommittedRecords<>(endpoints.bootstrapServers(),
                topics.ownerSamples().name(), topics.ownerSamples().valueSerde().deserializer())) {
            Predicate<OwnerSample> owners = s -> s.getOwnerId().equals(ownerId);
            samples.readUntil(owners, count, Duration.ofSeconds(60));
            return samples.readAvailable(owners);
        }
    }

    private static Map<String, String> deadLettersAt(String locationPrefix, int count) {
        try (CommittedRecords<DeadLetter> dead = new CommittedRecords<>(endpoints.bootstrapServers(),
                topics.deadLetters().name(), topics.deadLetters().valueSerde().deserializer())) {
            Predicate<DeadLetter> here = d -> d.getLocation().startsWith(locationPrefix);
            dead.readUntil(here, count, Duration.ofSeconds(30));
            return dead.readAvailable(here).stream().collect(Collectors.toMap(DeadLetter::getLocation, DeadLetter::getReason));
        }
    }
}
