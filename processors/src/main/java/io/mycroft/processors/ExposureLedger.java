package io.mycroft.processors;

import io.mycroft.schemas.Keys;
import mycroft.schemas.Evaluation;
import mycroft.schemas.ExposureEntry;
import mycroft.schemas.ExposureKind;
import mycroft.schemas.ExposureReason;
import mycroft.schemas.OwnerExposure;
import mycroft.schemas.RequestExposure;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The exposure ledger's entries that are not subset reveals, and its per-owner summary. Subset reveals are written by
 * {@link UsefulSubsetProcessor}, which holds the subsets; a purchase is an {@link Evaluation}: to fine-tune on a subset
 * the model trainer read its samples' raw bytes. The summary ({@value #STORE}, key ownerId) folds an owner's entries
 * per request, in ledger order; {@link ExposureSummaryProcessor} keeps it and the revealed ids apart.
 */
public final class ExposureLedger {
    /** The store of {@link OwnerExposure} per owner that {@code GET /owners/{o}/exposure} answers from. */
    public static final String STORE = "exposure";

    private ExposureLedger() {
    }

    /** The PURCHASE entry of an evaluation: the raw bytes of the subsetSize samples of subset subsetSeq. */
    public static ExposureEntry purchase(Evaluation evaluation) {
        return ExposureEntry.newBuilder().setOwnerId(evaluation.getOwnerId()).setRequestId(evaluation.getRequestId())
                .setRevealedTo(Keys.recipientOf(evaluation.getRequestId())).setReason(ExposureReason.PURCHASE)
                .setKind(ExposureKind.RAW_BYTES).setSubsetSeq(evaluation.getSubsetSeq()).setSampleIds(List.of())
                .setNewlyRevealed(List.of()).setSamplesRevealed(evaluation.getSubsetSize()).setCap(null)
                .setAsOf(evaluation.getEvaluatedAt()).build();
    }

    /** An owner's summary before its first entry. */
    public static OwnerExposure empty() {
        return new OwnerExposure("", List.of());
    }

    /**
     * {@code summary} with {@code entry} folded in, all but the ids: a SUBSET entry adds its {@code newlyRevealed} to
     * {@code revealedSamples} (they are new to the (owner, request) by construction: {@link UsefulSubsetProcessor} keeps
     * what each pair has revealed), and {@code revealedSampleIds} is left as it is.
     */
    public static OwnerExposure add(OwnerExposure summary, ExposureEntry entry) {
        List<RequestExposure> requests = new ArrayList<>(summary.getRequests());
        int at = -1;
        for (int i = 0; i < requests.size() && at < 0; i++) {
            at = requests.get(i).getRequestId().equals(entry.getRequestId()) ? i : -1;
        }
        RequestExposure request = at >= 0 ? requests.get(at) : RequestExposure.newBuilder().setRequestId(entry.getRequestId())
                .setRevealedTo(entry.getRevealedTo()).setCap(null).setRevealedSampleIds(List.of()).setRevealedSamples(0).setLatestSubsetSeq(0)
                .setLatestSubsetSize(0).setSubsetReveals(0).setPurchasedSubsetSeqs(List.of())
                .setFirstRevealedAt(entry.getAsOf()).setLastRevealedAt(entry.getAsOf()).build();
        RequestExposure.Builder next = RequestExposure.newBuilder(request)
                .setLastRevealedAt(entry.getAsOf().isAfter(request.getLastRevealedAt()) ? entry.getAsOf() : request.getLastRevealedAt());
        if (entry.getReason() == ExposureReason.PURCHASE) {
            List<Long> purchased = new ArrayList<>(request.getPurchasedSubsetSeqs());
            purchased.add(entry.getSubsetSeq());
            next.setPurchasedSubsetSeqs(purchased);
        } else {
            next.setRevealedSamples(request.getRevealedSamples() + entry.getNewlyRevealed().size()).setCap(entry.getCap())
                    .setSubsetReveals(request.getSubsetReveals() + 1);
            if (entry.getSubsetSeq() >= request.getLatestSubsetSeq()) {
                next.setLatestSubsetSeq(entry.getSubsetSeq()).setLatestSubsetSize(entry.getSamplesRevealed());
            }
        }
        if (at >= 0) {
            requests.set(at, next.build());
        } else {
            requests.add(next.build());
        }
        return new OwnerExposure(entry.getOwnerId(), requests);
    }

    /** {@code summary} with each request's {@code revealedSampleIds} set to {@code idsOf} its request id. */
    public static OwnerExposure withIds(OwnerExposure summary, Function<String, List<String>> idsOf) {
        return new OwnerExposure(summary.getOwnerId(), summary.getRequests().stream()
                .map(r -> RequestExposure.newBuilder(r).setRevealedSampleIds(idsOf.apply(r.getRequestId())).build()).toList());
    }
}
