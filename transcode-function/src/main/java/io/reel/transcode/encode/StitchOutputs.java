package io.reel.transcode.encode;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;

/**
 * The split path's last step over the whole video (issue #16): the master playlist from every stitched rung's
 * measured facts, and the storyboard from every chunk's tiles, laid out as a one-invocation encode lays them out.
 * (The poster is the best-scoring chunk's candidate, {@link FfmpegLadderEncoder.ChunkEncoded#posterScore()}.)
 */
public final class StitchOutputs {
    private StitchOutputs() {
    }

    /** Writes {@code hls/master.m3u8} under {@code outDir}; {@code variants} in the order of {@code rungs}. */
    public static void master(Path outDir, List<LadderPlan.Output> rungs, List<MasterPlaylist.Variant> variants, boolean audio,
                              double frameRate) throws IOException {
        if (rungs.size() != variants.size()) {
            throw new IllegalArgumentException(rungs.size() + " rungs but " + variants.size() + " measured playlists");
        }
        MasterPlaylist.write(java.nio.file.Files.createDirectories(outDir.resolve("hls")), rungs, variants, audio, frameRate);
    }

    /** The master playlist's name under {@code hls/}. */
    public static String masterName() {
        return MasterPlaylist.NAME;
    }

    /**
     * Writes {@code storyboard.jpg} and {@code storyboard.vtt} into {@code outDir} from tiles by index.
     *
     * @return the sprite's name, or null when no chunk took a tile
     */
    public static String storyboard(Path outDir, SortedMap<Integer, BufferedImage> tiles, long durationMicros,
                                    LadderPlan.Output top, double frameRate) throws IOException {
        return Storyboard.writeSheet(outDir, tiles, durationMicros, top.width(), top.height(), frameRate) ? Storyboard.IMAGE : null;
    }
}
