package io.mycroft.schemas;

import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;

/**
 * Record keys. Everything of one (request, owner) is keyed {@code requestId|ownerId}, so one Streams task owns its
 * state; ids therefore must not contain the separator. {@code sample-vectors} goes further: its records are placed by
 * request alone ({@link #requestPartition}), so that all owners of a request meet in one task.
 */
public final class Keys {
    public static final char SEPARATOR = '|';
    /** Separates a request id's trainer from the rest of it: request {@code alice.mnist-1} belongs to trainer alice. */
    public static final char TRAINER_SEPARATOR = '.';

    private Keys() {
    }

    /** {@code requestId|ownerId}. */
    public static String requestOwner(String requestId, String ownerId) {
        return requireId(requestId, "requestId") + SEPARATOR + requireId(ownerId, "ownerId");
    }

    /**
     * The partition (of {@code partitions}) of every {@code sample-vectors} record of {@code requestId}, whatever its
     * owner: murmur2 of the request id, where Kafka's default partitioner would put a record keyed by it. One task then
     * sees all owners' samples of the request in one offset order, which is what crediting a copied sample to the owner
     * whose copy arrived first needs (DESIGN §4).
     */
    public static int requestPartition(String requestId, int partitions) {
        return Utils.toPositive(Utils.murmur2(requestId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The requestId of a {@code requestId|ownerId} key. */
    public static String requestOf(String requestOwnerKey) {
        return requestOwnerKey.substring(0, separatorIn(requestOwnerKey));
    }

    /** The ownerId of a {@code requestId|ownerId} key. */
    public static String ownerOf(String requestOwnerKey) {
        return requestOwnerKey.substring(separatorIn(requestOwnerKey) + 1);
    }

    /** The trainer a request id names ({@code <trainer>.<name>}), or null: such a request is the operator's alone. */
    public static String trainerOf(String requestId) {
        int at = requestId.indexOf(TRAINER_SEPARATOR);
        return at <= 0 ? null : requestId.substring(0, at);
    }

    /** Who a request's rankings and subsets are for: {@code trainer:<t>} ({@link #trainerOf}), else {@code operator}. */
    public static String recipientOf(String requestId) {
        String trainer = trainerOf(requestId);
        return trainer == null ? "operator" : "trainer:" + trainer;
    }

    /** Returns {@code id} if it is a usable id: non-empty and free of the separator. */
    public static String requireId(String id, String what) {
        String problem = idProblem(id, what);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return id;
    }

    /**
     * What makes {@code id} unusable as a request, owner or sample id (empty, or holding the separator), or null if it is
     * fine. Every component checks the ids of a record with this where the record enters, and dead-letters it if not null.
     */
    public static String idProblem(String id, String what) {
        if (id == null || id.isEmpty()) {
            return what + " must not be empty";
        }
        if (id.indexOf(SEPARATOR) >= 0) {
            return what + " '" + id + "' contains '" + SEPARATOR + "', which separates key parts";
        }
        return null;
    }

    private static int separatorIn(String key) {
        int at = key.indexOf(SEPARATOR);
        if (at < 0) {
            throw new IllegalArgumentException("key '" + key + "' is not of the form requestId" + SEPARATOR + "ownerId");
        }
        return at;
    }
}
