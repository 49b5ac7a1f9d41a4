package io.mycroft.cli.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mycroft.inference.model.Dataset;
import io.mycroft.inference.trainer.HardSetRequests;
import io.mycroft.inference.vectors.SampleGradients;
import io.mycroft.processors.math.Candidate;
import io.mycroft.processors.math.ClassResidual;
import io.mycroft.processors.math.FuncFeat;
import io.mycroft.processors.math.IncrementalOmp;
import io.mycroft.processors.math.InMemoryCandidateStore;
import io.mycroft.processors.math.OmpOptions;
import io.mycroft.processors.math.OmpPath;
import io.mycroft.processors.math.OwnerScore;
import io.mycroft.processors.math.PerClassOmp;
import io.mycroft.processors.math.RetrieveTopK;
import io.mycroft.processors.math.RetrieveTopKStream;
import io.mycroft.processors.math.SampleEmbedding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import mycroft.schemas.SelectionMethod;
import mycroft.schemas.SelectionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The runner's batch selection against the streaming primitives the Streams app keeps per (owner, class):
 * {@link IncrementalOmp} and {@link RetrieveTopKStream}, fed the same samples in arrival batches. Same subset, same
 * owner score, bit for bit.
 */
class BatchSelectionTest {
    private static final int GRAD_DIM = 40;
    private static final int EMB_DIM = 12;
    private static final int N = 90;
    private static final int BATCH = 7;

    @ParameterizedTest
    @EnumSource(SelectionMethod.class)
    void batchSelectionEqualsTheStreamedOne(SelectionMethod method) {
        SplittableRandom rnd = new SplittableRandom(11);
        Map<Integer, List<float[]>> hardGradients = new TreeMap<>();
        Map<Integer, List<SampleEmbedding>> hardEmbeddings = new TreeMap<>();
        for (int c : new int[] {2, 5}) {
            List<float[]> g = new ArrayList<>();
            List<SampleEmbedding> e = new ArrayList<>();
            for (int h = 0; h < 3; h++) {
                g.add(vector(rnd, GRAD_DIM, false));
                e.add(new SampleEmbedding("v" + c + h, vector(rnd, EMB_DIM, true)));
            }
            hardGradients.put(c, g);
            hardEmbeddings.put(c, e);
        }
        float[][] features = new float[N][1];
        int[] labels = new int[N];
        SampleGradients.Vectors[] vectors = new SampleGradients.Vectors[N];
        for (int i = 0; i < N; i++) {
            labels[i] = new int[] {2, 5, 7}[rnd.nextInt(3)]; // class 7 is not in D_hard: never selected
            vectors[i] = new SampleGradients.Vectors(vector(rnd, GRAD_DIM, false), vector(rnd, EMB_DIM, true), 0f);
        }
        vectors[10] = vectors[3]; // an exact duplicate, as a duplicating owner sends
        labels[10] = labels[3];
        SelectionOptions o = HardSetRequests.defaultOptions();
        int k = 2;

        ExperimentRunner.Selection batch = ExperimentRunner.select(method, k, new Dataset(features, labels), vectors,
                hardGradients, hardEmbeddings, o, "owner-x");

        TreeSet<Integer> streamedRows = new TreeSet<>();
        List<ClassResidual> residuals = new ArrayList<>();
        List<RetrieveTopK.Selection> selections = new ArrayList<>();
        for (var e : hardGradients.entrySet()) {
            int c = e.getKey();
            List<SampleEmbedding> hard = hardEmbeddings.get(c);
            FuncFeat funcFeat = method == SelectionMethod.FUNCFEAT ? FuncFeat.fit(hard) : null;
            OmpOptions options = OmpOptions.gradMatch(PerClassOmp.budget(k, hard.size())).withLambda(o.getRidgeLambda())
                    .withNonNegative(o.getNonNegative()).withNormalize(o.getNormalize()).withPaperSteps(!o.getFillToBudget())
                    .withEpsilon(o.getEpsilon() == null ? 0 : o.getEpsilon());
            if (funcFeat != null) {
                options = options.withFuncFeat(o.getFuncFeatLambda());
            }
            IncrementalOmp omp = IncrementalOmp.start(PerClassOmp.target(e.getValue()), options, new InMemoryCandidateStore());
            RetrieveTopKStream topK = RetrieveTopKStream.start(k, hard);
            for (int from = 0; from < N; from += BATCH) {
                List<Candidate> candidates = new ArrayList<>();
                List<SampleEmbedding> embeddings = new ArrayList<>();
                for (int i = from; i < Math.min(N, from + BATCH); i++) {
                    if (labels[i] == c) {
                        SampleEmbedding emb = new SampleEmbedding(ExperimentRunner.sampleId(i), vectors[i].embedding());
                        candidates.add(new Candidate(emb.sampleId(), vectors[i].gradient(), funcFeat == null ? 0 : funcFeat.distance(emb)));
                        embeddings.add(emb);
                    }
                }
                if (!candidates.isEmpty()) {
                    omp.offer(candidates);
                    topK.offer(embeddings);
                }
            }
            OmpPath path = omp.path();
            residuals.add(new ClassResidual(path.residualNorm(), path.targetNorm()));
            selections.add(topK.selection());
            List<String> ids = method == SelectionMethod.FEATURE ? topK.selection().sampleIds() : path.subset().sampleIds();
            ids.forEach(id -> streamedRows.add(Integer.parseInt(id.substring(1))));
        }
        double streamedScore = switch (method) {
            case GRADIENT -> OwnerScore.gradient("owner-x", residuals).score();
            case FEATURE -> OwnerScore.feature("owner-x", RetrieveTopK.coverage(selections)).score();
            case FUNCFEAT -> OwnerScore.funcFeat("owner-x", residuals, RetrieveTopK.coverage(selections)).score();
        };
        assertEquals(streamedRows, batch.rows());
        org.junit.jupiter.api.Assertions.assertTrue(batch.rows().size() >= 2 * k, "selected " + batch.rows());
        batch.rows().forEach(r -> org.junit.jupiter.api.Assertions.assertTrue(labels[r] == 2 || labels[r] == 5));
        assertEquals(Double.doubleToLongBits(streamedScore), Double.doubleToLongBits(batch.score()),
                () -> streamedScore + " vs " + batch.score());
    }

    @Test
    void sampleIdsSortInArrivalOrder() {
        assertEquals(-1, Integer.signum(ExperimentRunner.sampleId(9).compareTo(ExperimentRunner.sampleId(10))));
    }

    private static float[] vector(SplittableRandom rnd, int dim, boolean nonNegative) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            double x = rnd.nextDouble(-1, 1);
            v[i] = (float) (nonNegative ? Math.abs(x) + 0.01 : x);
        }
        return v;
    }
}
