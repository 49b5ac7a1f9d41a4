package io.mycroft.connectors;

import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Every setting of {@link SelectionSinkConnector}, in one {@link ConfigDef}. */
public final class SelectionSinkConfig extends AbstractConfig {
    public static final String MANIFEST_DIRECTORY = "manifest.directory";

    public static final ConfigDef DEFINITION = RegistryLogin.define(new ConfigDef())
            .define(MANIFEST_DIRECTORY, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Root of the manifests: <root>/<ownerId>/selection-<requestId>.json.")
            .define(SerdeConfig.REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Schema registry the SubsetUpdate values were written with.")
            .define(Topics.PREFIX, Type.STRING, "", Importance.LOW, "Prefix of the subset-updates topic.");

    public SelectionSinkConfig(Map<String, String> props) {
        super(DEFINITION, props);
    }

    public Path manifestDirectory() {
        return Path.of(getString(MANIFEST_DIRECTORY)).toAbsolutePath().normalize();
    }

    public Topics topics() {
        return RegistryLogin.topics(this);
    }
}
