package io.mycroft.topology;

import io.mycroft.processors.ExposureLedger;
import io.mycroft.processors.ExposureSummaryProcessor;
import io.mycroft.processors.UsefulSubsetProcessor;
import mycroft.schemas.OwnerExposure;
import mycroft.schemas.SubsetUpdate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * What the REST API asks of the app's state: how Streams is, which instance holds a key, and the key's value in this
 * instance's store. {@link #of(KafkaStreams)} answers through interactive queries; {@link QueryServer}'s routes only see
 * this interface, so they can be tested without a running KafkaStreams.
 */
interface StoreLookup {

    KafkaStreams.State state();

    /** The instance whose {@code store} holds {@code key}, or null while the store is not available (starting, rebalancing). */
    HostInfo activeHost(String store, String key);

    /** The value of {@code key} in this instance's {@code store}, or null when there is none. */
    Object localValue(String store, String key);

    static StoreLookup of(KafkaStreams streams) {
        return new StoreLookup() {
            @Override
            public KafkaStreams.State state() {
                return streams.state();
            }

            @Override
            public HostInfo activeHost(String store, String key) {
                KeyQueryMetadata where = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
                return where == null || where == KeyQueryMetadata.NOT_AVAILABLE ? null : where.activeHost();
            }

            @Override
            public Object localValue(String store, String key) {
                if (store.equals(ExposureLedger.STORE)) {
                    // The summary is stored without its ids, which its processor keeps apart.
                    return ExposureSummaryProcessor.read(owner -> (OwnerExposure) localStore(store).get(owner),
                            localStore(ExposureSummaryProcessor.IDS), key);
                }
                if (store.equals(UsefulSubsetProcessor.SUBSETS)) {
                    // The live counts are kept apart from the subset.
                    return UsefulSubsetProcessor.current((SubsetUpdate) localStore(store).get(key),
                            (byte[]) localStore(UsefulSubsetProcessor.SUBSET_COUNTS).get(key));
                }
                return localStore(store).get(key);
            }

            private <V> ReadOnlyKeyValueStore<String, V> localStore(String store) {
                return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
            }
        };
    }
}
