package io.mycroft.inference.worker;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionRequestsTest {
    @Test
    void roundTripsThroughOffsetMetadata() {
        PartitionRequests p = new PartitionRequests();
        p.arrive("r;1=odd:id", 400);
        p.advance("r;1=odd:id", 150);
        p.arrive("r2", 0);
        p.reject("bad");
        String metadata = p.encode();
        assertThat(metadata).isEqualTo("v1;bad=x;r2=0:0;r%3B1%3Dodd%3Aid=400:150");
        PartitionRequests back = PartitionRequests.decode(metadata);
        assertThat(back.entries()).isEqualTo(p.entries());
        assertThat(back.get("r;1=odd:id").backfilling()).isTrue();
        assertThat(back.get("r2").backfilling()).isFalse();
        assertThat(back.get("bad").rejected()).isTrue();
    }

    @Test
    void advanceStopsAtTheArrivalOffsetAndForgetRemoves() {
        PartitionRequests p = new PartitionRequests();
        p.arrive("r", 10);
        p.advance("r", 25);
        assertThat(p.get("r").next()).isEqualTo(10);
        assertThat(p.get("r").backfilling()).isFalse();
        p.forget("r");
        assertThat(PartitionRequests.decode(p.encode()).entries()).isEmpty();
    }

    @Test
    void emptyMetadataIsNoRequestsAndForeignMetadataIsRefused() {
        assertThat(PartitionRequests.decode(null).entries()).isEmpty();
        assertThat(PartitionRequests.decode("").entries()).isEmpty();
        assertThatThrownBy(() -> PartitionRequests.decode("someone else's")).hasMessageContaining("not written by an inference worker");
    }
}
