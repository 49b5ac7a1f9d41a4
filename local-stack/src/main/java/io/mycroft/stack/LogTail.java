package io.mycroft.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The end of a child's log file: for error messages and for {@code ./mycroft stack logs}. */
public final class LogTail {
    private static final int BLOCK = 8192;

    private LogTail() {
    }

    /** The last {@code n} lines of {@code file} (fewer if it is shorter; none if it does not exist). */
    public static List<String> lastLines(Path file, int n) {
        if (!Files.isRegularFile(file) || n <= 0) {
            return List.of();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long start = in.length();
            byte[] tail = new byte[0];
            // Read backwards block by block until the tail holds n line breaks (plus the one ending the last line).
            while (start > 0 && countNewlines(tail) <= n) {
                int size = (int) Math.min(BLOCK, start);
                start -= size;
                byte[] block = new byte[size];
                in.seek(start);
                in.readFully(block);
                byte[] joined = Arrays.copyOf(block, size + tail.length);
                System.arraycopy(tail, 0, joined, size, tail.length);
                tail = joined;
            }
            List<String> lines = List.of(new String(tail, StandardCharsets.UTF_8).split("\n", -1));
            int end = lines.get(lines.size() - 1).isEmpty() ? lines.size() - 1 : lines.size();
            return lines.subList(Math.max(0, end - n), end);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Copies what is appended to {@code file} from byte {@code position} on to {@code out}; returns the new position. */
    public static long copyNew(Path file, long position, PrintStream out) {
        if (!Files.isRegularFile(file)) {
            return position;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            // A log that shrank was wiped by `up --fresh`: start again from its beginning.
            long from = length < position ? 0 : position;
            byte[] buffer = new byte[BLOCK];
            in.seek(from);
            int read;
            while ((read = in.read(buffer)) > 0) {
                out.write(buffer, 0, read);
            }
            out.flush();
            return in.getFilePointer();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static int countNewlines(byte[] bytes) {
        int count = 0;
        for (byte b : bytes) {
            if (b == '\n') {
                count++;
            }
        }
        return count;
    }
}
