package io.mycroft.schemas;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeysTest {
    @Test
    void requestOwnerKeysSplitBack() {
        String key = Keys.requestOwner("r-7", "hospital.b");
        assertThat(key).isEqualTo("r-7|hospital.b");
        assertThat(Keys.requestOf(key)).isEqualTo("r-7");
        assertThat(Keys.ownerOf(key)).isEqualTo("hospital.b");
    }

    @Test
    void idsWithTheSeparatorOrEmptyAreRefused() {
        assertThatThrownBy(() -> Keys.requestOwner("r|1", "o")).hasMessageContaining("requestId 'r|1' contains '|'");
        assertThatThrownBy(() -> Keys.requestOwner("r", "")).hasMessageContaining("ownerId must not be empty");
        assertThatThrownBy(() -> Keys.ownerOf("no-separator")).hasMessageContaining("not of the form");
    }

    @Test
    void aRequestIdNamesItsTrainerBeforeTheFirstDot() {
        assertThat(Keys.trainerOf("alice.mnist-1")).isEqualTo("alice");
        assertThat(Keys.trainerOf("alice.mnist.2")).isEqualTo("alice");
        assertThat(Keys.trainerOf("r1")).isNull();
        assertThat(Keys.trainerOf(".r1")).isNull();
        assertThat(Keys.recipientOf("alice.mnist-1")).isEqualTo("trainer:alice");
        assertThat(Keys.recipientOf("r1")).isEqualTo("operator");
    }
}
