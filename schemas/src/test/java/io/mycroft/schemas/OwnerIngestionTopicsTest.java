package io.mycroft.schemas;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OwnerIngestionTopicsTest {
    private final Topics plain = new Topics("", null, false);
    private final Topics prefixed = new Topics("seed-1.", null, false);

    @Test
    void anOwnersIngestionTopicIsOwnerSamplesWithItsOwnName() {
        TopicSpec spec = Topics.ownerIngestionSpec("owner-a");
        assertThat(spec.name("")).isEqualTo("owner-samples.owner-a");
        assertThat(spec.name("seed-1.")).isEqualTo("seed-1.owner-samples.owner-a");
        assertThat(spec.valueType()).isEqualTo(Topics.OWNER_SAMPLES.valueType());
        assertThat(spec.partitions()).isEqualTo(Topics.OWNER_SAMPLES.partitions());
        assertThat(spec.configs()).isEqualTo(Topics.OWNER_SAMPLES.configs());
    }

    @Test
    void ownerIdsOfIngestionTopicsAreLowerCaseLettersDigitsAndDashes() {
        assertThat(Topics.ingestionOwnerProblem("a")).isNull();
        assertThat(Topics.ingestionOwnerProblem("hospital-7")).isNull();
        assertThat(Topics.ingestionOwnerProblem("x".repeat(64))).isNull();
        for (String bad : new String[] {null, "", "x".repeat(65), "owner.a", "Owner", "owner_a", "-a", "a|b", "a b", "ä"}) {
            assertThat(Topics.ingestionOwnerProblem(bad)).as(bad).contains("must match");
        }
        assertThatThrownBy(() -> Topics.ownerIngestionSpec("owner.a")).hasMessageContaining("'owner.a' must match");
    }

    @Test
    void theChannelOwnerIsReadFromTheTopicNameUnderThePrefix() {
        assertThat(plain.channelOwner("owner-samples.owner-a")).contains("owner-a");
        assertThat(plain.channelOwner("owner-samples")).isEmpty();
        assertThat(plain.channelOwner("owner-samples.")).isEmpty();
        assertThat(plain.channelOwner("owner-samples.a.b")).isEmpty();
        assertThat(plain.channelOwner("owner-samplesx.a")).isEmpty();
        assertThat(plain.channelOwner("seed-1.owner-samples.owner-a")).isEmpty();
        assertThat(prefixed.channelOwner("seed-1.owner-samples.owner-a")).contains("owner-a");
        assertThat(prefixed.channelOwner("owner-samples.owner-a")).isEmpty();
    }

    @Test
    void theSubscriptionPatternTakesOwnerSamplesAndEveryOwnersTopicOfItsPrefixOnly() {
        assertThat(plain.ownerSamplesPattern().matcher("owner-samples").matches()).isTrue();
        assertThat(plain.ownerSamplesPattern().matcher("owner-samples.owner-a").matches()).isTrue();
        assertThat(plain.ownerSamplesPattern().matcher("owner-samples.a.b").matches()).isFalse();
        assertThat(plain.ownerSamplesPattern().matcher("owner-samplesXowner-a").matches()).isFalse();
        assertThat(plain.ownerSamplesPattern().matcher("seed-1.owner-samples.owner-a").matches()).isFalse();
        assertThat(prefixed.ownerSamplesPattern().matcher("seed-1.owner-samples").matches()).isTrue();
        assertThat(prefixed.ownerSamplesPattern().matcher("seed-1.owner-samples.owner-a").matches()).isTrue();
        assertThat(prefixed.ownerSamplesPattern().matcher("seed-1Xowner-samples.owner-a").matches()).isFalse();
        assertThat(prefixed.ownerSamplesPattern().matcher("owner-samples.owner-a").matches()).isFalse();
    }

    @Test
    void ownerIngestionTopicsCarryOwnerSampleSerdes() {
        assertThat(plain.ownerIngestion("owner-a").name()).isEqualTo("owner-samples.owner-a");
        assertThat(prefixed.ownerIngestion("owner-a").name()).isEqualTo("seed-1.owner-samples.owner-a");
    }
}
