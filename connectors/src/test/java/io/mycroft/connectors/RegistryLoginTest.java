package io.mycroft.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.mycroft.schemas.serde.SerdeConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryLoginTest {
    private static final Map<String, String> DIRECTORY = Map.of(OwnerDirectoryConfig.OWNER_ID, "owner-a",
            OwnerDirectoryConfig.DIRECTORY, "/data/owner-a", SerdeConfig.REGISTRY_URL, "http://127.0.0.1:1");

    @Test
    void theRegistryLoginReachesTheSerdesAndStaysHiddenInTheConnectorsConfig() {
        Map<String, String> props = new HashMap<>(DIRECTORY);
        props.put(SerdeConfig.CREDENTIALS_SOURCE, SerdeConfig.SOURCE_USER_INFO);
        props.put(SerdeConfig.USER_INFO, "mycroft-connect:secret");
        OwnerDirectoryConfig config = new OwnerDirectoryConfig(props);
        assertThat(RegistryLogin.serdeSettings(config)).containsEntry(SerdeConfig.USER_INFO, "mycroft-connect:secret")
                .containsEntry(SerdeConfig.CREDENTIALS_SOURCE, "USER_INFO");
        // Connect logs connector configs: the password type prints as [hidden].
        assertThat(config.values().get(SerdeConfig.USER_INFO).toString()).doesNotContain("secret");
    }

    @Test
    void withoutALoginTheSerdesCallAnonymously() {
        assertThat(RegistryLogin.serdeSettings(new OwnerDirectoryConfig(DIRECTORY)))
                .doesNotContainKeys(SerdeConfig.USER_INFO, SerdeConfig.CREDENTIALS_SOURCE);
    }
}
