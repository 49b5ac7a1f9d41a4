package io.mycroft.stack.registry;

import io.mycroft.stack.registry.RegistryEvent.CompatibilityCleared;
import io.mycroft.stack.registry.RegistryEvent.CompatibilitySet;
import io.mycroft.stack.registry.RegistryEvent.IdsReserved;
import io.mycroft.stack.registry.RegistryEvent.VersionErased;
import io.mycroft.stack.registry.RegistryEvent.VersionStored;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry's data, rebuilt from {@link RegistryEvent}s: subjects with their versions (soft-deleted ones included),
 * the schema of every live id, and the compatibility levels. No rules live here; {@link RegistryService} decides what may
 * be written. Not thread-safe: {@link RegistryService} serialises access.
 */
final class RegistryState {

    private final Map<String, NavigableMap<Integer, SchemaVersion>> subjects = new TreeMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.DEFAULT;
    private int maxId;

    void apply(RegistryEvent event) {
        if (event instanceof VersionStored stored) {
            SchemaVersion version = stored.version();
            subjects.computeIfAbsent(version.subject(), s -> new TreeMap<>()).put(version.version(), version);
            schemasById.put(version.id(), version.schema());
            idsBySchema.put(version.schema(), version.id());
            maxId = Math.max(maxId, version.id());
        } else if (event instanceof VersionErased erased) {
            erase(erased.subject(), erased.version());
        } else if (event instanceof CompatibilitySet set) {
            if (set.subject() == null) {
                globalLevel = set.level();
            } else {
                subjectLevels.put(set.subject(), set.level());
            }
        } else if (event instanceof CompatibilityCleared cleared) {
            subjectLevels.remove(cleared.subject());
        } else if (event instanceof IdsReserved reserved) {
            maxId = Math.max(maxId, reserved.maxId());
        }
    }

    private void erase(String subject, int versionNumber) {
        NavigableMap<Integer, SchemaVersion> versions = subjects.getOrDefault(subject, Collections.emptyNavigableMap());
        SchemaVersion erased = versions.remove(versionNumber);
        if (versions.isEmpty()) {
            subjects.remove(subject);
        }
        if (erased != null && versionsWithId(erased.id()).isEmpty()) {
            schemasById.remove(erased.id());
            idsBySchema.remove(erased.schema());
        }
    }

    /** All versions of a subject, soft-deleted ones included, by version number; empty if the subject is unknown. */
    NavigableMap<Integer, SchemaVersion> versions(String subject) {
        return Collections.unmodifiableNavigableMap(subjects.getOrDefault(subject, Collections.emptyNavigableMap()));
    }

    /** Every subject that has a version, soft-deleted ones included, in name order. */
    List<String> subjectNames() {
        return List.copyOf(subjects.keySet());
    }

    /** Every version, in any subject, that carries {@code id}; soft-deleted ones included. */
    List<SchemaVersion> versionsWithId(int id) {
        return subjects.values().stream()
                .flatMap(versions -> versions.values().stream())
                .filter(version -> version.id() == id)
                .toList();
    }

    Optional<String> schemaById(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    Optional<Integer> idOf(String canonicalSchema) {
        return Optional.ofNullable(idsBySchema.get(canonicalSchema));
    }

    /** The highest id ever handed out, including ids of permanently deleted schemas. */
    int maxId() {
        return maxId;
    }

    CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }
}
