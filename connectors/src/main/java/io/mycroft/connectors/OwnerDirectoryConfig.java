package io.mycroft.connectors;

import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Every setting of {@link OwnerDirectorySourceConnector} and its tasks, in one {@link ConfigDef}. */
public final class OwnerDirectoryConfig extends AbstractConfig {
    public static final String OWNER_ID = "owner.id";
    public static final String DIRECTORY = "directory";
    public static final String CSV_LABEL_COLUMN = "csv.label.column";
    public static final String IMAGE_OUTPUT = "image.output";
    public static final String BATCH_SIZE = "batch.size";
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String MAX_RECORDS_PER_SECOND = "max.records.per.second";
    /** Set by the connector on each task's config: which share of the files the task reads. */
    static final String TASK_INDEX = "task.index";
    static final String TASK_COUNT = "task.count";

    public static final String IMAGE_RAW = "raw";
    public static final String IMAGE_PIXELS = "pixels";

    public static final ConfigDef DEFINITION = RegistryLogin.define(new ConfigDef())
            .define(OWNER_ID, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "The data owner whose files these are: key of every record and OwnerSample.ownerId. No '|'.")
            .define(DIRECTORY, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Directory watched recursively: *.csv with a header; <name>-images-idx3-ubyte[.gz] with its "
                            + "<name>-labels-idx1-ubyte[.gz]; <label>/<image>.png|jpg|jpeg.")
            .define(SerdeConfig.REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Schema registry the OwnerSample and DeadLetter values are registered with.")
            .define(Topics.PREFIX, Type.STRING, "", Importance.LOW, "Prefix of the owner-samples and dead-letters topics.")
            .define(CSV_LABEL_COLUMN, Type.STRING, "label", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "CSV header column holding the integer label; every other column is a numeric feature.")
            .define(IMAGE_OUTPUT, Type.STRING, IMAGE_RAW, ConfigDef.ValidString.in(IMAGE_RAW, IMAGE_PIXELS),
                    Importance.MEDIUM, "Images as raw file bytes with their media type, or as decoded pixels in [0, 1].")
            .define(BATCH_SIZE, Type.INT, 1000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Most records one poll returns; with exactly-once each poll is one transaction.")
            .define(POLL_INTERVAL_MS, Type.LONG, 500L, ConfigDef.Range.atLeast(10), Importance.LOW,
                    "How often the directory is listed for new files, and how long an idle task waits.")
            .define(MAX_RECORDS_PER_SECOND, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Upper bound on records per second per task, to spare the owner's disk; 0 for none.")
            .define(TASK_INDEX, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.LOW, "Set by the connector.")
            .define(TASK_COUNT, Type.INT, 1, ConfigDef.Range.atLeast(1), Importance.LOW, "Set by the connector.");

    public OwnerDirectoryConfig(Map<String, String> props) {
        super(DEFINITION, props);
        if (ownerId().contains("|")) {
            throw new ConfigException(OWNER_ID, ownerId(),
                    "must not contain '|' (it separates ids in the keys of later topics)");
        }
    }

    public String ownerId() {
        return getString(OWNER_ID);
    }

    public Path directory() {
        return Path.of(getString(DIRECTORY)).toAbsolutePath().normalize();
    }

    public String labelColumn() {
        return getString(CSV_LABEL_COLUMN);
    }

    public boolean decodeImages() {
        return IMAGE_PIXELS.equals(getString(IMAGE_OUTPUT));
    }

    public int batchSize() {
        return getInt(BATCH_SIZE);
    }

    public long pollIntervalMs() {
        return getLong(POLL_INTERVAL_MS);
    }

    public int maxRecordsPerSecond() {
        return getInt(MAX_RECORDS_PER_SECOND);
    }

    public int taskIndex() {
        return getInt(TASK_INDEX);
    }

    public int taskCount() {
        return getInt(TASK_COUNT);
    }

    /** The topic catalogue (names with prefix, serdes bound to the registry); the serdes register schemas. */
    public Topics topics() {
        return RegistryLogin.topics(this);
    }
}
