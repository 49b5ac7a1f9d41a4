package io.mycroft.connectors;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Writes each owner's current D_useful (from subset-updates) back to the owner as a manifest file of sample ids and
 * weights, so owners learn which of their samples were asked for. Values are read as bytes
 * ({@code ByteArrayConverter}) and decoded with the project's serde.
 */
public final class SelectionSinkConnector extends SinkConnector {
    private Map<String, String> props;

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        new SelectionSinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SelectionSinkTask.class;
    }

    /** Partitions are keyed by request|owner, so tasks never write the same manifest. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public ConfigDef config() {
        return SelectionSinkConfig.DEFINITION;
    }

    @Override
    public void stop() {
    }
}
