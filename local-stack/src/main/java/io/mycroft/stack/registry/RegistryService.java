package io.mycroft.stack.registry;

import io.mycroft.stack.registry.RegistryEvent.CompatibilityCleared;
import io.mycroft.stack.registry.RegistryEvent.CompatibilitySet;
import io.mycroft.stack.registry.RegistryEvent.IdsReserved;
import io.mycroft.stack.registry.RegistryEvent.VersionErased;
import io.mycroft.stack.registry.RegistryEvent.VersionStored;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's operations with Confluent's rules: what registering, looking up, deleting and configuring do, and which
 * error each misuse gets. Every write catches up with the schemas topic, is decided, appended, and applied as read back,
 * so the in-memory state is always a prefix of the topic. One lock serialises everything: ids and versions are handed
 * out in order.
 *
 * <p>One writer per topic: there is no leader election, so two registries writing to one topic at the same moment could
 * hand out the same id (one after the other is fine: each write first reads what the other wrote).
 */
final class RegistryService {

    private static final Logger log = LoggerFactory.getLogger(RegistryService.class);

    /** The version number that stands for "latest" ({@code latest} or {@code -1} in a URL). */
    static final int LATEST = -1;

    private final SchemasTopic topic;
    private final RegistryState state = new RegistryState();

    RegistryService(SchemasTopic topic) {
        this.topic = topic;
    }

    /** Rebuilds the state from the topic; returns the number of subjects, soft-deleted ones included. */
    synchronized int recover() {
        topic.readToEnd(state::apply);
        return state.subjectNames().size();
    }

    /** Parses a version as it appears in a URL: a positive number, {@code latest} or {@code -1}; else error 42202. */
    static int parseVersion(String text) {
        if ("latest".equals(text)) {
            return LATEST;
        }
        try {
            int version = Integer.parseInt(text);
            if (version >= 1 || version == LATEST) {
                return version;
            }
        } catch (NumberFormatException e) {
            // falls through to the registry's own error
        }
        throw RegistryException.invalidVersion(text);
    }

    /**
     * Registers {@code schema} under {@code subject} and returns its id. A schema the subject already holds (not deleted)
     * keeps its version and id; a schema known under another subject keeps its id; anything else gets the next id.
     */
    synchronized int register(String subject, Schema schema) {
        catchUp();
        String canonical = schema.toString();
        NavigableMap<Integer, SchemaVersion> versions = state.versions(subject);
        List<SchemaVersion> live = live(versions);
        for (SchemaVersion version : live) {
            if (version.schema().equals(canonical)) {
                return version.id();
            }
        }
        List<String> problems = level(subject).incompatibilities(schema, parsed(live));
        if (!problems.isEmpty()) {
            throw RegistryException.incompatible(subject, problems);
        }
        int id = state.idOf(canonical).orElse(state.maxId() + 1);
        int versionNumber = versions.isEmpty() ? 1 : versions.lastKey() + 1;
        write(new VersionStored(new SchemaVersion(subject, versionNumber, id, canonical, false)));
        log.info("Registered schema id {} as version {} of subject {}", id, versionNumber, subject);
        return id;
    }

    /** The version of {@code subject} that holds {@code schema}: 40401 if no such subject, 40403 if not under it. */
    synchronized SchemaVersion lookup(String subject, Schema schema, boolean includeDeleted) {
        String canonical = schema.toString();
        List<SchemaVersion> candidates = visibleVersions(subject, includeDeleted);
        for (int i = candidates.size() - 1; i >= 0; i--) {
            if (candidates.get(i).schema().equals(canonical)) {
                return candidates.get(i);
            }
        }
        throw RegistryException.schemaNotFound("Schema");
    }

    synchronized String schemaById(int id) {
        return state.schemaById(id).orElseThrow(() -> RegistryException.schemaNotFound("Schema " + id));
    }

    /** The subject/version pairs that use schema {@code id}. */
    synchronized List<SchemaVersion> versionsWithId(int id, boolean includeDeleted) {
        schemaById(id);
        return state.versionsWithId(id).stream().filter(version -> includeDeleted || !version.deleted()).toList();
    }

    synchronized List<String> subjects(boolean includeDeleted) {
        return state.subjectNames().stream()
                .filter(subject -> includeDeleted || !live(state.versions(subject)).isEmpty())
                .toList();
    }

    synchronized List<Integer> versionNumbers(String subject, boolean includeDeleted) {
        return visibleVersions(subject, includeDeleted).stream().map(SchemaVersion::version).toList();
    }

    synchronized SchemaVersion version(String subject, int versionNumber, boolean includeDeleted) {
        List<SchemaVersion> visible = visibleVersions(subject, includeDeleted);
        if (versionNumber == LATEST) {
            return visible.get(visible.size() - 1);
        }
        return visible.stream()
                .filter(version -> version.version() == versionNumber)
                .findFirst()
                .orElseThrow(() -> RegistryException.versionNotFound(subject, versionNumber));
    }

    /**
     * Why {@code schema} could not be registered under {@code subject}; empty if it could. Against "latest" the
     * subject's level decides which versions count (transitive: all); against a given version only that one does.
     */
    synchronized List<String> incompatibilities(String subject, int versionNumber, Schema schema) {
        List<SchemaVersion> against = versionNumber == LATEST
                ? live(state.versions(subject))
                : List.of(version(subject, versionNumber, false));
        if (against.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return level(subject).incompatibilities(schema, parsed(against));
    }

    synchronized CompatibilityLevel globalLevel() {
        return state.globalLevel();
    }

    synchronized void setGlobalLevel(CompatibilityLevel level) {
        catchUp();
        write(new CompatibilitySet(null, level));
    }

    /** The subject's own level; with {@code defaultToGlobal} the global one when it has none, else error 40408. */
    synchronized CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
        return state.subjectLevel(subject).orElseGet(() -> {
            if (defaultToGlobal) {
                return state.globalLevel();
            }
            throw RegistryException.subjectLevelConfigNotFound(subject);
        });
    }

    synchronized void setSubjectLevel(String subject, CompatibilityLevel level) {
        catchUp();
        write(new CompatibilitySet(subject, level));
    }

    /** Removes the subject's own level and returns it; 40401 if it had none. */
    synchronized CompatibilityLevel clearSubjectLevel(String subject) {
        catchUp();
        CompatibilityLevel previous = state.subjectLevel(subject).orElseThrow(() -> RegistryException.subjectNotFound(subject));
        write(new CompatibilityCleared(subject));
        return previous;
    }

    /**
     * Soft-deletes every live version of {@code subject}, or with {@code permanent} erases a subject that was soft-deleted
     * first (Confluent's two-step delete). Returns the version numbers deleted.
     */
    synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
        catchUp();
        NavigableMap<Integer, SchemaVersion> versions = state.versions(subject);
        if (versions.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        List<SchemaVersion> live = live(versions);
        List<Integer> deleted = new ArrayList<>();
        if (permanent) {
            if (!live.isEmpty()) {
                throw RegistryException.subjectNotSoftDeleted(subject);
            }
            write(new IdsReserved(state.maxId()));
            for (SchemaVersion version : List.copyOf(versions.values())) {
                write(new VersionErased(subject, version.version()));
                deleted.add(version.version());
            }
        } else {
            if (live.isEmpty()) {
                throw RegistryException.subjectSoftDeleted(subject);
            }
            for (SchemaVersion version : live) {
                write(new VersionStored(version.softDeleted()));
                deleted.add(version.version());
            }
        }
        log.info("{} subject {} (versions {})", permanent ? "Permanently deleted" : "Soft-deleted", subject, deleted);
        return deleted;
    }

    /**
     * Soft-deletes one version, or with {@code permanent} erases one that was soft-deleted first. "latest" means the
     * latest live version for a soft delete, and the latest version at all for a permanent one.
     */
    synchronized int deleteVersion(String subject, int versionNumber, boolean permanent) {
        catchUp();
        NavigableMap<Integer, SchemaVersion> versions = state.versions(subject);
        if (versions.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        SchemaVersion version = versionNumber == LATEST
                ? version(subject, LATEST, permanent)
                : versions.get(versionNumber);
        if (version == null) {
            throw RegistryException.versionNotFound(subject, versionNumber);
        }
        if (permanent) {
            if (!version.deleted()) {
                throw RegistryException.versionNotSoftDeleted(subject, version.version());
            }
            write(new IdsReserved(state.maxId()));
            write(new VersionErased(subject, version.version()));
        } else {
            if (version.deleted()) {
                throw RegistryException.versionSoftDeleted(subject, version.version());
            }
            write(new VersionStored(version.softDeleted()));
        }
        log.info("{} version {} of subject {}", permanent ? "Permanently deleted" : "Soft-deleted", version.version(), subject);
        return version.version();
    }

    /**
     * Appends {@code event} and applies it as read back from the topic, with anything before it that this registry has
     * not applied yet: a write that failed with a timeout may still have landed, and must not be decided against again.
     */
    private void write(RegistryEvent event) {
        topic.append(event);
        topic.readToEnd(state::apply);
    }

    /** Brings the state up to the topic's end before a write is decided (see {@link #write}). */
    private void catchUp() {
        topic.readToEnd(state::apply);
    }

    private CompatibilityLevel level(String subject) {
        return state.subjectLevel(subject).orElse(state.globalLevel());
    }

    /** The subject's versions a read may see, oldest first; 40401 if there are none. */
    private List<SchemaVersion> visibleVersions(String subject, boolean includeDeleted) {
        List<SchemaVersion> visible = includeDeleted ? List.copyOf(state.versions(subject).values()) : live(state.versions(subject));
        if (visible.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return visible;
    }

    private static List<SchemaVersion> live(NavigableMap<Integer, SchemaVersion> versions) {
        return versions.values().stream().filter(version -> !version.deleted()).toList();
    }

    private static List<Schema> parsed(List<SchemaVersion> versions) {
        return versions.stream().map(version -> new Schema.Parser().parse(version.schema())).toList();
    }
}
