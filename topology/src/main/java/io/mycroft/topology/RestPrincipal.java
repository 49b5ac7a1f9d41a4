package io.mycroft.topology;

import io.mycroft.schemas.Keys;

/**
 * Who a REST token belongs to and what it may read. {@code operator}: everything. {@code owner:<o>}: owner o's subset of
 * any request and o's exposure. {@code trainer:<t>}: the requests t owns, i.e. whose id is {@code <t>.<name>}
 * ({@link Keys#trainerOf}): their ranking, subsets, progress and streams.
 */
public record RestPrincipal(String name, Role role, String scope) {
    public enum Role { OPERATOR, OWNER, TRAINER }

    /** The principal {@code name} with the role written as in the token file: {@code operator|owner:<o>|trainer:<t>}. */
    public static RestPrincipal parse(String name, String role) {
        if (name == null || name.isEmpty() || name.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',')) {
            throw new IllegalArgumentException("principal '" + name + "' must be non-empty, without spaces or commas");
        }
        if (role.equals("operator")) {
            return new RestPrincipal(name, Role.OPERATOR, null);
        }
        if (role.startsWith("owner:")) {
            String owner = role.substring("owner:".length());
            Keys.requireId(owner, "owner id");
            return new RestPrincipal(name, Role.OWNER, requirePlain(owner, role));
        }
        if (role.startsWith("trainer:")) {
            String trainer = role.substring("trainer:".length());
            if (trainer.isEmpty() || trainer.indexOf(Keys.TRAINER_SEPARATOR) >= 0) {
                throw new IllegalArgumentException("trainer id in '" + role + "' must be non-empty and without '"
                        + Keys.TRAINER_SEPARATOR + "' (it prefixes the trainer's request ids)");
            }
            return new RestPrincipal(name, Role.TRAINER, requirePlain(trainer, role));
        }
        throw new IllegalArgumentException("role '" + role + "' is not operator, owner:<ownerId> or trainer:<trainerId>");
    }

    private static String requirePlain(String id, String role) {
        if (id.isBlank() || id.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',')) {
            throw new IllegalArgumentException("id in role '" + role + "' must not hold spaces or commas");
        }
        return id;
    }

    /** The role as the token file writes it. */
    public String roleText() {
        return switch (role) {
            case OPERATOR -> "operator";
            case OWNER -> "owner:" + scope;
            case TRAINER -> "trainer:" + scope;
        };
    }

    public boolean isOperator() {
        return role == Role.OPERATOR;
    }

    /** The ranking, subsets, progress and streams of request {@code requestId}: its trainer's and the operator's. */
    public boolean mayReadRequest(String requestId) {
        return isOperator() || role == Role.TRAINER && scope.equals(Keys.trainerOf(requestId));
    }

    /** Owner {@code ownerId}'s own data (its subset of any request, its exposure): the owner's and the operator's. */
    public boolean mayReadOwner(String ownerId) {
        return isOperator() || role == Role.OWNER && scope.equals(ownerId);
    }
}
