package io.mycroft.topology;

import io.mycroft.processors.OwnerRankingAggregator;
import io.mycroft.processors.UsefulSubsetProcessor;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Every setting of the Streams app in one place: the defaults below, then a properties file, then command-line
 * overrides ({@code key=value}), later ones winning. Kafka Streams settings pass through; {@code mycroft.*} are ours.
 */
public final class MycroftStreamsConfig {
    /** Wall-clock interval at which bursts of subset updates are folded into one ranking per request (0 = emit every change). */
    public static final String RANKING_EMIT_INTERVAL_MS = "mycroft.ranking.emit.interval.ms";
    /** Normal quantile z of the owners' score intervals S ± z·√C·σ (processors.math.ScoreInterval; 1.96 = 95 %). */
    public static final String RANKING_INTERVAL_Z = "mycroft.ranking.interval.z";
    /** Subset updates a request's separated order must survive without a reversal before its ranking counts as settled. */
    public static final String RANKING_SETTLED_WINDOW_UPDATES = "mycroft.ranking.settled.window.updates";
    /** How long sample vectors may wait for their request's hard set before they are dead-lettered as unknown. */
    public static final String PENDING_TIMEOUT_MS = UsefulSubsetProcessor.PENDING_TIMEOUT_MS;
    /** Largest batch of samples accepted in one SampleVectors record; larger ones are dead-lettered as oversize. */
    public static final String MAX_BATCH_SAMPLES = UsefulSubsetProcessor.MAX_BATCH_SAMPLES;
    /** Bytes of the RocksDB block cache and memtables shared by all stores of the instance. */
    public static final String ROCKSDB_MEMORY_BYTES = BoundedMemoryRocksDBConfig.MEMORY_BYTES;
    /**
     * Floats of candidate vectors (and their OMP atoms) a stream thread keeps in memory across batches (default 64 Mi =
     * 256 MiB). They are held nowhere else: a (request, owner) beyond it is evicted, and when its next batch comes, its
     * candidates are read back from its applied {@code sample-vectors} records and its OMP working memory rebuilt. Size
     * it to the live working set (a candidate of d floats counts 2·d), or evicted owners are re-read batch after batch.
     */
    public static final String CANDIDATE_CACHE_FLOATS = "mycroft.candidate.cache.floats";
    /**
     * Bytes of a task's in-memory index of content claims (default 64 MiB, about 6 million claims at 11 bytes each).
     * Claims beyond it are indexed in the RocksDB store {@code content-claims}, one entry per claim, which costs the
     * stream thread about 2 µs a sample more (load-tests/reports/streams.md).
     */
    public static final String CLAIM_TABLE_BYTES = "mycroft.claim.table.bytes";
    /** Port of the REST API, health and metrics endpoint (0 = pick a free one). */
    public static final String HTTP_PORT = "mycroft.http.port";
    /** Address the REST server binds to: 127.0.0.1 keeps it on this machine, 0.0.0.0 serves every interface. */
    public static final String HTTP_BIND_ADDRESS = "mycroft.http.bind.address";
    /**
     * Host name other instances and clients reach this instance's REST server by; with the REST port it becomes
     * {@code application.server}, by which interactive queries are forwarded (a pod's DNS name on Kubernetes).
     */
    public static final String HTTP_ADVERTISED_HOST = "mycroft.http.advertised.host";
    /**
     * The REST API's token file ({@link RestTokens}); unset (the default), every route is open. Set, every route but
     * {@code /health} and the dashboard's static files needs a bearer token, and serves its principal only its own data.
     */
    public static final String REST_TOKENS_FILE = "mycroft.rest.tokens.file";

    private final Properties properties;

    private MycroftStreamsConfig(Properties properties) {
        this.properties = properties;
    }

    public static Properties defaults() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "mycroft-streams");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        p.put(SerdeConfig.REGISTRY_URL, "http://127.0.0.1:8081");
        p.put(Topics.PREFIX, "");
        // Subsets and rankings must be replayable bit for bit: no duplicates, no lost updates.
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Under EOS the commit interval bounds how long downstream read_committed consumers wait for an update.
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        // Disabled: the one task with two inputs is the ranking aggregator's (subset updates, evaluations), and what an
        // audit compares of a ranking does not depend on how they interleave (AuditReplay). Waiting for an empty input
        // (the default, 0) costs every loop: each such task formats a log line per empty partition whether or not it is
        // logged, 6 % of the stream thread in the FEATURE benchmark (load-tests/reports/streams.md, 2026-12-07).
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, String.valueOf(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
        // A standby keeps a warm copy of the OMP state so a failover does not replay the whole changelog.
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "0");
        p.put(StreamsConfig.STATE_DIR_CONFIG, Path.of(System.getProperty("java.io.tmpdir"), "mycroft-streams").toString());
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class.getName());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
        // The first run must see vectors produced before the app started.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Trainers' own topics created while the app runs are subscribed (by pattern, TrainerGate) within 30 s.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG), "30000");
        // Hard-set vectors and model-sized records exceed the 1 MB default.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), String.valueOf(10 * 1024 * 1024));
        // A 16 KB batch (the default) holds six records of a 50-sample record's claims: the producer then sent a request
        // every few records, and its thread and the broker took a core from the stream thread. 512 KB batches fill
        // within the linger (Streams' 100 ms) or the commit: Mycroft +24 % in the FEATURE benchmark
        // (load-tests/reports/streams.md, 2026-12-07).
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), String.valueOf(512 * 1024));
        // All of a request's vectors sit in one partition (Keys.requestPartition): a fetch of 1 MB, the default, brings
        // four 50-sample gradient records; 8 MB lets one fetch bring a poll's worth.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), String.valueOf(8 * 1024 * 1024));
        p.put(RANKING_EMIT_INTERVAL_MS, "1000");
        p.put(RANKING_INTERVAL_Z, String.valueOf(OwnerRankingAggregator.Settling.DEFAULT.z()));
        p.put(RANKING_SETTLED_WINDOW_UPDATES, String.valueOf(OwnerRankingAggregator.Settling.DEFAULT.windowUpdates()));
        p.put(PENDING_TIMEOUT_MS, String.valueOf(10 * 60 * 1000));
        p.put(MAX_BATCH_SAMPLES, "10000");
        p.put(ROCKSDB_MEMORY_BYTES, String.valueOf(BoundedMemoryRocksDBConfig.DEFAULT_MEMORY_BYTES));
        p.put(CANDIDATE_CACHE_FLOATS, String.valueOf(64L * 1024 * 1024));
        p.put(CLAIM_TABLE_BYTES, String.valueOf(64L * 1024 * 1024));
        p.put(HTTP_PORT, "7070");
        p.put(HTTP_BIND_ADDRESS, "127.0.0.1");
        p.put(HTTP_ADVERTISED_HOST, "127.0.0.1");
        return p;
    }

    /** Defaults, then {@code file} (may be null), then {@code overrides}. */
    public static MycroftStreamsConfig load(Path file, Map<String, String> overrides) {
        return load(Map.of(), file, overrides);
    }

    /** Defaults, then {@code environment} (e.g. the local stack's endpoints), then {@code file} (may be null), then {@code overrides}. */
    public static MycroftStreamsConfig load(Map<String, String> environment, Path file, Map<String, String> overrides) {
        Properties p = defaults();
        p.putAll(environment);
        if (file != null) {
            try (Reader reader = Files.newBufferedReader(file)) {
                p.load(reader);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("no config file " + file + ": pass the path of a properties file to --config", e);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
            }
        }
        p.putAll(overrides);
        return new MycroftStreamsConfig(p);
    }

    public static MycroftStreamsConfig of(Map<String, String> overrides) {
        return load(null, overrides);
    }

    /** All settings, for {@code new KafkaStreams(topology, props)}. */
    public Properties streamsProperties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    /** All settings as a map, for serdes and the topic catalogue. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new HashMap<>();
        properties.forEach((k, v) -> map.put(k.toString(), v));
        return map;
    }

    public Topics topics() {
        return Topics.from(asMap());
    }

    public String get(String key) {
        return properties.getProperty(key);
    }

    /**
     * What a plain Kafka client beside the app (feeds, audit reads, dead-letter producers) needs to reach the cluster as
     * the app's principal: the bootstrap servers and the login settings ({@code security.protocol}, {@code sasl.*},
     * {@code ssl.*}).
     */
    public Map<String, Object> clientSettings() {
        return clientSettings(asMap());
    }

    /** {@link #clientSettings()} of any client settings map, e.g. what Kafka Streams passes to a handler's configure. */
    public static Map<String, Object> clientSettings(Map<String, ?> configs) {
        Map<String, Object> client = new HashMap<>();
        configs.forEach((key, value) -> {
            if (key.equals(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG) || key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
                    || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                client.put(key, value);
            }
        });
        return client;
    }

    public long getLong(String key) {
        String value = properties.getProperty(key);
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + value + "'");
        }
    }

    public double getDouble(String key) {
        String value = properties.getProperty(key);
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + value + "'");
        }
    }

    public int getInt(String key) {
        return Math.toIntExact(getLong(key));
    }
}
