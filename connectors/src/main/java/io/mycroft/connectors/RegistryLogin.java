package io.mycroft.connectors;

import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * The registry settings every connector takes, under Confluent's names: the URL and prefix, plus HTTP Basic credentials
 * for a registry that requires them (the secure local stack's).
 */
final class RegistryLogin {
    private RegistryLogin() {
    }

    static ConfigDef define(ConfigDef definition) {
        return definition
                .define(SerdeConfig.CREDENTIALS_SOURCE, Type.STRING, null, Importance.MEDIUM,
                        "'" + SerdeConfig.SOURCE_USER_INFO + "' when the registry needs HTTP Basic credentials.")
                .define(SerdeConfig.USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
                        "user:password to log in to the registry with.");
    }

    /** The topic catalogue (names with prefix, serdes bound to the registry with its login). */
    static Topics topics(AbstractConfig config) {
        return Topics.from(serdeSettings(config));
    }

    /** What {@link Topics#from} takes: the registry URL, its login when set, the prefix. */
    static Map<String, Object> serdeSettings(AbstractConfig config) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(SerdeConfig.REGISTRY_URL, config.getString(SerdeConfig.REGISTRY_URL));
        settings.put(Topics.PREFIX, config.getString(Topics.PREFIX));
        String source = config.getString(SerdeConfig.CREDENTIALS_SOURCE);
        if (source != null) {
            settings.put(SerdeConfig.CREDENTIALS_SOURCE, source);
        }
        Password userInfo = config.getPassword(SerdeConfig.USER_INFO);
        if (userInfo != null) {
            settings.put(SerdeConfig.USER_INFO, userInfo.value());
        }
        return settings;
    }
}
