package io.reel.transcode.encode;

import java.util.List;

/**
 * {@link SplitStitchCheck} on the bad input issue #16 names: a source with one keyframe (its first) and no other, so
 * every chunk's pre-roll decodes from the very start; at 29.97 fps, whose frames fall off the chunk edges.
 */
class SplitStitchOneKeyframeIT extends SplitStitchCheck {
    @Override
    String frameRate() {
        return "30000/1001";
    }

    @Override
    List<String> keyframeOptions() {
        return List.of("-x264-params", "keyint=infinite:scenecut=0");
    }
}
