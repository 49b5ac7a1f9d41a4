package io.mycroft.inference.worker;

import io.mycroft.processors.math.InvalidVectorException;
import io.mycroft.processors.math.Vectors;
import io.mycroft.schemas.Keys;
import io.mycroft.schemas.Topic;
import mycroft.schemas.OwnerSample;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The model input of an owner sample: its features, or its raw image decoded to grey levels in [0, 1] row by row
 * (the layout of the Fashion-MNIST IDX files; colour images by luma). Checked against the model: feature count and label range.
 */
final class SampleInputs {
    private SampleInputs() {
    }

    /**
     * The owner sample of a record of owner-samples or of an owner's own ingestion topic, with usable ids; the reason it
     * is not one otherwise. The channel is the source of the owner's identity: a record of {@code channelOwner}'s own
     * topic must carry that owner's id (on owner-samples the operator's connector stamped it, and no owner may write there).
     */
    static OwnerSample decode(Topic<String, OwnerSample> topic, Optional<String> channelOwner, ConsumerRecord<byte[], byte[]> r)
            throws BadSampleException {
        if (r.value() == null) {
            throw new BadSampleException("owner sample at offset " + r.offset() + " has no value");
        }
        OwnerSample sample;
        try {
            sample = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
        } catch (SerializationException e) {
            throw new BadSampleException("owner sample is undecodable: " + e.getMessage(), e);
        }
        String problem = Keys.idProblem(sample.getOwnerId(), "ownerId");
        problem = problem != null ? problem : Keys.idProblem(sample.getSampleId(), "sampleId");
        if (problem != null) {
            throw new BadSampleException("owner sample: " + problem);
        }
        if (channelOwner.isPresent() && !channelOwner.get().equals(sample.getOwnerId())) {
            throw new BadSampleException("owner id " + sample.getOwnerId() + " does not match the channel's owner "
                    + channelOwner.get() + " (topic " + r.topic() + ")");
        }
        return sample;
    }

    /** The decoded features of a sample with features or an image, without checks against a model. */
    static float[] features(OwnerSample sample) throws BadSampleException {
        return features(sample, null);
    }

    /**
     * The decoded features, without checks against a model (the content digest is taken of these): the sample's
     * features, its raw image as grey levels, or — raw text of media type text/plain, UTF-8 — its 384-d all-MiniLM-L6-v2
     * embedding (feature space TEXT_MINILM; {@code extractors} may be null when text is not served).
     */
    static float[] features(OwnerSample sample, FeatureExtractors extractors) throws BadSampleException {
        if (sample.getFeatures() != null) {
            try {
                float[] f = Vectors.fromBytes(sample.getFeatures().getValues(), sample.getFeatures().getDim());
                Vectors.requireValid(f, f.length, "features of sample " + sample.getSampleId());
                return f;
            } catch (InvalidVectorException e) {
                throw new BadSampleException(e.getMessage(), e);
            }
        }
        if (sample.getRaw() != null) {
            if (isText(sample.getMediaType())) {
                return text(sample, extractors);
            }
            return image(sample);
        }
        throw new BadSampleException("sample " + sample.getSampleId() + " has neither features nor raw content");
    }

    /** Checks {@code features} and the label against a model of {@code inputs} inputs and {@code classes} classes. */
    static void check(OwnerSample sample, float[] features, int inputs, int classes, String model) throws BadSampleException {
        if (features.length != inputs) {
            throw new BadSampleException("sample " + sample.getSampleId() + " has " + features.length + " features but model "
                    + model + " takes " + inputs);
        }
        if (sample.getLabel() < 0 || sample.getLabel() >= classes) {
            throw new BadSampleException("sample " + sample.getSampleId() + " has label " + sample.getLabel() + ", unknown to model "
                    + model + " (classes 0.." + (classes - 1) + ")");
        }
    }

    private static boolean isText(CharSequence mediaType) {
        return mediaType != null && mediaType.toString().toLowerCase(java.util.Locale.ROOT).startsWith("text/plain");
    }

    private static float[] text(OwnerSample sample, FeatureExtractors extractors) throws BadSampleException {
        if (extractors == null) {
            throw new BadSampleException("sample " + sample.getSampleId() + " holds text, which this caller does not embed");
        }
        ByteBuffer raw = sample.getRaw().duplicate();
        byte[] bytes = new byte[raw.remaining()];
        raw.get(bytes);
        String text;
        try {
            text = java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new BadSampleException("raw content of sample " + sample.getSampleId() + " (" + sample.getMediaType()
                    + ") is not valid UTF-8 text", e);
        }
        if (text.isBlank()) {
            throw new BadSampleException("raw text of sample " + sample.getSampleId() + " is blank");
        }
        return extractors.textMiniLm().embed(java.util.List.of(text))[0];
    }

    private static float[] image(OwnerSample sample) throws BadSampleException {
        ByteBuffer raw = sample.getRaw().duplicate();
        byte[] bytes = new byte[raw.remaining()];
        raw.get(bytes);
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new BadSampleException("raw content of sample " + sample.getSampleId() + " (" + sample.getMediaType()
                    + ") cannot be decoded as an image: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new BadSampleException("raw content of sample " + sample.getSampleId() + " (" + sample.getMediaType()
                    + ") is not an image format this worker decodes (PNG, JPEG, BMP, GIF)");
        }
        float[] grey = new float[image.getWidth() * image.getHeight()];
        Raster raster = image.getRaster();
        // Grey images are read as stored: getRGB would convert linear grey to sRGB and change every level.
        boolean stored = raster.getNumBands() == 1;
        float max = stored ? (1 << raster.getSampleModel().getSampleSize(0)) - 1 : 255f;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                float level;
                if (stored) {
                    level = raster.getSample(x, y, 0);
                } else {
                    int rgb = image.getRGB(x, y);
                    level = (299 * ((rgb >> 16) & 0xff) + 587 * ((rgb >> 8) & 0xff) + 114 * (rgb & 0xff)) / 1000f;
                }
                grey[y * image.getWidth() + x] = level / max;
            }
        }
        return grey;
    }
}
