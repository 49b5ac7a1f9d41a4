package io.mycroft.connectors;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/** Polls an owner's table for rows after the committed offset; the table is one source partition. */
public final class OwnerJdbcSourceTask extends SourceTask {
    private OwnerJdbcConfig config;
    private SampleRecords records;
    private TableReader reader;
    private String table;
    private Connection connection;

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new OwnerJdbcConfig(props);
        table = config.getString(OwnerJdbcConfig.TABLE);
        records = new SampleRecords(config.getString(OwnerJdbcConfig.OWNER_ID), config.topics(), Clock.systemUTC());
        Map<String, Object> offset = context.offsetStorageReader().offset(SampleRecords.partition(table));
        String timestampColumn = config.timestampMode() ? config.getString(OwnerJdbcConfig.TIMESTAMP_COLUMN) : null;
        reader = new TableReader(table, config.getString(OwnerJdbcConfig.ID_COLUMN), timestampColumn,
                config.getString(OwnerJdbcConfig.LABEL_COLUMN), config.getList(OwnerJdbcConfig.FEATURE_COLUMNS),
                config.getInt(OwnerJdbcConfig.BATCH_SIZE), offset);
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        List<SourceItem> items;
        try {
            items = reader.read(connection());
        } catch (SQLException e) {
            closeConnection();
            // Connect logs it and polls again at once: wait first, so a database that is down is not hammered.
            Thread.sleep(config.getLong(OwnerJdbcConfig.POLL_INTERVAL_MS));
            throw new RetriableException("cannot read table " + table + ": " + e.getMessage(), e);
        }
        if (items.isEmpty()) {
            Thread.sleep(config.getLong(OwnerJdbcConfig.POLL_INTERVAL_MS));
            return null;
        }
        return items.stream().map(item -> records.toRecord("jdbc", table, item)).toList();
    }

    /**
     * Asks the drivers of the plugin's own class loader directly: {@code DriverManager} only sees drivers that the
     * worker's class path registered when it first ran.
     */
    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            String url = config.getString(OwnerJdbcConfig.URL);
            Properties login = new Properties();
            if (!config.getString(OwnerJdbcConfig.USER).isEmpty()) {
                login.setProperty("user", config.getString(OwnerJdbcConfig.USER));
                login.setProperty("password", config.getPassword(OwnerJdbcConfig.PASSWORD).value());
            }
            for (Driver driver : ServiceLoader.load(Driver.class, getClass().getClassLoader())) {
                if (driver.acceptsURL(url)) {
                    connection = driver.connect(url, login);
                    // Each query sees committed rows only; no transaction is held open between polls.
                    connection.setAutoCommit(true);
                    return connection;
                }
            }
            throw new ConnectException("no JDBC driver accepts " + url + ": the plugin carries PostgreSQL's; put other "
                    + "drivers' jars into the plugin's directory");
        }
        return connection;
    }

    @Override
    public void stop() {
        closeConnection();
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing a broken connection: nothing left to release.
            }
            connection = null;
        }
    }
}
