package io.mycroft.topology;

import io.mycroft.processors.OwnerRankingAggregator;
import io.mycroft.processors.UsefulSubsetProcessor;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import mycroft.schemas.ClassSubset;
import mycroft.schemas.ExposureEntry;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.RankedOwner;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Audit of one request: reads its inputs from offset 0 ({@code hardset-vectors}, {@code sample-vectors},
 * {@code evaluations}, and every owner's caps on {@code owner-policies}), runs them through the same topology in a
 * private, offline driver, and compares the subsets and the ranking it rebuilds with the latest ones on {@code
 * subset-updates} and {@code owner-rankings}, and the exposure-ledger entries it writes for the request with those on
 * {@code exposure-ledger}. Nothing is written to the cluster. Equal means bit for bit: sample ids in order, every
 * weight, residual norm and score as IEEE doubles.
 *
 * <p>Compared are the final state of each owner and the final ranking (what a user sees); how many intermediate
 * updates were sent depends on batching and the ranking emit interval, not on the data.
 */
public final class AuditReplay {
    private static final Duration SETTLE = Duration.ofSeconds(2);

    /** The outcome: a digest of the rebuilt and of the published state, and what differs (empty when equal). */
    public record Result(String requestId, int owners, long inputRecords, String replayedDigest, String publishedDigest,
                         List<String> differences) {
        public boolean identical() {
            return differences.isEmpty();
        }
    }

    private AuditReplay() {
    }

    public static Result replay(MycroftStreamsConfig config, String requestId) {
        Topics topics = config.topics();
        Predicate<String> ofRequest = key -> key != null && (key.equals(requestId) || key.startsWith(requestId + Keys.SEPARATOR));
        List<ConsumerRecord<byte[], byte[]>> inputs = new ArrayList<>();
        for (Topic<String, ?> input : List.of(topics.hardsetVectors(), topics.sampleVectors(), topics.evaluations())) {
            inputs.addAll(readAll(config, input.name(), ofRequest));
        }
        int requestInputs = inputs.size();
        inputs.addAll(readAll(config, topics.ownerPolicies().name(), owner -> true));
        inputs = replayOrder(inputs);

        Map<String, SubsetUpdate> replayedSubsets = new TreeMap<>();
        OwnerRanking replayedRanking;
        List<String> replayedLedger = new ArrayList<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(MycroftTopology.build(offline(config)), offline(config).streamsProperties(),
                inputs.isEmpty() ? Instant.EPOCH : Instant.ofEpochMilli(inputs.get(0).timestamp()))) {
            Map<String, TestInputTopic<byte[], byte[]>> topicsIn = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> record : inputs) {
                topicsIn.computeIfAbsent(record.topic(), name -> driver.createInputTopic(name,
                                new org.apache.kafka.common.serialization.ByteArraySerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer()))
                        .pipeInput(record.key(), record.value(), record.timestamp());
            }
            driver.advanceWallClockTime(SETTLE); // applies batches that waited for their hard set
            Topic<String, ExposureEntry> ledger = topics.exposureLedger();
            driver.createOutputTopic(ledger.name(), ledger.keySerde().deserializer(), ledger.valueSerde().deserializer())
                    .readValuesToList().stream().filter(e -> e.getRequestId().equals(requestId))
                    .forEach(e -> replayedLedger.add(canonical(e)));
            KeyValueStore<String, SubsetUpdate> subsets = driver.getKeyValueStore(UsefulSubsetProcessor.SUBSETS);
            try (KeyValueIterator<String, SubsetUpdate> all = subsets.all()) {
                // Fix (demo branch): a state entry with seq 0 was never forwarded (UsefulSubsetProcessor emits only on a
                // change, and an owner with no sample of a weak class never has one), so it has no published counterpart;
                // counting it made every audit with such an owner report "owners differ". A cancelled owner's final
                // update stays in the store (so late batches are lettered as cancelled) but is not a published subset.
                all.forEachRemaining(kv -> {
                    if (kv.value.getSeq() > 0 && !kv.value.getCancelled()) {
                        replayedSubsets.put(kv.key, kv.value);
                    }
                });
            }
            KeyValueStore<String, OwnerRanking> rankings = driver.getKeyValueStore(OwnerRankingAggregator.RANKINGS);
            replayedRanking = rankings.get(requestId);
        }

        Map<String, SubsetUpdate> publishedSubsets = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(config, topics.subsetUpdates().name(), ofRequest)) {
            SubsetUpdate update = topics.subsetUpdates().valueSerde().deserializer().deserialize(record.topic(), record.value());
            if (update == null || update.getCancelled()) {
                publishedSubsets.remove(key(record));
            } else {
                publishedSubsets.put(key(record), update);
            }
        }
        OwnerRanking publishedRanking = null;
        for (ConsumerRecord<byte[], byte[]> record : readAll(config, topics.ownerRankings().name(), requestId::equals)) {
            publishedRanking = topics.ownerRankings().valueSerde().deserializer().deserialize(record.topic(), record.value());
        }

        List<String> publishedLedger = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(config, topics.exposureLedger().name(), owner -> true)) {
            ExposureEntry entry = topics.exposureLedger().valueSerde().deserializer().deserialize(record.topic(), record.value());
            if (entry != null && entry.getRequestId().equals(requestId)) {
                publishedLedger.add(canonical(entry));
            }
        }
        // Entries of one owner and reason come in one order; subset reveals and purchases are written by two
        // sub-topologies, so how they interleave is not part of the content: compared as sorted lists.
        replayedLedger.sort(null);
        publishedLedger.sort(null);

        List<String> differences = new ArrayList<>();
        if (!replayedLedger.equals(publishedLedger)) {
            differences.add("exposure ledger differs: replayed " + replayedLedger.size() + " entries, published "
                    + publishedLedger.size() + "; first replayed only: " + firstMissing(replayedLedger, publishedLedger)
                    + ", first published only: " + firstMissing(publishedLedger, replayedLedger));
        }
        if (!replayedSubsets.keySet().equals(publishedSubsets.keySet())) {
            differences.add("owners differ: replayed " + replayedSubsets.keySet() + ", published " + publishedSubsets.keySet());
        }
        for (Map.Entry<String, SubsetUpdate> replayed : replayedSubsets.entrySet()) {
            SubsetUpdate published = publishedSubsets.get(replayed.getKey());
            if (published != null && !canonical(replayed.getValue()).equals(canonical(published))) {
                differences.add("subset of " + replayed.getKey() + " differs: replayed " + canonical(replayed.getValue())
                        + ", published " + canonical(published));
            }
        }
        String replayedRanks = canonical(replayedRanking);
        String publishedRanks = canonical(publishedRanking);
        if (!replayedRanks.equals(publishedRanks)) {
            differences.add("ranking differs: replayed " + replayedRanks + ", published " + publishedRanks);
        }
        // The digests cover what a user sees (final subsets and ranking), comparable across runs of the same data; the
        // ledger is a history of the updates sent, which depends on batching and timing, so it is compared above only.
        return new Result(requestId, replayedSubsets.size(), requestInputs, digest(replayedSubsets, replayedRanks),
                digest(publishedSubsets, publishedRanks), differences);
    }

    /** The same settings with a private application id and state directory, the ranking sent on every change. */
    private static MycroftStreamsConfig offline(MycroftStreamsConfig config) {
        Map<String, String> settings = new TreeMap<>();
        config.asMap().forEach((k, v) -> settings.put(k, String.valueOf(v)));
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "mycroft-audit-" + UUID.randomUUID());
        settings.put(MycroftStreamsConfig.RANKING_EMIT_INTERVAL_MS, "0");
        try {
            settings.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("mycroft-audit-").toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return MycroftStreamsConfig.of(settings);
    }

    /** The user-visible content of a subset: per class the ids and weights in order, the norms; the score. Exact doubles. */
    private static String canonical(SubsetUpdate update) {
        StringBuilder out = new StringBuilder();
        for (ClassSubset c : update.getClasses()) {
            out.append(c.getLabel()).append(':');
            c.getSelected().forEach(s -> out.append(s.getSampleId()).append('=').append(Double.toHexString(s.getWeight())).append(','));
            out.append(Double.toHexString(c.getResidualNorm())).append('/').append(Double.toHexString(c.getTargetNorm()))
                    .append('/').append(c.getCoverage() == null ? "-" : Double.toHexString(c.getCoverage())).append(';');
        }
        return out.append("score=").append(Double.toHexString(update.getScore())).toString();
    }

    /** Every field of a ledger entry. */
    private static String canonical(ExposureEntry entry) {
        return entry.getOwnerId() + "|" + entry.getReason() + "|" + entry.getKind() + "|seq=" + entry.getSubsetSeq() + "|"
                + entry.getSampleIds() + "|new=" + entry.getNewlyRevealed() + "|n=" + entry.getSamplesRevealed() + "|cap="
                + entry.getCap() + "|to=" + entry.getRevealedTo() + "|at=" + entry.getAsOf().toEpochMilli();
    }

    private static String firstMissing(List<String> these, List<String> from) {
        List<String> rest = new ArrayList<>(these);
        from.forEach(rest::remove);
        return rest.isEmpty() ? "none" : rest.get(0);
    }

    private static String canonical(OwnerRanking ranking) {
        if (ranking == null) {
            return "none";
        }
        StringBuilder out = new StringBuilder();
        for (RankedOwner o : ranking.getOwners()) {
            out.append(o.getRank()).append('.').append(o.getOwnerId()).append('=').append(Double.toHexString(o.getScore()))
                    .append('/').append(o.getSubsetSize()).append('/')
                    .append(o.getEvaluationGain() == null ? "-" : Double.toHexString(o.getEvaluationGain())).append('/')
                    .append(o.getScoreLow() == null ? "-" : Double.toHexString(o.getScoreLow())).append('/')
                    .append(o.getScoreHigh() == null ? "-" : Double.toHexString(o.getScoreHigh())).append(';');
        }
        // The separated order is a function of the final scores; when it settled (updatesSinceOrderChange, settled)
        // depends on the order the owners' updates arrived in, like seq, so it is not compared.
        out.append("separated=").append(String.join(",", ranking.getSeparatedPairs()));
        return out.toString();
    }

    private static String digest(Map<String, SubsetUpdate> subsets, String ranking) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            subsets.forEach((key, update) -> sha.update((key + "\n" + canonical(update) + "\n").getBytes(StandardCharsets.UTF_8)));
            sha.update(ranking.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }

    /** Every committed record of {@code topic} whose key passes {@code keys}, from offset 0 to the current end. */
    /**
     * One order for every replay: by time, then topic, partition and offset, where a record's time is the greatest
     * timestamp of its partition up to it, so that each partition is replayed in offset order (as a Streams task reads
     * it). Which owner's copy of a content came first is decided by the offsets of the request's partition, so that
     * order must not be changed by a producer's clock.
     */
    static List<ConsumerRecord<byte[], byte[]>> replayOrder(List<ConsumerRecord<byte[], byte[]>> records) {
        record Timed(long time, ConsumerRecord<byte[], byte[]> record) {
        }
        List<ConsumerRecord<byte[], byte[]>> byOffset = new ArrayList<>(records);
        byOffset.sort(Comparator.<ConsumerRecord<byte[], byte[]>, String>comparing(ConsumerRecord::topic)
                .thenComparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset));
        Map<TopicPartition, Long> clock = new HashMap<>();
        List<Timed> timed = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : byOffset) {
            long time = clock.merge(new TopicPartition(record.topic(), record.partition()), record.timestamp(), Math::max);
            timed.add(new Timed(time, record));
        }
        timed.sort(Comparator.comparingLong(Timed::time).thenComparing(t -> t.record().topic())
                .thenComparingInt(t -> t.record().partition()).thenComparingLong(t -> t.record().offset()));
        return timed.stream().map(Timed::record).toList();
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(MycroftStreamsConfig config, String topic, Predicate<String> keys) {
        Properties props = new Properties();
        props.putAll(config.clientSettings());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() != null && keys.test(new String(record.key(), StandardCharsets.UTF_8))) {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }
}
