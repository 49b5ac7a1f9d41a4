package io.mycroft.inference.worker;

import io.mycroft.inference.features.ImageCnn;
import io.mycroft.inference.features.TextMiniLm;

/**
 * The fixed feature extractors of one worker, each loaded once, on the first request that asks for its feature space
 * or sample that needs it (a worker that never sees an IMAGE_CNN request never loads the CNN, one that never sees a
 * text sample never loads MiniLM). Not thread-safe, like the worker loop.
 */
final class FeatureExtractors implements AutoCloseable {
    private ImageCnn imageCnn;
    private TextMiniLm textMiniLm;

    /** The IMAGE_CNN extractor, loaded from the class path on first use. */
    ImageCnn imageCnn() {
        if (imageCnn == null) {
            imageCnn = ImageCnn.load();
        }
        return imageCnn;
    }

    /** The TEXT_MINILM extractor (all-MiniLM-L6-v2, ONNX from the class path), loaded on first use. */
    TextMiniLm textMiniLm() {
        if (textMiniLm == null) {
            textMiniLm = TextMiniLm.load();
        }
        return textMiniLm;
    }

    @Override
    public void close() {
        if (imageCnn != null) {
            imageCnn.close();
            imageCnn = null;
        }
    }
}
