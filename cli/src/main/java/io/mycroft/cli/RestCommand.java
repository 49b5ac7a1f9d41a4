package io.mycroft.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ./mycroft rest PATH}: GET from the Streams app's REST API and print the answer (an SSE path streams until
 * stopped), with the secure stack's operator token when it has one.
 */
@Command(name = "rest", mixinStandardHelpOptions = true,
        description = "GET a path of the Streams app's REST API (e.g. /requests/ID/ranking, /requests/ID/owners/O/subset,"
                + " /owners/O/exposure, /requests/ID/ranking/stream) and print the answer; on a secure stack with the"
                + " operator's token.")
final class RestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "PATH", description = "The path, starting with /.")
    String path;
    @Option(names = "--url", defaultValue = "http://127.0.0.1:7070", paramLabel = "URL",
            description = "The Streams app's REST address (default ${DEFAULT-VALUE}).")
    String url;
    @Option(names = "--token", paramLabel = "TOKEN", description = "Send this token instead of the stack's operator token.")
    String token;
    @Mixin
    WorkDirOption workDir;

    @Override
    public Integer call() throws InterruptedException {
        if (!path.startsWith("/")) {
            throw new UserError("PATH must start with /, was '" + path + "'");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path));
        String bearer = token != null ? token : StackRestTokens.operatorToken(workDir.get()).orElse(null);
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<Stream<String>> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UserError("no answer from " + url + " (" + e.getMessage() + "): is the Streams app running"
                    + " (./mycroft streams)?");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Stream<String> lines = answer.body()) {
            if (answer.statusCode() / 100 != 2) {
                throw new UserError("GET " + path + ": " + answer.statusCode() + " " + String.join(" ", lines.toList())
                        + (answer.statusCode() == 401 && bearer == null ? " (this stack has no operator token: pass --token)" : ""));
            }
            lines.forEach(line -> {
                out.println(line);
                out.flush();
            });
        }
        return 0;
    }
}
