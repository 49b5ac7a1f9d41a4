package io.mycroft.stack;

import io.mycroft.schemas.TopicSpec;
import io.mycroft.schemas.Topics;
import io.mycroft.stack.StackSecurity.Principal;
import io.mycroft.stack.registry.RegistrySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs of the secure stack's principals, all in one place: the services' and each owner's. The broker denies whatever
 * no ACL allows; the admin is the only super user. Only service principals (Streams, workers, Connect) read owner samples
 * and vectors; only Connect (whose connectors the operator creates, each stamping its owner) writes owner-samples; an
 * owner writes its own ingestion topic and nothing else. A model trainer writes its own requests and models topics
 * ({@code hardset-requests.<t>}, {@code models.<t>}), which only Streams reads (its TrainerGate copies t's ids to the
 * shared topics, which only services and the admin write), and reads nothing on Kafka: its rankings, subsets and
 * evaluations come from the REST API, with its token (role {@code trainer:<t>}), scoped to its requests.
 */
public final class StackAcls {
    /** Streams' application id (or the prefix of one): its internal topics, group and transactional ids all start with it. */
    public static final String STREAMS_APPLICATION_ID = "mycroft-streams";
    /** Worker groups and transactional ids ({@code mycroft-inference-<worker>}). */
    public static final String WORKER_PREFIX = "mycroft-inference";
    /** Connect's group id; its internal topics and (exactly-once) transactional ids start with it. */
    static final String CONNECT_GROUP = "mycroft-connect";
    /** Connect's (exactly-once) config-topic producer: {@code connect-cluster-<group id>}. */
    static final String CONNECT_CONFIG_TRANSACTIONAL_ID = "connect-cluster-" + CONNECT_GROUP;
    /** Sink connectors' consumer groups are {@code connect-<connector>}. */
    static final String CONNECT_SINK_GROUPS = "connect-";
    /** The owners' own ingestion topics, {@code owner-samples.<owner>}. */
    static final String OWNER_INGESTION_PREFIX = Topics.ownerIngestionPrefix("");

    private StackAcls() {
    }

    /** Every service principal's ACLs (creating an existing ACL is a no-op on the broker). */
    static List<AclBinding> serviceAcls() {
        List<AclBinding> acls = catalogueAcls("");
        allow(acls, Principal.REGISTRY, ResourceType.TOPIC, RegistrySettings.DEFAULT_TOPIC, PatternType.LITERAL, AclOperation.ALL);
        // Workers read every owner's own ingestion topic (owner-samples.<owner>); so does Streams' dashboard (ingested counts).
        for (Principal service : List.of(Principal.WORKER, Principal.STREAMS)) {
            for (AclOperation operation : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
                allow(acls, service, ResourceType.TOPIC, OWNER_INGESTION_PREFIX, PatternType.PREFIXED, operation);
            }
        }
        // Streams reads the trainers' own topics (hardset-requests.<t>, models.<t>) and gates them to the shared ones.
        for (TopicSpec shared : Topics.TRAINER_TWINNED) {
            for (AclOperation operation : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
                allow(acls, Principal.STREAMS, ResourceType.TOPIC, Topics.trainerTwinPrefix(shared, ""), PatternType.PREFIXED, operation);
            }
        }
        allowPrefix(acls, Principal.STREAMS, STREAMS_APPLICATION_ID, ResourceType.TOPIC, ResourceType.GROUP,
                ResourceType.TRANSACTIONAL_ID);
        allowPrefix(acls, Principal.WORKER, WORKER_PREFIX, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID);

        allowPrefix(acls, Principal.CONNECT, CONNECT_GROUP, ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID);
        // The leader's exactly-once producer to the config topic: without it no connector can be created.
        allow(acls, Principal.CONNECT, ResourceType.TRANSACTIONAL_ID, CONNECT_CONFIG_TRANSACTIONAL_ID, PatternType.LITERAL,
                AclOperation.ALL);
        allow(acls, Principal.CONNECT, ResourceType.GROUP, CONNECT_SINK_GROUPS, PatternType.PREFIXED, AclOperation.READ);
        for (Principal service : List.of(Principal.STREAMS, Principal.WORKER, Principal.CONNECT, Principal.REGISTRY)) {
            allow(acls, service, ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE);
        }
        return acls;
    }

    /**
     * The services' rights on the catalogue's topics named with {@code topicPrefix} ("" for the stack's own; an
     * experiment's marketplace has a prefix of its own): Streams and workers read and write them, but only Connect writes
     * owner-samples, and Connect reads subset-updates (the selection sink).
     */
    static List<AclBinding> catalogueAcls(String topicPrefix) {
        List<AclBinding> acls = new ArrayList<>();
        for (Principal service : List.of(Principal.STREAMS, Principal.WORKER)) {
            for (TopicSpec topic : Topics.ALL) {
                for (AclOperation operation : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE,
                        AclOperation.DESCRIBE_CONFIGS)) {
                    // owner-samples' records name their owner: only the connectors that stamp it write there.
                    if (!(topic.equals(Topics.OWNER_SAMPLES) && operation == AclOperation.WRITE)) {
                        allow(acls, service, ResourceType.TOPIC, topic.name(topicPrefix), PatternType.LITERAL, operation);
                    }
                }
            }
        }
        for (AclOperation operation : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
            allow(acls, Principal.CONNECT, ResourceType.TOPIC, Topics.OWNER_SAMPLES.name(topicPrefix), PatternType.LITERAL, operation);
        }
        for (AclOperation operation : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
            allow(acls, Principal.CONNECT, ResourceType.TOPIC, Topics.SUBSET_UPDATES.name(topicPrefix), PatternType.LITERAL, operation);
        }
        return acls;
    }

    /** Grants the services {@link #catalogueAcls} on the topics of {@code topicPrefix} (an experiment's marketplace). */
    public static void ensureCatalogueAcls(Admin admin, String topicPrefix) {
        create(admin, catalogueAcls(topicPrefix), "the services' " + topicPrefix + "*");
    }

    /**
     * Owner {@code ownerId}'s ACLs: write (and describe) its own ingestion topic, nothing else. Its idempotent producer
     * needs no IdempotentWrite on the cluster: WRITE on a topic is enough (KIP-679).
     */
    static List<AclBinding> ownerAcls(String ownerId) {
        List<AclBinding> acls = new ArrayList<>();
        String topic = Topics.ownerIngestionSpec(ownerId).name("");
        for (AclOperation operation : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
            allow(acls, "User:" + ownerId, ResourceType.TOPIC, topic, PatternType.LITERAL, operation);
        }
        return acls;
    }

    /** Trainer {@code trainerId}'s ACLs: write (and describe) its own requests and models topics, nothing else. */
    static List<AclBinding> trainerAcls(String trainerId) {
        List<AclBinding> acls = new ArrayList<>();
        for (TopicSpec shared : Topics.TRAINER_TWINNED) {
            for (AclOperation operation : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
                allow(acls, "User:" + trainerId, ResourceType.TOPIC, Topics.trainerTwinSpec(shared, trainerId).name(""),
                        PatternType.LITERAL, operation);
            }
        }
        return acls;
    }

    /** Creates {@code trainerId}'s ACLs (creating an existing ACL is a no-op) and returns them. */
    static List<AclBinding> ensureTrainerAcls(Admin admin, String trainerId) {
        List<AclBinding> acls = trainerAcls(trainerId);
        create(admin, acls, "trainer " + trainerId + "'s");
        return acls;
    }

    static void ensureServiceAcls(Admin admin, Consumer<String> out) {
        List<AclBinding> acls = serviceAcls();
        create(admin, acls, "the services'");
        out.accept("acls: " + acls.size() + " for the service principals");
    }

    /** Creates {@code ownerId}'s ACLs (creating an existing ACL is a no-op) and returns them. */
    static List<AclBinding> ensureOwnerAcls(Admin admin, String ownerId) {
        List<AclBinding> acls = ownerAcls(ownerId);
        create(admin, acls, "owner " + ownerId + "'s");
        return acls;
    }

    private static void create(Admin admin, List<AclBinding> acls, String whose) {
        try {
            admin.createAcls(acls).all().get();
        } catch (ExecutionException e) {
            throw new StackException("cannot create " + whose + " ACLs: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while creating ACLs", e);
        }
    }

    private static void allowPrefix(List<AclBinding> acls, Principal principal, String prefix, ResourceType... types) {
        for (ResourceType type : types) {
            allow(acls, principal, type, prefix, PatternType.PREFIXED, AclOperation.ALL);
        }
    }

    private static void allow(List<AclBinding> acls, Principal principal, ResourceType type, String name,
                              PatternType pattern, AclOperation operation) {
        allow(acls, "User:" + principal.user(), type, name, pattern, operation);
    }

    private static void allow(List<AclBinding> acls, String principal, ResourceType type, String name,
                              PatternType pattern, AclOperation operation) {
        acls.add(new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
    }
}
