package io.mycroft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class AclCommandTest {
    @Test
    void listsOneLinePerAclSortedByPrincipal() {
        AclBinding worker = acl("User:mycroft-worker", ResourceType.TOPIC, "owner-samples", AclOperation.READ);
        AclBinding registry = acl("User:mycroft-registry", ResourceType.TOPIC, "_schemas", AclOperation.ALL);
        assertThat(AclCommand.lines(List.of(worker, registry))).containsExactly(
                "User:mycroft-registry ALLOW  ALL               TOPIC:LITERAL:_schemas",
                "User:mycroft-worker  ALLOW  READ              TOPIC:LITERAL:owner-samples");
    }

    private static AclBinding acl(String principal, ResourceType type, String name, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
