package io.mycroft.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SerdeConfigTest {
    private static final String URL = "http://127.0.0.1:1";

    @Test
    void userInfoIsTakenUnderConfluentsNames() {
        assertThat(SerdeConfig.userInfo(Map.of(SerdeConfig.REGISTRY_URL, URL))).isEmpty();
        assertThat(SerdeConfig.userInfo(Map.of(SerdeConfig.CREDENTIALS_SOURCE, "USER_INFO", SerdeConfig.USER_INFO, "u:p")))
                .contains("u:p");
    }

    @Test
    void anotherCredentialsSourceOrAMissingUserInfoIsRefused() {
        assertThatThrownBy(() -> SerdeConfig.userInfo(Map.of(SerdeConfig.CREDENTIALS_SOURCE, "URL")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not supported");
        assertThatThrownBy(() -> SerdeConfig.userInfo(Map.of(SerdeConfig.CREDENTIALS_SOURCE, "USER_INFO")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("basic.auth.user.info");
    }

    @Test
    void eachLoginHasItsOwnClient() {
        SchemaRegistry anonymous = SerdeConfig.registryFor(URL);
        SchemaRegistry alice = SerdeConfig.registryFor(URL, Optional.of("alice:secret"));
        assertThat(alice).isNotSameAs(anonymous).isSameAs(SerdeConfig.registryFor(URL, Optional.of("alice:secret")));
        assertThat(SerdeConfig.registryFor(URL)).isSameAs(anonymous);
    }
}
