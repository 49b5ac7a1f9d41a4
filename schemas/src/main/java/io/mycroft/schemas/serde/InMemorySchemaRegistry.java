package io.mycroft.schemas.serde;

import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry held in memory, for unit tests (TopologyTestDriver) and {@code mock://scope} URLs; like Confluent's
 * MockSchemaRegistryClient it checks no compatibility. Ids are global and start at 1.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
    private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final List<Schema> byId = new ArrayList<>();
    private final Map<String, Map<Schema, Integer>> subjects = new HashMap<>();

    /** The registry shared by every serde configured with {@code mock://scope}. */
    public static InMemorySchemaRegistry scope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
    }

    /** Forgets the registry of {@code scope}; tests call it so each starts empty. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        Map<Schema, Integer> versions = subjects.computeIfAbsent(subject, s -> new HashMap<>());
        Integer id = versions.get(schema);
        if (id == null) {
            id = idOf(schema);
            versions.put(schema, id);
        }
        return id;
    }

    @Override
    public synchronized int lookup(String subject, Schema schema) {
        Map<Schema, Integer> versions = subjects.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException(SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        Integer id = versions.get(schema);
        if (id == null) {
            throw new SchemaRegistryException(SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found under '" + subject + "'.");
        }
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        if (id < 1 || id > byId.size()) {
            throw new SchemaRegistryException(SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return byId.get(id - 1);
    }

    /** The same schema under two subjects keeps one id, as in Confluent's registry. */
    private int idOf(Schema schema) {
        int index = byId.indexOf(schema);
        if (index < 0) {
            byId.add(schema);
            index = byId.size() - 1;
        }
        return index + 1;
    }
}
