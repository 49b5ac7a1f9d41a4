package io.mycroft.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A screenshot of the dashboard for the demo report, taken by headless Chromium when it is installed ({@code chromium};
 * {@code ./mycroft test} installs it). The page is opened in its snapshot mode ({@code ?snapshot}: the ranking and
 * progress read once as JSON instead of from the live streams, which never finish loading), so Chromium's virtual
 * time budget ends once the page is drawn.
 */
final class PageScreenshot {
    private static final List<Path> BROWSERS = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"));
    private static final long TIMEOUT_SECONDS = 60;
    /** Virtual time Chromium gives the page (its snapshot mode loads a finite amount of JSON) before it shoots. */
    private static final long SETTLE_MS = 5_000;

    private PageScreenshot() {
    }

    /** The screenshot file, or empty with the reason when there is no browser or it failed. */
    static Optional<String> take(String url, Path file) throws InterruptedException {
        Path browser = BROWSERS.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (browser == null) {
            return Optional.of("no screenshot: chromium is not installed (apt-get install chromium)");
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            // --no-sandbox: Chromium's sandbox refuses to start as root (containers, CI).
            Process chromium = new ProcessBuilder(browser.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--hide-scrollbars", "--window-size=1400,1250", "--virtual-time-budget=" + SETTLE_MS,
                    "--screenshot=" + file.toAbsolutePath(), url)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!chromium.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                chromium.destroyForcibly();
                return Optional.of("no screenshot: chromium did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return Files.isRegularFile(file) ? Optional.empty()
                    : Optional.of("no screenshot: chromium exited with " + chromium.exitValue() + " and wrote nothing");
        } catch (IOException e) {
            return Optional.of("no screenshot: " + e.getMessage());
        }
    }
}
