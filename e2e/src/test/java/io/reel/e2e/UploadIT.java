package io.reel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** Sending videos from the page: progress, processing to READY or FAILED, refusals before a byte is sent, cancel, leave. */
@ExtendWith(BrowserExtension.class)
class UploadIT {
    private static final LocatorAssertions.ContainsTextOptions TRANSCODE = new LocatorAssertions.ContainsTextOptions().setTimeout(180_000);

    @TempDir
    Path files;

    private static Page uploadPage(Web web) {
        String uploader = web.platform().newAccount("sender", "uploader");
        Page page = web.signIn(web.page(), uploader, web.platform().password(uploader));
        page.getByRole(AriaRole.NAVIGATION).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Upload")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Upload a video"))).isVisible();
        return page;
    }

    private static void choose(Page page, Path file, String title) {
        page.getByLabel("Choose a video").setInputFiles(file);
        if (title != null) {
            page.getByLabel("Title").fill(title);
        }
    }

    private static List<Request> apiRequests(Page page, String pathPart) {
        List<Request> seen = new CopyOnWriteArrayList<>();
        page.onRequest(request -> {
            if (request.url().contains("/api" + pathPart)) {
                seen.add(request);
            }
        });
        return seen;
    }

    @Test
    void aClip_isSentWithProgress_processedToReady_andPlays(Web web) {
        Page page = uploadPage(web);
        choose(page, Clips.smallVideo(files, "holiday_at_sea.mp4", 4), null);
        assertThat(page.getByLabel("Title")).hasValue("holiday at sea");
        page.getByLabel("Title").fill("Holiday at sea");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload")).click();
        Locator progress = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Upload progress"));
        assertThat(progress.getByRole(AriaRole.PROGRESSBAR, new Locator.GetByRoleOptions().setName("Sent"))).isVisible();
        assertThat(progress.locator(".progress-line")).containsText(" of ");
        Locator ready = progress.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Watch “Holiday at sea”"));
        assertThat(progress).containsText("Ready.", TRANSCODE);
        web.screenshot(page, "upload-ready");
        ready.click();
        PlayerProbe player = new PlayerProbe(page);
        player.play();
        player.awaitTimeAtLeast(1, 15_000);
        assertThat(player.mediaError()).isZero();

        page.getByRole(AriaRole.NAVIGATION).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("My videos")).click();
        Locator mine = page.locator(".my-video").filter(new Locator.FilterOptions().setHasText("Holiday at sea"));
        assertThat(mine.locator(".badge")).hasText("Ready");
        web.screenshot(page, "my-videos");
    }

    /**
     * Issue #16 from the page: a video over the platform's split threshold (20 s here) is encoded in chunks of 12 s by
     * the state machine and stitched; it becomes Ready like any other and plays on across the chunks' edges.
     */
    @Test
    void aLongVideo_isEncodedInChunks_andPlaysAcrossTheirEdges(Web web) {
        Page page = uploadPage(web);
        choose(page, Clips.smallVideo(files, "long_talk.mp4", 30), "Long talk");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload")).click();
        Locator progress = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Upload progress"));
        assertThat(progress).containsText("Ready.", TRANSCODE);
        progress.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Watch “Long talk”")).click();
        PlayerProbe player = new PlayerProbe(page);
        player.play();
        player.awaitTimeAtLeast(1, 15_000);
        player.seek(10.5); // the first chunk ends at 12 s, the second at 24 s
        player.awaitTimeAtLeast(13, 20_000);
        player.seek(23);
        player.awaitTimeAtLeast(25, 20_000);
        assertThat(player.mediaError()).isZero();
        org.assertj.core.api.Assertions.assertThat(player.duration()).isBetween(29.9, 30.1);
    }

    @Test
    void aLargeFile_goesInParts_andAFailedPartIsRetried(Web web) {
        Page page = uploadPage(web);
        AtomicInteger secondPartAttempts = new AtomicInteger();
        // The first attempt at part 2 loses its connection; the page must send that part again.
        page.route(url -> url.contains("partNumber=2"), route -> {
            if (secondPartAttempts.incrementAndGet() == 1) {
                route.abort("connectionreset");
            } else {
                route.resume();
            }
        });
        web.expectNetworkFailures(); // the cut connection
        choose(page, Clips.largeVideo(files, "noise.mp4"), "Noise in parts");
        var completed = page.waitForResponse(r -> r.url().matches(".*/api/uploads/[a-z2-7]{26}/complete$"),
                new Page.WaitForResponseOptions().setTimeout(60_000),
                () -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload")).click());
        assertThat(completed.status()).as(completed.text()).isEqualTo(202);
        assertThat(secondPartAttempts.get()).as("attempts at part 2").isEqualTo(2);
        JsonNode parts = Json.read(completed.request().postData()).path("parts");
        assertThat(parts).hasSize(2);
        assertThat(parts.get(1).path("partNumber").asInt()).isEqualTo(2);
        Locator progress = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Upload progress"));
        assertThat(progress.locator(".processing")).isVisible();
        // Processing to READY is not asserted: the local S3 gives a completed multipart object another ETag than the
        // event carries, so the transcoder refuses it ("replaced while it was being processed") - issue #15, item 9.
    }

    @Test
    void aFileThatOnlyLooksLikeAVideo_failsWithTheServersReason(Web web) throws IOException {
        Page page = uploadPage(web);
        choose(page, Clips.brokenVideo(files), "Not really a video");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload")).click();
        Locator progress = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Upload progress"));
        assertThat(progress).containsText("Reel could not use this file.", TRANSCODE);
        String reason = progress.locator(".processing").innerText();
        assertThat(reason).contains("video").doesNotContain("Exception").doesNotContain("{");
        web.screenshot(page, "upload-failed");
    }

    @Test
    void aTextFileRenamedMp4_isRefusedBeforeAnyByteIsSent(Web web) throws IOException {
        Page page = uploadPage(web);
        List<Request> uploads = apiRequests(page, "/uploads");
        Path text = Files.writeString(files.resolve("notes.mp4"), "Shopping list: milk, bread, eggs.\n");
        page.getByLabel("Choose a video").setInputFiles(text);
        assertThat(page.locator("#file-status")).hasText("“notes.mp4” is a text file, not a video, even though its name ends in .mp4.");
        page.getByLabel("Title").fill("Notes");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).hasText("Choose a video file first.");
        assertThat(uploads.stream().filter(r -> r.method().equals("POST"))).as("no upload was started").isEmpty();
    }

    @Test
    void anOversizedFile_isRefusedBeforeAnyByteIsSent(Web web) throws IOException {
        Page page = uploadPage(web);
        List<Request> uploads = apiRequests(page, "/uploads");
        assertThat(page.locator("#file-help")).containsText("up to 200 MiB");
        Path big = files.resolve("huge.mp4");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.write(new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'});
            file.setLength(201L * 1024 * 1024); // sparse: no disk is spent
        }
        page.getByLabel("Choose a video").setInputFiles(big);
        assertThat(page.locator("#file-status")).hasText("“huge.mp4” is 201 MiB; the largest upload Reel accepts is 200 MiB.");
        assertThat(uploads.stream().filter(r -> r.method().equals("POST"))).isEmpty();
    }

    /** Slows the page's uploads to `bytesPerSecond`, as a poor connection would. */
    private static void throttleUploads(Page page, int bytesPerSecond) {
        CDPSession cdp = page.context().newCDPSession(page);
        cdp.send("Network.enable");
        JsonObject conditions = new JsonObject();
        conditions.addProperty("offline", false);
        conditions.addProperty("latency", 0);
        conditions.addProperty("downloadThroughput", -1);
        conditions.addProperty("uploadThroughput", bytesPerSecond);
        cdp.send("Network.emulateNetworkConditions", conditions);
    }

    /** The page's POST /uploads answer for the video it is sending slowly. */
    private static JsonNode startSlowUpload(Web web, Page page, Path file, String title) {
        throttleUploads(page, 256 * 1024);
        choose(page, file, title);
        var started = page.waitForResponse(r -> r.url().endsWith("/api/uploads") && r.request().method().equals("POST"),
                () -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload")).click());
        assertThat(started.status()).isEqualTo(201);
        JsonNode answer = Json.read(started.text());
        assertThat(answer.path("multipart").isObject()).as("a multipart upload").isTrue();
        Await.until(page, "document.querySelector('.upload-progress progress')?.value > 0", 20_000);
        return answer;
    }

    private static void assertNothingLeft(Web web, String owner, JsonNode started) {
        String videoId = started.path("videoId").asText();
        String token = web.platform().signIn(owner);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (web.platform().call("GET", "/videos/" + videoId, token, null).status() != 404 && System.nanoTime() < deadline) {
            Platform.sleep(250);
        }
        assertThat(web.platform().call("GET", "/videos/" + videoId, token, null).status()).as("the video is gone").isEqualTo(404);
        // The cancel request removes the video, then aborts its upload: the video can be gone a moment before that.
        var open = web.platform().s3().listMultipartUploads(r -> r.bucket(web.platform().uploadsBucket()).prefix("uploads/" + videoId + "/"));
        while (!open.uploads().isEmpty() && System.nanoTime() < deadline) {
            Platform.sleep(250);
            open = web.platform().s3().listMultipartUploads(r -> r.bucket(web.platform().uploadsBucket()).prefix("uploads/" + videoId + "/"));
        }
        assertThat(open.uploads()).as("no multipart upload left open").isEmpty();
    }

    @Test
    void cancel_abortsTheUpload_andLeavesNothing(Web web) {
        Page page = uploadPage(web);
        String owner = currentUser(page);
        JsonNode started = startSlowUpload(web, page, Clips.largeVideo(files, "slow.mp4"), "Cancelled");
        String videoId = started.path("videoId").asText();
        var cancelled = page.waitForResponse(r -> r.url().contains("/api/uploads/" + videoId + "?uploadId=") && r.request().method().equals("DELETE"),
                () -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel upload")).click());
        assertThat(cancelled.status()).isEqualTo(204);
        assertThat(page.getByRole(AriaRole.STATUS).filter(new Locator.FilterOptions().setHasText("cancelled"))).hasText(
                "Upload cancelled. Nothing was kept.");
        assertNothingLeft(web, owner, started);
    }

    @Test
    void leavingMidUpload_asksFirst_andAbortsWhenTheViewerGoes(Web web) {
        Page page = uploadPage(web);
        String owner = currentUser(page);
        JsonNode started = startSlowUpload(web, page, Clips.largeVideo(files, "leave.mp4"), "Left behind");
        List<String> asked = new CopyOnWriteArrayList<>();
        page.onDialog(dialog -> {
            asked.add(dialog.message());
            dialog.accept();
        });
        page.getByRole(AriaRole.NAVIGATION).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Browse")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Browse"))).isVisible();
        assertThat(asked).containsExactly("A video is still being sent. Leave and cancel the upload?");
        assertNothingLeft(web, owner, started);
    }

    @Test
    void closingTheTabMidUpload_abortsIt(Web web) {
        Page page = uploadPage(web);
        String owner = currentUser(page);
        JsonNode started = startSlowUpload(web, page, Clips.largeVideo(files, "closed.mp4"), "Closed tab");
        page.close(new Page.CloseOptions().setRunBeforeUnload(false));
        assertNothingLeft(web, owner, started);
    }

    private static String currentUser(Page page) {
        String label = page.getByRole(AriaRole.NAVIGATION).locator(".nav-account a").innerText();
        return label.replace("Your account:", "").strip(); // the prefix is for screen readers
    }
}
