package io.mycroft.topology;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Bearer-token authentication and per-route authorization of the REST API. Without a token file ({@link #open()})
 * every route is open, as before. With one, every route but {@code /health} needs a token, sent as
 * {@code Authorization: Bearer <token>} or, from the dashboard page, as the {@value #COOKIE} cookie: no token or an
 * unknown one is 401 with {@code WWW-Authenticate: Bearer}; a known one asking for data that is not its
 * principal's is 403.
 *
 * <p>The page takes its token once as {@code /?token=<token>}: the server answers with an HttpOnly, SameSite=Strict
 * cookie and a redirect to the page without the token. A cookie, because the browser's EventSource (the SSE streams)
 * cannot send an Authorization header and a token in every stream URL would end up in history and logs; the browser
 * sends the cookie with every fetch and EventSource of the page, and page scripts cannot read it. The page's static
 * files (HTML, JS, CSS, Chart.js) hold no data and are served without a token, so the page can load and say it needs one.
 */
final class RestAuth {
    static final String COOKIE = "mycroft_token";
    static final String HEALTH = "/health";
    private static final String TOKEN_PARAM = "token";
    private static final String PRINCIPAL_ATTRIBUTE = "mycroft.principal";
    private static final String TOKEN_ATTRIBUTE = "mycroft.token";
    private static final String BEARER = "Bearer ";
    private static final Pattern PAGE_FILE = Pattern.compile("/[A-Za-z0-9_-]+\\.(html|js|css)");
    /** Anyone, when the API is open. */
    private static final RestPrincipal ANYONE = new RestPrincipal("anonymous", RestPrincipal.Role.OPERATOR, null);

    private final RestTokens tokens;

    private RestAuth(RestTokens tokens) {
        this.tokens = tokens;
    }

    /** No token file: every route open, every caller sees everything (the non-secure stack). */
    static RestAuth open() {
        return new RestAuth(null);
    }

    static RestAuth with(RestTokens tokens) {
        return new RestAuth(tokens);
    }

    /** From {@link MycroftStreamsConfig#REST_TOKENS_FILE}: open when unset. */
    static RestAuth from(MycroftStreamsConfig config) {
        String file = config.get(MycroftStreamsConfig.REST_TOKENS_FILE);
        return file == null || file.isBlank() ? open() : with(RestTokens.load(java.nio.file.Path.of(file.strip())));
    }

    /** Authenticates every matched route but {@code /health}; takes the page's {@code ?token=} into a cookie. */
    void register(JavalinConfig config) {
        if (tokens == null) {
            return;
        }
        config.routes.before("/", this::login);
        config.routes.beforeMatched(this::authenticate);
    }

    private void authenticate(Context ctx) {
        if (isPublic(ctx.path())) {
            return;
        }
        String token = presented(ctx);
        Optional<RestPrincipal> principal = tokens.authenticate(token);
        if (principal.isEmpty()) {
            deny(ctx, 401, token == null ? "a bearer token is needed (Authorization: Bearer <token>)" : "unknown token");
            return;
        }
        ctx.attribute(PRINCIPAL_ATTRIBUTE, principal.get());
        ctx.attribute(TOKEN_ATTRIBUTE, token);
    }

    /**
     * {@code /health} and the page's static files: {@code /}, {@code /<name>.html|js|css} and {@code /webjars/...}.
     * Every other path (any route added later too) needs a token.
     */
    static boolean isPublic(String path) {
        return path.equals(HEALTH) || path.equals("/") || PAGE_FILE.matcher(path).matches()
                || path.startsWith("/webjars/") && !path.contains("..");
    }

    /** {@code /?token=T}: a known T becomes the page's cookie and the page is loaded again without it; else 401. */
    private void login(Context ctx) {
        String token = ctx.queryParam(TOKEN_PARAM);
        if (token == null) {
            return;
        }
        if (tokens.authenticate(token).isEmpty()) {
            deny(ctx, 401, "unknown token");
            return;
        }
        Cookie cookie = new Cookie(COOKIE, token);
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        cookie.setSameSite(SameSite.STRICT);
        ctx.cookie(cookie);
        String rest = ctx.queryParamMap().entrySet().stream().filter(e -> !e.getKey().equals(TOKEN_PARAM))
                .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + (v.isEmpty() ? "" : "=" + encode(v))))
                .collect(Collectors.joining("&"));
        // The browser keeps the URL's #fragment (the selected request) across the redirect.
        ctx.redirect(rest.isEmpty() ? "/" : "/?" + rest, HttpStatus.SEE_OTHER);
        ctx.skipRemainingHandlers();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String presented(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return header.substring(BEARER.length()).strip();
        }
        return ctx.cookie(COOKIE);
    }

    /** {@code handler} for callers whose principal {@code rule} allows on this request; 403 for the others. */
    Handler require(BiPredicate<RestPrincipal, Context> rule, Handler handler) {
        return ctx -> {
            if (rule.test(principal(ctx), ctx)) {
                handler.handle(ctx);
            } else {
                deny(ctx, 403, principal(ctx).name() + " may not read " + ctx.path());
            }
        };
    }

    /** The caller: its token's principal, or a stand-in operator when the API is open. */
    RestPrincipal principal(Context ctx) {
        RestPrincipal principal = ctx.attribute(PRINCIPAL_ATTRIBUTE);
        return principal == null ? ANYONE : principal;
    }

    /** The header that passes the caller's token on when this instance asks another one (or itself) for it. */
    Map<String, String> forwardHeaders(Context ctx) {
        String token = ctx.attribute(TOKEN_ATTRIBUTE);
        return token == null ? Map.of() : Map.of("Authorization", BEARER + token);
    }

    private static void deny(Context ctx, int status, String message) {
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"mycroft\"");
        }
        ctx.status(status).json(Map.of("error", message));
        ctx.skipRemainingHandlers();
    }
}
