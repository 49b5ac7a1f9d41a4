package io.mycroft.inference.trainer;

import io.mycroft.inference.model.Dataset;
import io.mycroft.schemas.FloatVectors;
import io.mycroft.schemas.TrustedSchemas;
import mycroft.schemas.HardSample;
import mycroft.schemas.HardSetRequest;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The HardSetRequest of a {@link HardSet}: the shared part of D_hard, the model, budget and method. */
public final class HardSetRequests {
    private HardSetRequests() {
    }

    /** The paper's selection options (the schema defaults). */
    public static SelectionOptions defaultOptions() {
        TrustedSchemas.install(); // the builder instantiates the FeatureSpace enum default, which Avro must trust
        return SelectionOptions.newBuilder().build();
    }

    /**
     * The request; the budget is k·|shared| (the sum of the per-class budgets k·|D_hard_c|). Hard samples are named
     * {@code v<index>} after their validation index, so the MT can find them again.
     */
    public static HardSetRequest of(String requestId, String modelId, int modelVersion, Dataset validation, HardSet hardSet,
                                    SelectionMethod method, int k, SelectionOptions options, Instant createdAt) {
        List<HardSample> hard = new ArrayList<>();
        for (int i : hardSet.shared()) {
            hard.add(new HardSample("v" + i, validation.labels()[i], FloatVectors.of(validation.features()[i])));
        }
        return HardSetRequest.newBuilder().setRequestId(requestId).setModelId(modelId).setModelVersion(modelVersion)
                .setMethod(method).setBudget(k * hard.size()).setPerHardSample(k).setHardSamples(hard)
                .setOptions(options).setCreatedAt(createdAt).build();
    }
}
