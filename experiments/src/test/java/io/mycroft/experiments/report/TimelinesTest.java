package io.mycroft.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mycroft.experiments.report.Charts.Point;
import io.mycroft.experiments.report.Timelines.Snapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimelinesTest {
    static final List<String> OWNERS = List.of("owner-a", "owner-b", "owner-c");

    @Test
    void ranksFollowScoresWithTiesByOwnerOrderAndUnscoredLast() {
        List<Snapshot> snapshots = List.of(
                new Snapshot(0.5, Map.of("owner-b", 0.2)),
                new Snapshot(2.0, Map.of("owner-a", 0.4, "owner-b", 0.4, "owner-c", 0.1)),
                new Snapshot(3.5, Map.of("owner-a", 0.3, "owner-b", 0.5, "owner-c", 0.6)));
        Map<String, List<Point>> ranks = Timelines.ranks(OWNERS, snapshots);
        assertThat(ranks.keySet()).containsExactly("owner-a", "owner-b", "owner-c");
        assertThat(ranks.get("owner-a")).containsExactly(new Point(0.5, 2), new Point(2.0, 1), new Point(3.5, 3));
        assertThat(ranks.get("owner-b")).containsExactly(new Point(0.5, 1), new Point(2.0, 2), new Point(3.5, 2));
        assertThat(ranks.get("owner-c")).containsExactly(new Point(0.5, 3), new Point(2.0, 3), new Point(3.5, 1));
    }

    @Test
    void valuesStartAtEachOwnersFirstValue() {
        Map<String, List<Point>> v = Timelines.values(OWNERS, List.of(
                new Snapshot(1, Map.of("owner-a", 1.0)), new Snapshot(2, Map.of("owner-a", 0.8, "owner-c", 0.9))));
        assertThat(v.get("owner-a")).containsExactly(new Point(1, 1.0), new Point(2, 0.8));
        assertThat(v.get("owner-b")).isEmpty();
        assertThat(v.get("owner-c")).containsExactly(new Point(2, 0.9));
    }

    @Test
    void rejectsUnknownOwnersAndTimeTravel() {
        assertThatThrownBy(() -> Timelines.ranks(OWNERS, List.of(new Snapshot(1, Map.of("owner-z", 1.0)))))
                .hasMessageContaining("unknown owner owner-z");
        assertThatThrownBy(() -> Timelines.ranks(OWNERS, List.of(new Snapshot(2, Map.of()), new Snapshot(1, Map.of()))))
                .hasMessageContaining("time order");
    }
}
