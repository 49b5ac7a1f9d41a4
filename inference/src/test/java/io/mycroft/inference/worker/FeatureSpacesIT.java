package io.mycroft.inference.worker;

import ai.djl.Device;
import io.mycroft.inference.DjlRuntime;
import io.mycroft.inference.features.ImageCnn;
import io.mycroft.inference.features.TextMiniLm;
import io.mycroft.inference.model.CnnSpec;
import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.model.MlpSpec;
import io.mycroft.inference.model.ModelArtifacts;
import io.mycroft.inference.model.Network;
import io.mycroft.inference.trainer.HardSetRequests;
import io.mycroft.inference.vectors.LastLayerGradient;
import io.mycroft.processors.math.Vectors;
import io.mycroft.schemas.FloatVectors;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topic;
import io.mycroft.schemas.Topics;
import io.mycroft.schemas.serde.SerdeConfig;
import io.mycroft.stack.StackProperties;
import io.mycroft.stack.TestStack;
import mycroft.schemas.DeadLetter;
import mycroft.schemas.FeatureSpace;
import mycroft.schemas.FloatVector;
import mycroft.schemas.HardSample;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.ModelArtifact;
import mycroft.schemas.OwnerSample;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;
import mycroft.schemas.SourcePosition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The fixed feature spaces through the real broker: an in-process worker serves an IMAGE_CNN FEATURE request (the
 * request's model is a small CNN, DJL artifact on the models topic; embeddings from the pre-trained CNN, 128-d) and a
 * TEXT_MINILM FUNCFEAT request (an MLP head on MiniLM; owners send raw text/plain, embeddings 384-d), side by side. Each gets one HardSetVectors and every one of
 * its owner's samples exactly once; each owner's samples are dead letters for the other request (wrong input size).
 */
class FeatureSpacesIT {
    private static final String[][] HARD_TEXTS = {
            {"0", "The striker scored twice in the final minutes of the match."},
            {"1", "The central bank raised interest rates to curb inflation."},
            {"2", "The new phone ships with a faster chip and a brighter screen."}};
    private static final String[][] OWNER_TEXTS = {
            {"0", "The goalkeeper saved a penalty in extra time."},
            {"0", "Fans cheered as the team lifted the championship trophy."},
            {"1", "Stock markets fell after the quarterly earnings reports."},
            {"1", "The government announced a new budget to cut public debt."},
            {"2", "The laptop update improves battery life and graphics."},
            {"2", "Engineers released an open-source framework for mobile apps."}};
    private static final MlpSpec TEXT_MODEL = new MlpSpec(TextMiniLm.EMBEDDING_DIM, List.of(16), 3);
    private static final int IMAGE_HARD = 4;
    private static final int IMAGE_SAMPLES = 12;

    @Test
    void imageCnnAndTextMiniLmRequestsGetTheirEmbeddingsExactlyOnce() throws Exception {
        StackProperties stack = TestStack.shared();
        Topics topics = Topics.from(Map.of(SerdeConfig.REGISTRY_URL, stack.schemaRegistryUrl()));
        Topic<String, SampleVectors> sampleVectors = topics.sampleVectors();
        Topic<String, HardSetVectors> hardsetVectors = topics.hardsetVectors();
        Topic<String, DeadLetter> deadLetters = topics.deadLetters();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String imageRequest = "img-" + run;
        String textRequest = "txt-" + run;
        String imageOwner = "img-owner-" + run;
        String textOwner = "txt-owner-" + run;
        Dataset images = Dataset.idx(Path.of(getClass().getResource("/fashion-mnist-subset").toURI()), "t10k")
                .slice(0, IMAGE_HARD + IMAGE_SAMPLES);

        DjlRuntime.start().setRandomSeed(6);
        TextMiniLm miniLm = TextMiniLm.load();
        float[][] hardTexts = new float[HARD_TEXTS.length][];
        for (int i = 0; i < hardTexts.length; i++) {
            hardTexts[i] = miniLm.embed(List.of(HARD_TEXTS[i][1]))[0];
        }
        try (Network imageModel = ModelArtifacts.newNetwork("img", new CnnSpec(10), Device.cpu());
             Network textModel = ModelArtifacts.newNetwork("txt", TEXT_MODEL, Device.cpu());
             ImageCnn cnn = ImageCnn.load();
             InProcessWorker worker = InProcessWorker.start(new WorkerConfig(stack.bootstrapServers(), stack.schemaRegistryUrl(),
                     "", "spaces-" + run, "spaces-" + run, 16, Duration.ofMillis(20), "cpu"));
             KafkaProducer<String, byte[]> producer = StackClients.producer(stack);
             KafkaConsumer<String, byte[]> reader = StackClients.committedReader(stack)) {
            ModelArtifact imageArtifact = ModelArtifacts.djl(imageRequest, 1, new CnnSpec(10), imageModel, Instant.now());
            ModelArtifact textArtifact = ModelArtifacts.djl(textRequest, 1, TEXT_MODEL, textModel, Instant.now());
            List<HardSample> imageHard = new ArrayList<>();
            for (int i = 0; i < IMAGE_HARD; i++) {
                imageHard.add(new HardSample("h" + i, images.labels()[i], FloatVectors.of(images.features()[i])));
            }
            List<HardSample> textHard = new ArrayList<>();
            for (int i = 0; i < hardTexts.length; i++) {
                textHard.add(new HardSample("t" + i, Integer.parseInt(HARD_TEXTS[i][0]), FloatVectors.of(hardTexts[i])));
            }
            StackClients.send(producer, topics.models(), imageArtifact.getModelId(), imageArtifact);
            StackClients.send(producer, topics.models(), textArtifact.getModelId(), textArtifact);
            StackClients.send(producer, topics.hardsetRequests(), imageRequest,
                    request(imageRequest, SelectionMethod.FEATURE, FeatureSpace.IMAGE_CNN, imageHard));
            StackClients.send(producer, topics.hardsetRequests(), textRequest,
                    request(textRequest, SelectionMethod.FUNCFEAT, FeatureSpace.TEXT_MINILM, textHard));
            for (int i = IMAGE_HARD; i < images.size(); i++) {
                StackClients.send(producer, topics.ownerSamples(), imageOwner, sample(imageOwner, "i" + i, images.labels()[i])
                        .setFeatures(FloatVectors.of(images.features()[i])).build());
            }
            for (int i = 0; i < OWNER_TEXTS.length; i++) {
                OwnerSample text = sample(textOwner, "x" + i, Integer.parseInt(OWNER_TEXTS[i][0]))
                        .setRaw(ByteBuffer.wrap(OWNER_TEXTS[i][1].getBytes(StandardCharsets.UTF_8)))
                        .setMediaType("text/plain; charset=utf-8").build();
                StackClients.send(producer, topics.ownerSamples(), textOwner, text);
            }
            producer.flush();

            reader.subscribe(List.of(sampleVectors.name(), hardsetVectors.name(), deadLetters.name()));
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(seen::add);
                return samples(seen, sampleVectors, imageRequest, imageOwner).size() >= IMAGE_SAMPLES
                        && samples(seen, sampleVectors, textRequest, textOwner).size() >= OWNER_TEXTS.length
                        && letters(seen, deadLetters, textOwner, imageRequest).size() >= OWNER_TEXTS.length
                        && letters(seen, deadLetters, imageOwner, textRequest).size() >= IMAGE_SAMPLES;
            });
            Thread.sleep(2000); // anything sent twice would be committed by now
            reader.poll(Duration.ofMillis(500)).forEach(seen::add);

            // IMAGE_CNN FEATURE: the CNN's 128-d embeddings of hard and owner samples, no gradients; targets from the model.
            List<HardSetVectors> imageHardSet = hardSets(seen, hardsetVectors, imageRequest);
            assertThat(imageHardSet).hasSize(1);
            assertThat(imageHardSet.get(0).getEmbeddingDim()).isEqualTo(128);
            assertThat(imageHardSet.get(0).getGradientDim()).isEqualTo(LastLayerGradient.dim(10, 128));
            // The worker's batches hold other samples than ours: the convolutions sum in another order, ≈1e-6 apart.
            float[][] hardEmbeddings = cnn.embed(images.slice(0, IMAGE_HARD).features());
            Map<String, float[]> hardById = hardEmbeddings(imageHardSet.get(0));
            assertThat(hardById).hasSize(IMAGE_HARD);
            for (int i = 0; i < IMAGE_HARD; i++) {
                assertThat(hardById.get("h" + i)).containsExactly(hardEmbeddings[i], within(1e-5f));
            }
            List<SampleVector> imageVectors = samples(seen, sampleVectors, imageRequest, imageOwner);
            assertThat(imageVectors).extracting(SampleVector::getSampleId).doesNotHaveDuplicates().hasSize(IMAGE_SAMPLES);
            float[][] ownerEmbeddings = cnn.embed(images.slice(IMAGE_HARD, images.size()).features());
            for (SampleVector v : imageVectors) {
                assertThat(v.getGradient()).isNull();
                assertThat(floats(v.getEmbedding())).hasSize(128)
                        .containsExactly(ownerEmbeddings[Integer.parseInt(v.getSampleId().substring(1)) - IMAGE_HARD], within(1e-5f));
            }

            // TEXT_MINILM FUNCFEAT: MiniLM's 384-d embeddings (the model's inputs) and the model's last-layer gradients.
            List<HardSetVectors> textHardSet = hardSets(seen, hardsetVectors, textRequest);
            assertThat(textHardSet).hasSize(1);
            assertThat(textHardSet.get(0).getEmbeddingDim()).isEqualTo(384);
            assertThat(textHardSet.get(0).getGradientDim()).isEqualTo(LastLayerGradient.dim(3, 16));
            Map<String, float[]> textHardById = hardEmbeddings(textHardSet.get(0));
            for (int i = 0; i < hardTexts.length; i++) {
                assertThat(textHardById.get("t" + i)).containsExactly(hardTexts[i]);
            }
            List<SampleVector> textVectors = samples(seen, sampleVectors, textRequest, textOwner);
            assertThat(textVectors).extracting(SampleVector::getSampleId).doesNotHaveDuplicates().hasSize(OWNER_TEXTS.length);
            for (SampleVector v : textVectors) {
                int i = Integer.parseInt(v.getSampleId().substring(1));
                float[] expected = miniLm.embed(List.of(OWNER_TEXTS[i][1]))[0];
                assertThat(floats(v.getEmbedding())).hasSize(384).containsExactly(expected, within(1e-5f));
                Network.Outputs out = textModel.forward(new float[][]{floats(v.getEmbedding())});
                assertThat(floats(v.getGradient())).containsExactly(
                        LastLayerGradient.of(out.logits()[0], out.embeddings()[0], v.getLabel()), within(1e-6f));
            }

            // Each owner's samples do not fit the other request's model: dead letters, once each, and no vectors.
            assertThat(letters(seen, deadLetters, textOwner, imageRequest)).hasSize(OWNER_TEXTS.length)
                    .allSatisfy(r -> assertThat(r).contains("has 384 features but model " + imageRequest + " v1 takes 784"));
            assertThat(letters(seen, deadLetters, imageOwner, textRequest)).hasSize(IMAGE_SAMPLES)
                    .allSatisfy(r -> assertThat(r).contains("has 784 features but model " + textRequest + " v1 takes 384"));
            assertThat(samples(seen, sampleVectors, imageRequest, textOwner)).isEmpty();
            assertThat(samples(seen, sampleVectors, textRequest, imageOwner)).isEmpty();

            producer.send(new ProducerRecord<>(topics.hardsetRequests().name(), imageRequest, null)); // leave no request behind
            producer.send(new ProducerRecord<>(topics.hardsetRequests().name(), textRequest, null));
        }
    }

    private static HardSetRequest request(String id, SelectionMethod method, FeatureSpace space, List<HardSample> hard) {
        SelectionOptions options = HardSetRequests.defaultOptions();
        options.setFeatureSpace(space);
        return HardSetRequest.newBuilder().setRequestId(id).setModelId(id).setModelVersion(1).setMethod(method)
                .setBudget(2 * hard.size()).setPerHardSample(2).setHardSamples(hard).setOptions(options)
                .setCreatedAt(Instant.now()).build();
    }

    private static OwnerSample.Builder sample(String owner, String id, int label) {
        return OwnerSample.newBuilder().setOwnerId(owner).setSampleId(id).setLabel(label)
                .setSource(new SourcePosition("it", "spaces", 0L)).setIngestedAt(Instant.now());
    }

    private static List<SampleVector> samples(List<ConsumerRecord<String, byte[]>> seen, Topic<String, SampleVectors> topic,
                                              String requestId, String owner) {
        String key = Keys.requestOwner(requestId, owner);
        return seen.stream().filter(r -> r.topic().equals(topic.name()) && r.key().equals(key))
                .flatMap(r -> StackClients.value(topic, r).getSamples().stream()).toList();
    }

    private static List<HardSetVectors> hardSets(List<ConsumerRecord<String, byte[]>> seen, Topic<String, HardSetVectors> topic,
                                                 String requestId) {
        return seen.stream().filter(r -> r.topic().equals(topic.name()) && r.key().equals(requestId) && r.value() != null)
                .map(r -> StackClients.value(topic, r)).toList();
    }

    /** Reasons of the dead letters of {@code owner}'s samples that {@code requestId} could not use. */
    private static List<String> letters(List<ConsumerRecord<String, byte[]>> seen, Topic<String, DeadLetter> topic, String owner,
                                        String requestId) {
        return seen.stream().filter(r -> r.topic().equals(topic.name()) && owner.equals(r.key()))
                .map(r -> StackClients.value(topic, r).getReason()).filter(reason -> reason.startsWith("request " + requestId + ":"))
                .toList();
    }

    private static Map<String, float[]> hardEmbeddings(HardSetVectors hardSet) {
        Map<String, float[]> byId = new HashMap<>();
        hardSet.getClasses().forEach(c -> c.getHardSamples().forEach(h -> byId.put(h.getSampleId(), floats(h.getEmbedding()))));
        return byId;
    }

    private static float[] floats(FloatVector v) {
        return Vectors.fromBytes(v.getValues(), v.getDim());
    }
}
