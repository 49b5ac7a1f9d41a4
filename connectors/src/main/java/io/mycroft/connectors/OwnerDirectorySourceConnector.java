package io.mycroft.connectors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Streams an owner's directory of CSV, IDX and image files into owner-samples, one {@link mycroft.schemas.OwnerSample}
 * per row or image, and bad input into dead-letters. Tasks split the files by path; offsets are file + position.
 */
public final class OwnerDirectorySourceConnector extends SourceConnector {
    private Map<String, String> props;

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        OwnerDirectoryConfig config = new OwnerDirectoryConfig(props);
        if (!Files.isDirectory(config.directory())) {
            throw new ConfigException(OwnerDirectoryConfig.DIRECTORY, config.directory().toString(), "is not a directory");
        }
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return OwnerDirectorySourceTask.class;
    }

    /** Every task gets the same config plus its index; each reads the files whose path hashes to it. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> task = new HashMap<>(props);
            task.put(OwnerDirectoryConfig.TASK_INDEX, Integer.toString(i));
            task.put(OwnerDirectoryConfig.TASK_COUNT, Integer.toString(maxTasks));
            configs.add(task);
        }
        return configs;
    }

    /** Each poll's records and their offsets can be committed in one transaction: nothing else is needed. */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /** Transactions follow Connect's poll or interval boundaries; the task does not define its own. */
    @Override
    public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
        return ConnectorTransactionBoundaries.UNSUPPORTED;
    }

    /** Adds two checks Connect cannot know: the directory exists, and values pass through the byte-array converter. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        for (ConfigValue value : config.configValues()) {
            if (value.name().equals(OwnerDirectoryConfig.DIRECTORY) && value.errorMessages().isEmpty()
                    && value.value() != null && !Files.isDirectory(Path.of(value.value().toString()))) {
                value.addErrorMessage(value.value() + " is not a directory the Connect worker can read");
            }
        }
        SampleRecords.requireByteArrayConverter(config, connectorConfigs);
        return config;
    }

    @Override
    public ConfigDef config() {
        return OwnerDirectoryConfig.DEFINITION;
    }

    @Override
    public void stop() {
    }
}
