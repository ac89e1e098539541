package io.reel.transcode.encode;

import java.util.List;

/** {@link SplitStitchCheck} on a 30 fps source whose own keyframes are 10 s apart, off the chunk edges. */
class SplitStitchIT extends SplitStitchCheck {
    @Override
    String frameRate() {
        return "30/1";
    }

    @Override
    List<String> keyframeOptions() {
        return List.of("-g", "300");
    }
}
