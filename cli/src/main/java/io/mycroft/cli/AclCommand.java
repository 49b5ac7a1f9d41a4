package io.mycroft.cli;

import io.mycroft.stack.StackProperties;
import io.mycroft.stack.StackSecurity.Principal;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ./mycroft acl list}: the ACLs of a secure local stack, as the broker holds them, read as the operator. */
@Command(name = "acl", mixinStandardHelpOptions = true, description = "The ACLs of a secure local stack.",
        subcommands = AclCommand.ListAcls.class)
public final class AclCommand {
    private static final int TIMEOUT_SECONDS = 15;

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every ACL on the broker: principal, permission, operation, resource (sorted by principal).")
    static final class ListAcls implements Callable<Integer> {
        @Mixin
        WorkDirOption workDir;

        @Override
        public Integer call() {
            StackProperties stack = StackProperties.load(workDir.get());
            if (stack.security().isEmpty()) {
                throw new UserError("the stack in " + workDir.get() + " has no authentication and no ACLs:"
                        + " start one with ./mycroft stack up --fresh (secure unless --insecure)");
            }
            try (Admin admin = Admin.create(new HashMap<>(stack.clientConfig(Principal.ADMIN)))) {
                lines(admin.describeAcls(AclBindingFilter.ANY).values().get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                        .forEach(System.out::println);
            } catch (ExecutionException | TimeoutException e) {
                throw new UserError("cannot list ACLs at " + stack.bootstrapServers() + ": "
                        + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("interrupted while listing ACLs");
            }
            return 0;
        }
    }

    /** One line per ACL: {@code User:x  ALLOW  READ  TOPIC:LITERAL:owner-samples}. */
    static List<String> lines(Collection<AclBinding> acls) {
        return acls.stream()
                .sorted(Comparator.comparing((AclBinding a) -> a.entry().principal())
                        .thenComparing(a -> a.pattern().resourceType().name()).thenComparing(a -> a.pattern().name())
                        .thenComparing(a -> a.entry().operation().name()))
                .map(a -> String.format("%-20s %-6s %-17s %s:%s:%s", a.entry().principal(), a.entry().permissionType(),
                        a.entry().operation(), a.pattern().resourceType(), a.pattern().patternType(), a.pattern().name()))
                .toList();
    }
}
