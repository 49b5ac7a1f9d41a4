package io.mycroft.stack.registry;

/**
 * A change to the registry's state, as written to and read back from the {@code _schemas} topic. The in-memory state is
 * exactly the fold of these events in topic order ({@link RegistryState#apply}), at start-up and after each write.
 */
sealed interface RegistryEvent {

    /** A version was registered or soft-deleted (the same key, so compaction keeps the latest). */
    record VersionStored(SchemaVersion version) implements RegistryEvent {
    }

    /** A soft-deleted version was permanently deleted (a tombstone on its key). */
    record VersionErased(String subject, int version) implements RegistryEvent {
    }

    /** The compatibility level of a subject, or the global one when {@code subject} is null. */
    record CompatibilitySet(String subject, CompatibilityLevel level) implements RegistryEvent {
    }

    /** A subject's own level was removed; the global level applies again (a tombstone on its key). */
    record CompatibilityCleared(String subject) implements RegistryEvent {
    }

    /**
     * Ids up to {@code maxId} have been handed out. Written before a permanent delete, so that the highest id is still
     * known once compaction has removed the erased version: ids are never reused.
     */
    record IdsReserved(int maxId) implements RegistryEvent {
    }
}
