package io.mycroft.experiments.scenario;

import java.util.List;

/** A scenario file that cannot be used; {@link #problems()} lists every problem, each starting with its field path. */
public final class ScenarioException extends RuntimeException {
    private final String source;
    private final List<String> problems;

    public ScenarioException(String source, List<String> problems) {
        super(source + ": " + problems.size() + " problem(s) in the scenario:\n  " + String.join("\n  ", problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The scenario file (or resource) the problems are in. */
    public String source() {
        return source;
    }

    public List<String> problems() {
        return problems;
    }
}
