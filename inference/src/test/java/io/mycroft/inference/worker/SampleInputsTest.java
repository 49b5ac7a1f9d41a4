package io.mycroft.inference.worker;

import io.mycroft.schemas.FloatVectors;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SourcePosition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Owner samples to model inputs: features as given, PNGs decoded to grey levels, bad input refused with a reason. */
class SampleInputsTest {
    @Test
    void decodesAPngRowByRowToGreyLevels() throws Exception {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSample(0, 0, 0, 255);
        image.getRaster().setSample(2, 1, 0, 51);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        OwnerSample sample = base().setRaw(ByteBuffer.wrap(png.toByteArray())).setMediaType("image/png").build();

        float[] f = SampleInputs.features(sample);
        assertThat(f).hasSize(6);
        assertThat(f[0]).isCloseTo(1f, within(0.01f));
        assertThat(f[5]).isCloseTo(0.2f, within(0.01f));
        assertThat(f[1]).isZero();
        SampleInputs.check(sample, f, 6, 10, "m v1");
    }

    @Test
    void refusesWhatCannotBeUsed() throws Exception {
        OwnerSample notAnImage = base().setRaw(ByteBuffer.wrap(new byte[]{1, 2, 3})).setMediaType("image/png").build();
        assertThatThrownBy(() -> SampleInputs.features(notAnImage)).isInstanceOf(BadSampleException.class)
                .hasMessageContaining("not an image format");
        OwnerSample empty = base().build();
        assertThatThrownBy(() -> SampleInputs.features(empty)).hasMessageContaining("neither features nor raw");
        OwnerSample nan = base().setFeatures(FloatVectors.of(1f, Float.NaN)).build();
        assertThatThrownBy(() -> SampleInputs.features(nan)).hasMessageContaining("non-finite");
        OwnerSample ok = base().setFeatures(FloatVectors.of(1f, 2f)).build();
        assertThatThrownBy(() -> SampleInputs.check(ok, SampleInputs.features(ok), 3, 10, "m v1"))
                .hasMessageContaining("has 2 features but model m v1 takes 3");
        assertThatThrownBy(() -> SampleInputs.check(ok, SampleInputs.features(ok), 2, 3, "m v1"))
                .hasMessageContaining("label 4, unknown to model m v1 (classes 0..2)");
    }

    @Test
    void theChannelNamesTheOwnerAndARecordClaimingAnotherIsRefused() throws Exception {
        Topics topics = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, "mock://sample-inputs-" + UUID.randomUUID()));
        Topic<String, OwnerSample> ownA = topics.ownerIngestion("owner-a");
        byte[] claimsB = ownA.valueSerde().serializer().serialize(ownA.name(),
                base().setOwnerId("owner-b").setFeatures(FloatVectors.of(1f)).build());
        byte[] claimsA = ownA.valueSerde().serializer().serialize(ownA.name(),
                base().setOwnerId("owner-a").setFeatures(FloatVectors.of(1f)).build());

        assertThatThrownBy(() -> SampleInputs.decode(topics.ownerSamples(), topics.channelOwner(ownA.name()), record(ownA.name(), claimsB)))
                .isInstanceOf(BadSampleException.class)
                .hasMessage("owner id owner-b does not match the channel's owner owner-a (topic owner-samples.owner-a)");
        assertThat(SampleInputs.decode(topics.ownerSamples(), topics.channelOwner(ownA.name()), record(ownA.name(), claimsA))
                .getOwnerId()).isEqualTo("owner-a");
        // On owner-samples the operator's connector stamped the owner: the payload's id stands.
        String shared = topics.ownerSamples().name();
        assertThat(SampleInputs.decode(topics.ownerSamples(), topics.channelOwner(shared), record(shared, claimsB))
                .getOwnerId()).isEqualTo("owner-b");
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, byte[] value) {
        return new ConsumerRecord<>(topic, 0, 0L, null, value);
    }

    private static OwnerSample.Builder base() {
        return OwnerSample.newBuilder().setOwnerId("o").setSampleId("s1").setLabel(4)
                .setSource(new SourcePosition("t", "t", 0L)).setIngestedAt(Instant.parse("2026-01-01T00:00:00Z"));
    }
}
