package io.mycroft.connectors;

import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Every setting of {@link OwnerJdbcSourceConnector} and its task, in one {@link ConfigDef}. */
public final class OwnerJdbcConfig extends AbstractConfig {
    public static final String OWNER_ID = OwnerDirectoryConfig.OWNER_ID;
    public static final String URL = "connection.url";
    public static final String USER = "connection.user";
    public static final String PASSWORD = "connection.password";
    public static final String TABLE = "table";
    public static final String MODE = "mode";
    public static final String ID_COLUMN = "id.column";
    public static final String TIMESTAMP_COLUMN = "timestamp.column";
    public static final String LABEL_COLUMN = "label.column";
    public static final String FEATURE_COLUMNS = "feature.columns";
    public static final String BATCH_SIZE = OwnerDirectoryConfig.BATCH_SIZE;
    public static final String POLL_INTERVAL_MS = OwnerDirectoryConfig.POLL_INTERVAL_MS;

    public static final String INCREMENTING = "incrementing";
    public static final String TIMESTAMP = "timestamp";
    /** Names go into SQL unquoted (so the database folds their case as usual): plain identifiers only. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final ConfigDef.Validator SQL_NAME = (name, value) -> {
        if (value != null && !value.toString().isEmpty() && !IDENTIFIER.matcher(value.toString()).matches()) {
            throw new ConfigException(name, value, "must be a plain SQL identifier (letters, digits, _; schema.table)");
        }
    };

    public static final ConfigDef DEFINITION = RegistryLogin.define(new ConfigDef())
            .define(OWNER_ID, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "The data owner whose table this is: key of every record and OwnerSample.ownerId. No '|'.")
            .define(URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "JDBC URL, e.g. jdbc:postgresql://host:5432/db. The plugin carries the PostgreSQL driver; other "
                            + "drivers work when their jar is put next to the plugin's.")
            .define(USER, Type.STRING, "", Importance.HIGH, "Database user (empty: from the URL or the driver's default).")
            .define(PASSWORD, Type.PASSWORD, "", Importance.HIGH, "Database password.")
            .define(TABLE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, SQL_NAME, Importance.HIGH, "Table (or schema.table).")
            .define(MODE, Type.STRING, INCREMENTING, ConfigDef.ValidString.in(INCREMENTING, TIMESTAMP), Importance.HIGH,
                    "incrementing: new rows have a larger id. timestamp: new and updated rows have a later timestamp "
                            + "(ties broken by id); an updated row is ingested again under the same sample id.")
            .define(ID_COLUMN, Type.STRING, "id", SQL_NAME, Importance.HIGH,
                    "Strictly increasing integer column: the sample id and the offset (the tie-breaker in timestamp mode).")
            .define(TIMESTAMP_COLUMN, Type.STRING, "", SQL_NAME, Importance.MEDIUM, "Timestamp column (timestamp mode).")
            .define(LABEL_COLUMN, Type.STRING, "label", SQL_NAME, Importance.MEDIUM, "Integer label column.")
            .define(FEATURE_COLUMNS, Type.LIST, List.of(), Importance.MEDIUM,
                    "Feature columns in order; empty for every numeric column other than the id, timestamp and label.")
            .define(SerdeConfig.REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Schema registry the OwnerSample and DeadLetter values are registered with.")
            .define(Topics.PREFIX, Type.STRING, "", Importance.LOW, "Prefix of the owner-samples and dead-letters topics.")
            .define(BATCH_SIZE, Type.INT, 1000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Most rows one query (and, with exactly-once, one transaction) returns.")
            .define(POLL_INTERVAL_MS, Type.LONG, 1000L, ConfigDef.Range.atLeast(10), Importance.LOW,
                    "How long the task waits before asking again when the last query returned nothing.");

    public OwnerJdbcConfig(Map<String, String> props) {
        super(DEFINITION, props);
        if (getString(OWNER_ID).contains("|")) {
            throw new ConfigException(OWNER_ID, getString(OWNER_ID), "must not contain '|'");
        }
        if (timestampMode() && getString(TIMESTAMP_COLUMN).isEmpty()) {
            throw new ConfigException(TIMESTAMP_COLUMN, "", "is required in timestamp mode");
        }
        for (String column : getList(FEATURE_COLUMNS)) {
            SQL_NAME.ensureValid(FEATURE_COLUMNS, column);
        }
    }

    public boolean timestampMode() {
        return TIMESTAMP.equals(getString(MODE));
    }

    public Topics topics() {
        return RegistryLogin.topics(this);
    }
}
