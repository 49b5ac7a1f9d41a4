package io.mycroft.schemas;

import mycroft.schemas.ClassSubset;
import mycroft.schemas.ClassTarget;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.Evaluation;
import mycroft.schemas.ExposureEntry;
import mycroft.schemas.ExposureKind;
import mycroft.schemas.ExposureReason;
import mycroft.schemas.OwnerPolicy;
import mycroft.schemas.HardSample;
import mycroft.schemas.HardSampleVector;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.ModelFormat;
import mycroft.schemas.OwnerRanking;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.RankedOwner;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SelectedSample;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;
import mycroft.schemas.SourcePosition;
import mycroft.schemas.SubsetUpdate;
import org.apache.avro.specific.SpecificRecord;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One small, valid record for every topic: what {@code mycroft smoke} round-trips through the broker and registry, and
 * what schema, serde and registry tests start from.
 */
public final class ExampleRecords {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    static {
        TrustedSchemas.install();
    }

    private ExampleRecords() {
    }

    /** One example record per topic of {@link Topics#ALL}, keyed by the topic's spec, with the key to send it under. */
    public static Map<TopicSpec, Map.Entry<String, SpecificRecord>> perTopic() {
        Map<TopicSpec, Map.Entry<String, SpecificRecord>> all = new LinkedHashMap<>();
        all.put(Topics.MODELS, Map.entry("mlp", model()));
        all.put(Topics.HARDSET_REQUESTS, Map.entry("r1", request()));
        all.put(Topics.OWNER_SAMPLES, Map.entry("owner-a", ownerSample()));
        all.put(Topics.HARDSET_VECTORS, Map.entry("r1", hardSetVectors()));
        all.put(Topics.SAMPLE_VECTORS, Map.entry(Keys.requestOwner("r1", "owner-a"), sampleVectors()));
        all.put(Topics.SUBSET_UPDATES, Map.entry(Keys.requestOwner("r1", "owner-a"), subsetUpdate()));
        all.put(Topics.OWNER_RANKINGS, Map.entry("r1", ranking()));
        all.put(Topics.EVALUATIONS, Map.entry(Keys.requestOwner("r1", "owner-a"), evaluation()));
        all.put(Topics.DEAD_LETTERS, Map.entry("owner-a", deadLetter()));
        all.put(Topics.OWNER_POLICIES, Map.entry("owner-a", ownerPolicy()));
        all.put(Topics.EXPOSURE_LEDGER, Map.entry("owner-a", exposureEntry()));
        return all;
    }

    public static ModelArtifact model() {
        return ModelArtifact.newBuilder().setModelId("mlp").setVersion(1).setFormat(ModelFormat.DJL)
                .setArchitecture("{\"layers\":[784,256,128,10]}").setInputShape(List.of(784L)).setNumClasses(10)
                .setEmbeddingDim(128).setBytes(ByteBuffer.wrap(new byte[]{1, 2, 3}))
                .setSha256("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81").setCreatedAt(AT).build();
    }

    public static HardSetRequest request() {
        return HardSetRequest.newBuilder().setRequestId("r1").setModelId("mlp").setModelVersion(1)
                .setMethod(SelectionMethod.GRADIENT).setBudget(8).setPerHardSample(4)
                .setHardSamples(List.of(new HardSample("h1", 3, FloatVectors.of(0.1f, 0.2f)), new HardSample("h2", 3, FloatVectors.of(0.3f, 0.4f))))
                .setOptions(SelectionOptions.newBuilder().build()).setCreatedAt(AT).build();
    }

    public static OwnerSample ownerSample() {
        return OwnerSample.newBuilder().setOwnerId("owner-a").setSampleId("s1").setLabel(3)
                .setFeatures(FloatVectors.of(0.5f, 0.25f)).setSource(new SourcePosition("csv", "owner-a/part-0.csv", 1L))
                .setIngestedAt(AT).build();
    }

    public static HardSetVectors hardSetVectors() {
        return HardSetVectors.newBuilder().setRequestId("r1").setModelId("mlp").setModelVersion(1)
                .setMethod(SelectionMethod.GRADIENT).setPerHardSample(4).setOptions(SelectionOptions.newBuilder().build())
                .setGradientDim(3).setEmbeddingDim(2)
                .setClasses(List.of(new ClassTarget(3, FloatVectors.of(1f, -1f, 0.5f),
                        List.of(new HardSampleVector("h1", FloatVectors.of(0.6f, 0.8f)), new HardSampleVector("h2", FloatVectors.of(1f, 0f))), null)))
                .setComputedAt(AT).build();
    }

    public static SampleVectors sampleVectors() {
        return new SampleVectors("r1", "owner-a", 1, List.of(new SampleVector("s1", 3, FloatVectors.of(0.9f, -0.8f, 0.4f),
                FloatVectors.of(0.6f, 0.8f), 0.7f, ByteBuffer.wrap(new byte[32]), 0L, 0)));
    }

    public static SubsetUpdate subsetUpdate() {
        return SubsetUpdate.newBuilder().setRequestId("r1").setOwnerId("owner-a").setSeq(1).setSamplesSeen(1)
                .setClasses(List.of(new ClassSubset(3, List.of(new SelectedSample("s1", 0.8)), 0.4, 1.5, null)))
                .setScore(0.73).setAsOf(AT).build();
    }

    public static OwnerRanking ranking() {
        return new OwnerRanking("r1", 1L, List.of(new RankedOwner("owner-a", 1, 0.73, 1, null, null, 1L, 0L, 0.7, 0.76)), AT, List.of(), 0L, false, List.of());
    }

    public static Evaluation evaluation() {
        return new Evaluation("r1", "owner-a", 1L, 1, 0.25, 0.5, 0.8, 0.81, 7L, AT);
    }

    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder().setStage("streams.deserialize").setReason("BAD_MAGIC: first byte is 0x7b")
                .setTopic("sample-vectors").setPartition(0).setOffset(42L)
                .setOriginalValue(ByteBuffer.wrap("{\"not\":\"avro\"}".getBytes())).setFailedAt(AT).build();
    }

    public static OwnerPolicy ownerPolicy() {
        return new OwnerPolicy("owner-a", 5, AT);
    }

    public static ExposureEntry exposureEntry() {
        return new ExposureEntry("owner-a", "r1", "operator", ExposureReason.SUBSET, ExposureKind.IDS_AND_WEIGHTS, 1L,
                List.of("s1"), List.of("s1"), 1, 5, AT);
    }
}
