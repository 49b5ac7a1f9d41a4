package io.mycroft.stack;

import io.mycroft.schemas.TopicSpec;
import io.mycroft.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics of the catalogue ({@link Topics#ALL}) on the local broker, idempotently, and brings existing ones to
 * the catalogue's configs. The stack itself uses no prefix; a prefix gives a separate topic set on the same broker (an
 * experiment seed's own marketplace).
 */
public final class StackTopics {
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(15);

    private StackTopics() {
    }

    /** Creates missing topics; sets configs that differ on existing ones; reports partition counts it cannot fix. */
    static void ensure(Admin admin, Consumer<String> out) {
        ensure(admin, "", out);
    }

    /** {@link #ensure(Admin, Consumer)} for the catalogue's topics named with {@code prefix}. */
    public static void ensure(Admin admin, String prefix, Consumer<String> out) {
        List<TopicSpec> specs = Topics.ALL;
        Map<String, KafkaFuture<Void>> created = admin.createTopics(specs.stream()
                        // No replication factor: the broker's default, 1 on one broker, 3 on a cluster (StackConfigs).
                        .map(s -> new NewTopic(s.name(prefix), Optional.of(s.partitions()), Optional.empty()).configs(s.configs()))
                        .toList())
                .values();
        int newTopics = 0;
        for (TopicSpec spec : specs) {
            try {
                created.get(spec.name(prefix)).get();
                newTopics++;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new StackException("cannot create topic " + spec.name(prefix) + ": " + e.getCause().getMessage(), e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while creating topics", e);
            }
        }
        int fixed = verifyOnceKnown(admin, specs, prefix, out);
        out.accept("topics: " + specs.size() + " in the catalogue, " + newTopics + " created"
                + (fixed > 0 ? ", " + fixed + " reconfigured" : ""));
    }

    /** Creates one topic of {@code spec} (no prefix) if it is missing; whether it was created. */
    static boolean ensureOne(Admin admin, TopicSpec spec) {
        try {
            admin.createTopics(List.of(new NewTopic(name(spec), Optional.of(spec.partitions()), Optional.empty())
                    .configs(spec.configs()))).all().get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw new StackException("cannot create topic " + name(spec) + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while creating topic " + name(spec), e);
        }
    }

    /** New topics take a moment to reach the broker's metadata: retry while it says it does not know them yet. */
    private static int verifyOnceKnown(Admin admin, List<TopicSpec> specs, String prefix, Consumer<String> out) {
        long deadline = System.nanoTime() + METADATA_TIMEOUT.toNanos();
        try {
            while (true) {
                try {
                    return verify(admin, specs, prefix, out);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                        throw new StackException("cannot verify topics: " + e.getCause().getMessage(), e);
                    }
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while verifying topics", e);
        }
    }

    private static int verify(Admin admin, List<TopicSpec> specs, String prefix, Consumer<String> out)
            throws ExecutionException, InterruptedException {
        List<String> names = specs.stream().map(s -> s.name(prefix)).toList();
        List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
        int fixed = 0;
        for (TopicSpec spec : specs) {
            int partitions = descriptions.get(spec.name(prefix)).partitions().size();
            if (partitions != spec.partitions()) {
                out.accept("warning: topic " + spec.name(prefix) + " has " + partitions + " partitions, the catalogue says "
                        + spec.partitions() + "; delete it (or run ./mycroft stack up --fresh) to recreate it");
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name(prefix));
            Config actual = configs.get(resource);
            List<AlterConfigOp> changes = spec.configs().entrySet().stream()
                    .filter(e -> actual.get(e.getKey()) == null || !e.getValue().equals(actual.get(e.getKey()).value()))
                    .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                    .toList();
            if (!changes.isEmpty()) {
                admin.incrementalAlterConfigs(Map.of(resource, changes)).all().get();
                out.accept("topic " + spec.name(prefix) + ": set " + changes.stream()
                        .map(c -> c.configEntry().name() + "=" + c.configEntry().value())
                        .collect(Collectors.joining(", ")));
                fixed++;
            }
        }
        return fixed;
    }

    /** The local stack uses the catalogue's names without a prefix. */
    static String name(TopicSpec spec) {
        return spec.name("");
    }
}
