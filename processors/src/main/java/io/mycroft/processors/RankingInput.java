package io.mycroft.processors;

import mycroft.schemas.Evaluation;
import mycroft.schemas.SubsetUpdate;

/** What moves an owner in a request's ranking: a new useful subset, or the model trainer's measured gain. */
public sealed interface RankingInput {

    record Subset(SubsetUpdate update) implements RankingInput {
    }

    record Gain(Evaluation evaluation) implements RankingInput {
    }

    static RankingInput of(SubsetUpdate update) {
        return new Subset(update);
    }

    static RankingInput of(Evaluation evaluation) {
        return new Gain(evaluation);
    }
}
