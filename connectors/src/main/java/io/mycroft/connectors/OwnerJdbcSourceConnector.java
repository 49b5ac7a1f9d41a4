package io.mycroft.connectors;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Streams an owner's SQL table into owner-samples, one {@link mycroft.schemas.OwnerSample} per row (sample id
 * {@code table:id}), in incrementing-id or timestamp order; bad rows go to dead-letters. One task: a table is one
 * ordered stream. Values pass through {@code ByteArrayConverter}, as for {@link OwnerDirectorySourceConnector}.
 */
public final class OwnerJdbcSourceConnector extends SourceConnector {
    private Map<String, String> props;

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        new OwnerJdbcConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return OwnerJdbcSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    /** Rows and the offset of the last one are committed in one transaction per poll. */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
        return ConnectorTransactionBoundaries.UNSUPPORTED;
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        SampleRecords.requireByteArrayConverter(config, connectorConfigs);
        return config;
    }

    @Override
    public ConfigDef config() {
        return OwnerJdbcConfig.DEFINITION;
    }

    @Override
    public void stop() {
    }
}
