package io.reel.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.reel.core.http.Problem;
import io.reel.media.UploadRules.CompleteUpload;
import io.reel.media.UploadRules.NewUpload;
import io.reel.media.UploadRules.UploadedPart;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UploadRulesTest {
    private static final long MAX = 5_368_709_120L;

    @ParameterizedTest
    @CsvSource({"video/mp4,a.mp4", "video/mp4,a.M4V", "VIDEO/MP4,a.mp4", "video/quicktime,a.mov", "video/x-matroska,a.b.mkv",
            "video/webm,Ferien 2024 – Strand 🌊.webm"})
    void checkNew_whenEveryFieldIsValid_isEmpty(String contentType, String fileName) {
        assertThat(UploadRules.checkNew(new NewUpload("A title", null, fileName, contentType, num(1L)), MAX)).isEmpty();
    }

    @Test
    void checkNew_whenTitleAndDescriptionAreAtTheirLimits_isEmpty() {
        String title = " " + "😀".repeat(MediaRoutes.MAX_TITLE) + " ";
        String description = "é".repeat(MediaRoutes.MAX_DESCRIPTION);
        assertThat(UploadRules.checkNew(new NewUpload(title, description, "a.mp4", "video/mp4", num(MAX)), MAX)).isEmpty();
        assertThat(detail(UploadRules.checkNew(new NewUpload(title + "x", description, "a.mp4", "video/mp4", num(1)), MAX)))
                .startsWith("title");
        assertThat(detail(UploadRules.checkNew(new NewUpload("t", description + "x", "a.mp4", "video/mp4", num(1)), MAX)))
                .startsWith("description");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x.mp4", "a/b.mp4", "a\\b.mp4", "a\u0000.mp4", "a\u007f.mp4", "a\u0085.mp4", "a\u202e4pm.exe",
            "a\u200b.mp4", "\ud800.mp4", "x.exe", "x", "x.", ".mp4", "", "x.mp4.exe"})
    void checkFileName_whenHostileOrNotAVideo_namesTheField(String fileName) {
        assertThat(detail(UploadRules.checkFileName(fileName))).startsWith("fileName");
    }

    @Test
    void checkFileName_limitsTheLengthTo255() {
        assertThat(UploadRules.checkFileName("f".repeat(251) + ".mp4")).isEmpty();
        assertThat(UploadRules.checkFileName("f".repeat(252) + ".mp4")).isPresent();
        assertThat(UploadRules.checkFileName(null)).isPresent();
    }

    @Test
    void checkNew_whenTheExtensionIsAnotherTypes_saysWhichWasExpected() {
        var refused = UploadRules.checkNew(new NewUpload("t", null, "a.mov", "video/mp4", num(1)), MAX);
        assertThat(detail(refused)).contains(".mov", "video/mp4", ".mp4 or .m4v");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/html", "video/mp4; codecs=avc1", "video/*", "", "video/x-msvideo"})
    void checkNew_whenContentTypeIsNotAVideoWeTake_namesTheField(String contentType) {
        assertThat(detail(UploadRules.checkNew(new NewUpload("t", null, "a.mp4", contentType, num(1)), MAX)))
                .startsWith("contentType");
    }

    @Test
    void checkSize_acceptsWholeNumbersFrom1ToTheMaximum_andAnswers413AboveIt() {
        assertThat(UploadRules.checkSize(num(1), MAX)).isEmpty();
        assertThat(UploadRules.checkSize(num(MAX), MAX)).isEmpty();
        assertThat(UploadRules.checkSize(num(MAX + 1), MAX).orElseThrow().status()).isEqualTo(413);
        assertThat(detail(UploadRules.checkSize(num(MAX + 1), MAX))).contains("5368709120", "5 GiB");
        assertThat(UploadRules.checkSize(num(new BigInteger("1" + "0".repeat(30))), MAX).orElseThrow().status())
                .isEqualTo(413);
        for (Object bad : java.util.Arrays.asList(num(0), num(-1), num(1.5), num(2.0),
                "12", true, null, List.of())) {
            Optional<Problem> refused = UploadRules.checkSize(bad, MAX);
            assertThat(refused).as(String.valueOf(bad)).isPresent();
            assertThat(refused.orElseThrow().status()).isEqualTo(400);
            assertThat(refused.orElseThrow().detail()).startsWith("size");
        }
        assertThat(detail(UploadRules.checkSize(null, MAX))).startsWith("size is required");
    }

    @Test
    void checkCompletion_acceptsPartsNumberedFrom1WithoutGaps() {
        assertThat(UploadRules.checkCompletion(new CompleteUpload("upload-1", parts(1)))).isEmpty();
        assertThat(UploadRules.checkCompletion(new CompleteUpload("upload-1", parts(UploadRules.MAX_PARTS)))).isEmpty();
    }

    @Test
    void checkCompletion_refusesEveryOtherPartList() {
        List<UploadedPart> gap = new ArrayList<>(parts(3));
        gap.remove(1);
        List<UploadedPart> withNull = new ArrayList<>(parts(2));
        withNull.set(1, null);
        assertThat(detail(UploadRules.checkCompletion(new CompleteUpload("u", gap)))).startsWith("parts[1].partNumber must be 2");
        assertThat(detail(UploadRules.checkCompletion(new CompleteUpload("u", withNull)))).startsWith("parts[1] is missing");
        assertThat(detail(UploadRules.checkCompletion(new CompleteUpload("u", parts(UploadRules.MAX_PARTS + 1))))).startsWith("parts");
        assertThat(detail(UploadRules.checkCompletion(new CompleteUpload("u", List.of())))).startsWith("parts");
        assertThat(detail(UploadRules.checkCompletion(new CompleteUpload("u", null)))).startsWith("parts");
        assertThat(detail(UploadRules.checkCompletion(new CompleteUpload("u", List.of(part(num(1.0), "e"))))))
                .startsWith("parts[0].partNumber");
        assertThat(detail(UploadRules.checkCompletion(new CompleteUpload("u", List.of(part("1", "e"))))))
                .startsWith("parts[0].partNumber");
        assertThat(detail(UploadRules.checkCompletion(new CompleteUpload("u", List.of(part(num(1L << 32 | 1), "e"))))))
                .startsWith("parts[0].partNumber");
        for (String etag : new String[] {null, "", "  ", "e".repeat(UploadRules.MAX_ETAG + 1), "a\nb"}) {
            assertThat(detail(UploadRules.checkCompletion(new CompleteUpload("u", List.of(part(num(1), etag))))))
                    .as(String.valueOf(etag)).startsWith("parts[0].etag");
        }
        for (String uploadId : new String[] {null, "", " ", "a b", "a\u0000", "x".repeat(UploadRules.MAX_UPLOAD_ID + 1), "é"}) {
            assertThat(detail(UploadRules.checkCompletion(new CompleteUpload(uploadId, parts(1))))).as(String.valueOf(uploadId))
                    .startsWith("uploadId");
        }
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"a.mp4,mp4", "a.B.MoV,mov", "a,null", ".mp4,null", "a.,null", "null,null"})
    void extension_isTheLowerCasedTextAfterTheLastDot(String fileName, String extension) {
        assertThat(UploadRules.extension(fileName)).isEqualTo(extension);
    }

    @Test
    void readable_showsWholeGibAndMib() {
        assertThat(UploadRules.readable(5L << 30)).isEqualTo("5 GiB");
        assertThat(UploadRules.readable(7L << 20)).isEqualTo("7 MiB");
        assertThat(UploadRules.readable((7L << 20) + (1L << 19))).isEqualTo("7.5 MiB");
    }

    private static List<UploadedPart> parts(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(n -> part(num(n), "\"etag-" + n + "\"")).toList();
    }

    /** Numbers as io.reel.core.JsonBodies reads them: whole ones as Long (BigInteger beyond), others as Double. */
    private static Object num(long value) {
        return value;
    }

    private static Object num(double value) {
        return value;
    }

    private static Object num(BigInteger value) {
        return value;
    }

    private static UploadedPart part(Object number, String etag) {
        return new UploadedPart(number, etag);
    }

    private static String detail(Optional<Problem> problem) {
        assertThat(problem).isPresent();
        return problem.orElseThrow().detail();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"a\u0000b", "evil\u202Egnp", "x\u2067y", "tab\there", "zero\u200Bwidth"})
    void titlesRefuseControlsAndInvisibleFormatting(String title) {
        assertThat(detail(UploadRules.checkNew(new NewUpload(title, null, "a.mp4", "video/mp4", num(1)), MAX)))
                .as(title).startsWith("title must");
        assertThat(detail(UploadRules.checkNew(new NewUpload("t", title + "\u0001", "a.mp4", "video/mp4", num(1)), MAX)))
                .startsWith("description must");
    }
}
