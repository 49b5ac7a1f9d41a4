package io.mycroft.schemas.serde;

import org.apache.avro.Schema;

/**
 * The three registry operations a serde needs, as Confluent Schema Registry defines them. Implementations:
 * {@link RestSchemaRegistryClient} (any registry speaking Confluent's REST API) and {@link InMemorySchemaRegistry}
 * (unit tests and {@code mock://} URLs).
 */
public interface SchemaRegistry {

    /** Registers {@code schema} under {@code subject} (or finds it already there) and returns its global id. */
    int register(String subject, Schema schema);

    /** The id of {@code schema} under {@code subject}; fails with {@link SchemaRegistryException} if not registered. */
    int lookup(String subject, Schema schema);

    /** The schema with global id {@code id}; fails with {@link SchemaRegistryException} (40403) if unknown. */
    Schema schemaById(int id);
}
