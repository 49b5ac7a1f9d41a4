package io.mycroft.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mycroft.experiments.scenario.Scenario;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.StackSecurity;
import io.mycroft.cli.StackRestTokens;
import io.mycroft.stack.SecureTestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import mycroft.schemas.Evaluation;
import mycroft.schemas.ExposureEntry;
import mycroft.schemas.ExposureReason;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mycroft demo --quick} end to end on the shared secure test stack (what CI runs; secure like the default stack:
 * SASL/SCRAM over TLS, ACLs, REST tokens), so every service of the demo logs in as its own principal.
 */
class DemoQuickIT {
    @TempDir
    Path dir;

    @Test
    void quickDemoRanksTheDesignedBestOwnerFirstAndWritesTheReport() throws Exception {
        Scenario scenario = DemoCommand.quickScenario();
        Path report = dir.resolve("report");
        Demo.Settings settings = new Demo.Settings(DemoCommand.home().resolve("data"), dir.resolve("demo"), report,
                scenario.seeds().get(0), 0, 0, Duration.ofMinutes(4), false);
        long start = System.nanoTime();

        StackProperties stack = SecureTestStack.shared().endpoints();
        StackRestTokens.ensureOperatorToken(stack.workDir());
        DemoResult result = new Demo(settings, stack, System.out).run(scenario);

        System.out.printf("quick demo took %.1f s%n", (System.nanoTime() - start) / 1e9);
        assertThat(result.designedBest()).isEqualTo("owner-a");
        assertThat(result.topOwner()).isEqualTo("owner-a");
        assertThat(result.topOwnerIsDesignedBest()).isTrue();
        assertThat(result.topOwnerByMeasuredGain()).isEqualTo("owner-a");
        assertThat(result.auditIdentical()).isTrue();
        assertThat(result.ranking()).hasSize(5);

        Path json = report.resolve("results.json");
        Path md = report.resolve("README.md");
        assertThat(json).isRegularFile();
        assertThat(md).isRegularFile();
        JsonNode results = new ObjectMapper().readTree(json.toFile());
        assertThat(results.get("top_owner").asText()).isEqualTo("owner-a");
        assertThat(results.get("mt_test_accuracy").asDouble()).isBetween(0.3, 1.0);
        assertThat(results.get("ranking").get(0).get("score").asDouble()).isPositive();
        assertThat(results.get("ranking").get(0).get("subset_size").asInt()).isPositive();
        assertThat(results.get("owners")).hasSize(5);
        for (JsonNode owner : results.get("owners")) {
            assertThat(owner.get("size").asInt()).isEqualTo(100);
            assertThat(owner.get("held_out_hard_accuracy").isNumber()).isTrue();
            assertThat(owner.get("held_out_hard_gain").isNumber()).isTrue();
        }
        assertThat(Files.readString(md)).contains("Top owner of the live ranking: owner-a").containsPattern("\\| owner-a \\| 100 \\| \\d+ \\| \\d+ \\| 0\\.\\d{3}");

        ledgerCountsMatchWhatTheDemoRevealed(result);
    }

    /**
     * The exposure ledger of the demo's request against what the demo published (issue 15: "the ledger counts match what
     * was revealed in a demo run"), per owner: one SUBSET entry per published subset update with exactly its ids in
     * order, the newly revealed ids adding up to the distinct ids ever published, and one PURCHASE entry per evaluation
     * with its subset size, which is the size of the subset the demo fine-tuned on.
     */
    private static void ledgerCountsMatchWhatTheDemoRevealed(DemoResult result) {
        StackProperties stack = SecureTestStack.shared().endpoints();
        Map<String, Object> registry = new HashMap<>(stack.registryConfig(StackSecurity.Principal.ADMIN));
        registry.put(Topics.PREFIX, "");
        Topics topics = Topics.from(registry);
        String request = result.requestId();
        // The demo cancels its request at the end: the cancel updates carry no samples and reveal nothing.
        List<SubsetUpdate> published = readAll(stack, topics.subsetUpdates(), u -> u.getRequestId().equals(request) && !u.getCancelled());
        List<ExposureEntry> ledger = readAll(stack, topics.exposureLedger(), e -> e.getRequestId().equals(request));
        List<Evaluation> evaluations = readAll(stack, topics.evaluations(), e -> e.getRequestId().equals(request));
        assertThat(published).isNotEmpty();
        Map<String, List<List<String>>> revealedPerOwner = new HashMap<>();
        for (SubsetUpdate u : published) {
            revealedPerOwner.computeIfAbsent(u.getOwnerId(), o -> new ArrayList<>()).add(u.getClasses().stream()
                    .flatMap(c -> c.getSelected().stream().map(s -> s.getSampleId())).toList());
        }
        assertThat(ledger.stream().map(ExposureEntry::getOwnerId).distinct()).containsExactlyInAnyOrderElementsOf(revealedPerOwner.keySet());
        int purchases = 0;
        for (var owner : revealedPerOwner.entrySet()) {
            List<ExposureEntry> mine = ledger.stream().filter(e -> e.getOwnerId().equals(owner.getKey())).toList();
            List<ExposureEntry> subsets = mine.stream().filter(e -> e.getReason() == ExposureReason.SUBSET).toList();
            assertThat(subsets).as(owner.getKey()).hasSameSizeAs(owner.getValue());
            assertThat(subsets.stream().map(ExposureEntry::getSampleIds).toList()).as(owner.getKey()).isEqualTo(owner.getValue());
            assertThat(subsets).allSatisfy(e -> assertThat(e.getSamplesRevealed()).isEqualTo(e.getSampleIds().size()));
            Set<String> distinct = new LinkedHashSet<>();
            owner.getValue().forEach(distinct::addAll);
            assertThat(subsets.stream().mapToInt(e -> e.getNewlyRevealed().size()).sum()).as(owner.getKey()).isEqualTo(distinct.size());
            List<Integer> evaluated = evaluations.stream().filter(e -> e.getOwnerId().equals(owner.getKey()))
                    .map(Evaluation::getSubsetSize).toList();
            assertThat(mine.stream().filter(e -> e.getReason() == ExposureReason.PURCHASE).map(ExposureEntry::getSamplesRevealed).toList())
                    .as(owner.getKey()).isEqualTo(evaluated);
            purchases += evaluated.size();
        }
        // The demo evaluates every owner with a published subset, on that subset's samples.
        assertThat(purchases).isEqualTo(revealedPerOwner.size());
        for (Map<String, Object> owner : result.owners()) {
            List<List<String>> revealed = revealedPerOwner.get((String) owner.get("owner_id_on_topics"));
            assertThat(owner.get("subset_size")).as((String) owner.get("owner"))
                    .isEqualTo(revealed == null ? 0 : revealed.get(revealed.size() - 1).size());
        }
        assertThat(Keys.recipientOf(request)).isEqualTo(ledger.get(0).getRevealedTo());
    }

    /** The committed values of {@code topic} from offset 0 to its current end that {@code keep} accepts, in partition order. */
    private static <V> List<V> readAll(StackProperties stack, Topic<String, V> topic, Predicate<V> keep) {
        Map<String, Object> config = new HashMap<>(stack.clientConfig(StackSecurity.Principal.ADMIN));
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic.name()).stream().map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    V value = r.value() == null ? null : topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (value != null && keep.test(value)) {
                        out.add(value);
                    }
                }
            }
        }
        return out;
    }
}
