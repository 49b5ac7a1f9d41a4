package io.mycroft.schemas;

import org.apache.kafka.common.serialization.Serde;

/** A topic as its clients see it: the full name and the serdes of its keys and values. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, TopicSpec spec) {
}
