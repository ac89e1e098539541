package io.reel.transcode.encode;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacv.FFmpegFrameFilter;
import org.bytedeco.javacv.FrameFilter;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * The seek-bar preview: a tile of 160 px width every N seconds (N ≥ 2, at most 100 tiles, so a long film gets one
 * image of bounded size), laid out 10 per row in one JPEG, and a WebVTT track whose cues name a tile each as
 * {@code storyboard.jpg#xywh=x,y,w,h} (the W3C media-fragment form players such as Video.js and hls.js plugins read).
 * The image is referred to relative to the cues' own location, {@code videos/{id}/}.
 */
final class Storyboard implements AutoCloseable {
    static final String IMAGE = "storyboard.jpg";
    static final String CUES = "storyboard.vtt";
    static final int TILE_WIDTH = 160;
    static final int MAX_TILES = 100;
    static final int MIN_INTERVAL_SECONDS = 2;
    static final int COLUMNS = 10;

    private final long durationMicros;
    private final double intervalSeconds;
    private final int tileWidth;
    private final int tileHeight;
    private final List<BufferedImage> tiles = new ArrayList<>();
    private int firstTile; // the index of tiles.get(0) in the whole video
    private final List<Long> tileMicros = new ArrayList<>();
    private final Java2DFrameConverter converter = new Java2DFrameConverter();
    private final double frameRate;
    private FFmpegFrameFilter scaler;

    Storyboard(long durationMicros, int displayWidth, int displayHeight, double frameRate) {
        this.durationMicros = durationMicros;
        this.frameRate = frameRate;
        double seconds = Math.max(durationMicros / 1e6, 0.001);
        intervalSeconds = Math.max(MIN_INTERVAL_SECONDS, Math.ceil(seconds / MAX_TILES));
        tileWidth = TILE_WIDTH;
        tileHeight = LadderPlan.evenNearest((double) TILE_WIDTH * displayHeight / displayWidth);
    }

    /** Offers a packed yuv420p picture at {@code micros} from the start; keeps it if a tile is due. */
    void offer(Frame picture, long micros) throws FrameFilter.Exception {
        long due = Math.round((firstTile + tiles.size()) * intervalSeconds * 1e6);
        if (micros < due || firstTile + tiles.size() >= MAX_TILES) {
            return;
        }
        if (scaler == null) {
            scaler = new FFmpegFrameFilter("scale=" + tileWidth + ":" + tileHeight + ":flags=bicubic,format=bgr24",
                    picture.imageWidth, picture.imageHeight);
            scaler.setPixelFormat(AV_PIX_FMT_YUV420P);
            scaler.setFrameRate(frameRate);
            scaler.start();
        }
        scaler.push(picture, AV_PIX_FMT_YUV420P);
        BufferedImage scaled = converter.convert(scaler.pullImage());
        BufferedImage tile = new BufferedImage(tileWidth, tileHeight, BufferedImage.TYPE_3BYTE_BGR);
        tile.getGraphics().drawImage(scaled, 0, 0, null); // the converter reuses its image
        tiles.add(tile);
        tileMicros.add(due);
    }

    int tiles() {
        return tiles.size();
    }

    /** Leaves the tiles due before {@code micros} to others: a chunk of the split path offers only its own frames. */
    void skipTo(long micros) {
        if (!tiles.isEmpty()) {
            throw new IllegalStateException("Tiles were taken already");
        }
        firstTile = (int) Math.min(MAX_TILES, Math.ceil(micros / (intervalSeconds * 1e6) - 1e-9));
    }

    /** The seconds between tiles of a video of this length. */
    double intervalSeconds() {
        return intervalSeconds;
    }

    /**
     * Writes each tile taken as {@code {index}.png} (lossless: the sheet is made, and compressed, once) into
     * {@code folder}, indexed in the whole video; returns the indexes.
     */
    List<Integer> writeTiles(Path folder) throws IOException {
        List<Integer> written = new ArrayList<>();
        for (int i = 0; i < tiles.size(); i++) {
            int index = firstTile + i;
            if (!javax.imageio.ImageIO.write(tiles.get(i), "png", folder.resolve(index + ".png").toFile())) {
                throw new IOException("No PNG writer for a storyboard tile");
            }
            written.add(index);
        }
        return written;
    }

    /**
     * The split path's storyboard: the tiles its chunks wrote, each at its index's due time, as one sheet and cues,
     * exactly as {@link #write} lays out a one-invocation storyboard. A tile index no chunk took (a gap in the
     * source's frames at a chunk's end) shows its predecessor.
     *
     * @param tiles by index; indexes from 0 to the last one present
     */
    static boolean writeSheet(Path folder, java.util.SortedMap<Integer, BufferedImage> tiles, long durationMicros,
                              int displayWidth, int displayHeight, double frameRate) throws IOException {
        if (tiles.isEmpty()) {
            return false;
        }
        Storyboard board = new Storyboard(durationMicros, displayWidth, displayHeight, frameRate);
        BufferedImage previous = tiles.get(tiles.firstKey());
        for (int index = 0; index <= tiles.lastKey() && index < MAX_TILES; index++) {
            BufferedImage tile = tiles.getOrDefault(index, previous);
            board.tiles.add(tile);
            board.tileMicros.add(Math.round(index * board.intervalSeconds * 1e6));
            previous = tile;
        }
        return board.write(folder);
    }

    /** Writes {@code storyboard.jpg} and {@code storyboard.vtt} into {@code folder}; false when no tile was taken. */
    boolean write(Path folder) throws IOException {
        int count = tiles.size();
        if (count == 0) {
            return false;
        }
        int columns = Math.min(COLUMNS, count);
        int rows = (count + columns - 1) / columns;
        BufferedImage sheet = new BufferedImage(columns * tileWidth, rows * tileHeight, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D graphics = sheet.createGraphics();
        StringBuilder cues = new StringBuilder("WEBVTT\n\n");
        double end = Math.max(durationMicros / 1e6, tileMicros.getLast() / 1e6 + 0.001);
        for (int i = 0; i < count; i++) {
            int x = (i % columns) * tileWidth;
            int y = (i / columns) * tileHeight;
            graphics.drawImage(tiles.get(i), x, y, null);
            double from = tileMicros.get(i) / 1e6;
            double to = i + 1 < count ? tileMicros.get(i + 1) / 1e6 : end;
            cues.append(time(from)).append(" --> ").append(time(to)).append('\n')
                    .append(IMAGE).append("#xywh=").append(x).append(',').append(y).append(',')
                    .append(tileWidth).append(',').append(tileHeight).append("\n\n");
        }
        graphics.dispose();
        Jpeg.write(sheet, folder.resolve(IMAGE), 0.80f);
        Files.writeString(folder.resolve(CUES), cues.toString(), StandardCharsets.UTF_8);
        return true;
    }

    static String time(double seconds) {
        long ms = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }

    @Override
    public void close() throws FrameFilter.Exception {
        if (scaler != null) {
            scaler.close();
            scaler = null;
        }
    }
}
