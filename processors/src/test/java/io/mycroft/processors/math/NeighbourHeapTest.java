package io.mycroft.processors.math;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NeighbourHeapTest {

    @Test
    void keepsTheNearestRepresentativesForAnyOrderWithDuplicatesAndRedelivery() {
        Random rnd = new Random(13);
        for (int t = 0; t < 2000; t++) {
            int contents = 1 + rnd.nextInt(6);
            double[] distanceOfContent = new double[contents];
            for (int c = 0; c < contents; c++) {
                distanceOfContent[c] = rnd.nextInt(4); // ties between different contents
            }
            List<Neighbour> offers = new ArrayList<>();
            for (int i = 0, n = rnd.nextInt(12); i < n; i++) {
                int c = rnd.nextInt(contents);
                offers.add(new Neighbour("s" + rnd.nextInt(30) + "-" + c, distanceOfContent[c], c));
            }
            offers = new ArrayList<>(offers.stream().distinct().toList());
            int capacity = 1 + rnd.nextInt(4);

            Map<Long, Neighbour> representative = new HashMap<>();
            for (Neighbour o : offers) {
                representative.merge(o.contentKey(), o, (x, y) -> x.sampleId().compareTo(y.sampleId()) <= 0 ? x : y);
            }
            List<Neighbour> expected = new ArrayList<>(representative.values());
            expected.sort(Comparator.comparingDouble(Neighbour::squaredDistance).thenComparing(Neighbour::sampleId));
            expected = expected.subList(0, Math.min(capacity, expected.size()));

            for (int order = 0; order < 4; order++) {
                Collections.shuffle(offers, rnd);
                NeighbourHeap heap = new NeighbourHeap(capacity);
                java.util.Set<String> members = new java.util.HashSet<>(); // kept from what offer reports
                for (Neighbour o : offers) {
                    if (heap.offer(o.sampleId(), o.squaredDistance(), o.contentKey(), id -> assertThat(members.remove(id)).isTrue())) {
                        assertThat(members.add(o.sampleId())).isTrue();
                    }
                    assertThat(members).as("instance %d: the removed ids are reported", t)
                            .isEqualTo(heap.neighbours().stream().map(Neighbour::sampleId).collect(java.util.stream.Collectors.toSet()));
                }
                for (Neighbour o : offers.subList(0, offers.size() / 2)) {
                    assertThat(heap.offer(o.sampleId(), o.squaredDistance(), o.contentKey())).isFalse();
                }
                assertThat(heap.neighbours()).as("instance %d", t).isEqualTo(expected);
                assertThat(NeighbourHeapCodec.decode(NeighbourHeapCodec.encode(heap))).isEqualTo(heap);
            }
        }
    }
}
