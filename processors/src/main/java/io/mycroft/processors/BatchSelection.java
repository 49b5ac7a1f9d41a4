package io.mycroft.processors;

import io.mycroft.processors.math.Candidate;
import io.mycroft.processors.math.GroupAttribution;
import io.mycroft.processors.math.InvalidVectorException;
import io.mycroft.processors.math.OrthogonalMatchingPursuit;
import io.mycroft.processors.math.RetrieveTopK;
import io.mycroft.processors.math.SampleEmbedding;
import mycroft.schemas.HardSetVectors;
import mycroft.schemas.SampleVector;
import mycroft.schemas.SampleVectors;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The non-streaming selection of one owner for one request: every sample at once, through batch OMP
 * ({@link OrthogonalMatchingPursuit#solve}) and batch {@link RetrieveTopK#batch}, with the same plan, validation and
 * scoring as {@link UsefulSubsetProcessor}. Since incremental OMP and streaming RetrieveTopK equal their batch forms,
 * the result equals the streamed subset over the same samples bit for bit; the experiments check that on every run.
 */
public final class BatchSelection {
    private BatchSelection() {
    }

    /**
     * @param batches the owner's vectors for the request, as published on sample-vectors; batches of another model
     *                version and invalid samples are skipped (the stream dead-letters them), a sample id counts once
     */
    public static OwnerSelection select(HardSetVectors hardSet, String ownerId, List<SampleVectors> batches) {
        return select(hardSet, ownerId, batches, null, sample -> null);
    }

    /**
     * As above for an owner whose cap allows at most {@code cap} samples per request (null: none), {@link
     * RequestPlan#capped}, leaving out every sample whose content {@code firstClaim} credits to another owner
     * ({@link ContentClaims#first}).
     */
    public static OwnerSelection select(HardSetVectors hardSet, String ownerId, List<SampleVectors> batches, Integer cap,
                                        Function<SampleVector, String> firstClaim) {
        RequestPlan plan = RequestPlan.of(hardSet).capped(cap);
        Offered offered = offered(plan, ownerId, batches, firstClaim);
        return plan.selection(ownerId, c -> new RequestPlan.ClassSelection(
                plan.usesGradients()
                        ? OrthogonalMatchingPursuit.solve(c.target(), offered.gradients().getOrDefault(c.label(), List.of()), c.options()).subset()
                        : null,
                plan.usesEmbeddings() ? RetrieveTopK.batch(c.k(), c.budget(), c.queries(), offered.embeddings().getOrDefault(c.label(), List.of())) : null));
    }

    /**
     * The owner's {@link GroupAttribution} score φ for a gradient request over the same samples selection sees; null for
     * a request without gradients (FEATURE).
     */
    public static Double groupAttribution(HardSetVectors hardSet, String ownerId, List<SampleVectors> batches,
                                          Function<SampleVector, String> firstClaim) {
        RequestPlan plan = RequestPlan.of(hardSet);
        if (!plan.usesGradients()) {
            return null;
        }
        Map<Integer, double[]> targets = new LinkedHashMap<>();
        plan.classes().forEach(c -> targets.put(c.label(), c.target()));
        return GroupAttribution.score(targets, offered(plan, ownerId, batches, firstClaim).gradients());
    }

    /**
     * The valid samples of the plan's model version per class, a sample id once, without those credited to another
     * owner, as the stream would admit them.
     */
    private record Offered(Map<Integer, List<Candidate>> gradients, Map<Integer, List<SampleEmbedding>> embeddings) {
    }

    private static Offered offered(RequestPlan plan, String ownerId, List<SampleVectors> batches,
                                   Function<SampleVector, String> firstClaim) {
        Map<Integer, List<Candidate>> gradients = new LinkedHashMap<>();
        Map<Integer, List<SampleEmbedding>> embeddings = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (SampleVectors batch : batches) {
            if (batch.getModelVersion() != plan.modelVersion()) {
                continue;
            }
            for (SampleVector sample : batch.getSamples()) {
                RequestPlan.Offer offer;
                try {
                    offer = plan.offer(sample);
                } catch (InvalidVectorException e) {
                    continue;
                }
                if (offer == null || !seen.add(sample.getSampleId())
                        || ContentClaims.creditedToAnother(firstClaim.apply(sample), ownerId)) {
                    continue;
                }
                if (offer.candidate() != null) {
                    gradients.computeIfAbsent(offer.plan().label(), l -> new ArrayList<>()).add(offer.candidate());
                }
                if (offer.embedding() != null) {
                    embeddings.computeIfAbsent(offer.plan().label(), l -> new ArrayList<>()).add(offer.embedding());
                }
            }
        }
        return new Offered(gradients, embeddings);
    }
}
