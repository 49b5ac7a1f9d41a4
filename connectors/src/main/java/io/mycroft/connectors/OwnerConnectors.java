package io.mycroft.connectors;

import io.mycroft.schemas.serde.SerdeConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Connector names and configs for an owner, as {@code mycroft owners add} creates them. */
public final class OwnerConnectors {
    private OwnerConnectors() {
    }

    public static String directoryConnectorName(String ownerId) {
        return "owner-" + ownerId + "-files";
    }

    public static String tableConnectorName(String ownerId, String table) {
        return "owner-" + ownerId + "-table-" + table;
    }

    /**
     * An exactly-once table connector for {@code ownerId}: incrementing on {@code idColumn}, or by
     * {@code timestampColumn} (then id) when that is not null.
     */
    public static Map<String, String> table(String ownerId, String url, String table, String idColumn,
                                            String timestampColumn, String registryUrl) {
        Map<String, String> c = common(OwnerJdbcSourceConnector.class.getName(), 1);
        c.put(OwnerJdbcConfig.OWNER_ID, ownerId);
        c.put(OwnerJdbcConfig.URL, url);
        c.put(OwnerJdbcConfig.TABLE, table);
        c.put(OwnerJdbcConfig.ID_COLUMN, idColumn);
        if (timestampColumn != null) {
            c.put(OwnerJdbcConfig.MODE, OwnerJdbcConfig.TIMESTAMP);
            c.put(OwnerJdbcConfig.TIMESTAMP_COLUMN, timestampColumn);
        }
        c.put(SerdeConfig.REGISTRY_URL, registryUrl);
        return c;
    }

    /** An exactly-once directory connector for {@code ownerId} reading {@code dir}, writing through {@code registryUrl}. */
    public static Map<String, String> directory(String ownerId, Path dir, String registryUrl, int tasks) {
        Map<String, String> c = common(OwnerDirectorySourceConnector.class.getName(), tasks);
        c.put(OwnerDirectoryConfig.OWNER_ID, ownerId);
        c.put(OwnerDirectoryConfig.DIRECTORY, dir.toAbsolutePath().normalize().toString());
        c.put(SerdeConfig.REGISTRY_URL, registryUrl);
        return c;
    }

    private static Map<String, String> common(String connectorClass, int tasks) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", connectorClass);
        c.put("tasks.max", Integer.toString(tasks));
        // Refuse to run rather than fall back to at-least-once if the worker lost exactly-once support.
        c.put("exactly.once.support", "required");
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", SampleRecords.VALUE_CONVERTER);
        return c;
    }
}
