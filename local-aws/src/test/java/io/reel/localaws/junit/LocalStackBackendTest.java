package io.reel.localaws.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LocalStackBackendTest {

    @Test
    void start_withoutDocker_explainsAndSuggestsTheEmbeddedBackend() {
        assertThatThrownBy(() -> LocalStackBackend.start(() -> false))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("-Dreel.aws=localstack")
                .hasMessageContaining("Docker")
                .hasMessageContaining("skipped");
    }

    @Test
    void unknownBackend_isRefusedWithTheChoices() {
        assertThatThrownBy(() -> LocalAwsExtension.startBackend("minio"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("embedded")
                .hasMessageContaining("localstack");
    }

    @Test
    void image_isPinned() {
        assertThat(LocalStackBackend.IMAGE).matches("localstack/localstack:\\d+\\.\\d+");
    }
}
