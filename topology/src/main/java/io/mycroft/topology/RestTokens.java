package io.mycroft.topology;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The REST API's static token file (like the Kubernetes API server's {@code --token-auth-file}), one token a line:
 * {@code <sha256 of the token, hex>,<principal>,<role>} with role {@code operator}, {@code owner:<ownerId>} or
 * {@code trainer:<trainerId>}; {@code #} starts a comment. Only hashes are stored, so the file does not reveal a token.
 * The file is read again whenever it changes, so a token issued (or a line deleted) takes effect without a restart.
 */
public final class RestTokens {
    private static final Logger LOG = LoggerFactory.getLogger(RestTokens.class);
    private static final int TOKEN_BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    private record Entry(byte[] hash, RestPrincipal principal) {
    }

    private record Snapshot(FileTime modified, long size, List<Entry> entries) {
    }

    private final Path file;
    private volatile Snapshot snapshot;

    private RestTokens(Path file, Snapshot snapshot) {
        this.file = file;
        this.snapshot = snapshot;
    }

    /** Reads {@code file}; a missing file or a bad line is an {@link IllegalArgumentException} that names it. */
    public static RestTokens load(Path file) {
        return new RestTokens(file, read(file));
    }

    /**
     * The principal whose token is {@code token}, or empty. Every entry is compared, each in constant time
     * ({@link MessageDigest#isEqual}), so the time taken does not tell which hash was close.
     */
    public Optional<RestPrincipal> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] hash = sha256(token);
        RestPrincipal found = null;
        for (Entry entry : current().entries()) {
            if (MessageDigest.isEqual(hash, entry.hash()) && found == null) {
                found = entry.principal();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The entries as last read, read again first if the file's time or size changed; a broken new file keeps the old. */
    private Snapshot current() {
        Snapshot known = snapshot;
        try {
            if (!Files.getLastModifiedTime(file).equals(known.modified()) || Files.size(file) != known.size()) {
                snapshot = read(file);
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("token file {} not re-read, keeping the {} tokens read before: {}", file, known.entries().size(), e.getMessage());
        }
        return snapshot;
    }

    private static Snapshot read(Path file) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            List<Entry> entries = new ArrayList<>();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                entries.add(entry(line, file + " line " + (i + 1)));
            }
            return new Snapshot(modified, size, List.copyOf(entries));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no REST token file " + file + " (" + MycroftStreamsConfig.REST_TOKENS_FILE + ")", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read REST token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Entry entry(String line, String where) {
        String[] fields = line.split(",", -1);
        if (fields.length != 3) {
            throw new IllegalArgumentException(where + " is not <sha256 hex>,<principal>,<role>");
        }
        byte[] hash;
        try {
            hash = HEX.parseHex(fields[0].strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": '" + fields[0] + "' is not a hex SHA-256", e);
        }
        if (hash.length != 32) {
            throw new IllegalArgumentException(where + ": '" + fields[0] + "' is not a SHA-256 (64 hex digits)");
        }
        try {
            return new Entry(hash, RestPrincipal.parse(fields[1].strip(), fields[2].strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes a new random token for {@code principal} with {@code role}, appends its hash to {@code file} (created
     * owner-only if absent) and returns the token, which is stored nowhere else.
     */
    public static String issue(Path file, String principal, String role) {
        RestPrincipal parsed = RestPrincipal.parse(principal, role);
        byte[] bytes = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String line = HEX.formatHex(sha256(token)) + "," + parsed.name() + "," + parsed.roleText() + "\n";
        try {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, "# Mycroft REST tokens: <sha256 of the token>,<principal>,<role>; see RestTokens\n");
            }
            Files.writeString(file, line, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write REST token file " + file, e);
        }
        return token;
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
