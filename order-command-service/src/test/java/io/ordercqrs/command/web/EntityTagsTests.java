package io.ordercqrs.command.web;

import io.ordercqrs.service.web.InvalidRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EntityTagsTests {

    @Test
    void writesVersionsAsStrongEntityTags() {
        assertThat(EntityTags.of(3)).isEqualTo("\"3\"");
    }

    @Test
    void readsTheVersionAnIfMatchAsksFor() {
        assertThat(EntityTags.expectedVersion("\"3\"")).isEqualTo(3L);
        assertThat(EntityTags.expectedVersion("W/\"12\"")).isEqualTo(12L);
        assertThat(EntityTags.expectedVersion(null)).isNull();
        assertThat(EntityTags.expectedVersion("*")).isNull();
    }

    @Test
    void refusesIfMatchValuesThatAreNotOneVersion() {
        assertThatThrownBy(() -> EntityTags.expectedVersion("3")).isInstanceOf(InvalidRequest.class)
                .hasMessageContaining("If-Match");
        assertThatThrownBy(() -> EntityTags.expectedVersion("\"1\", \"2\"")).isInstanceOf(InvalidRequest.class);
        assertThatThrownBy(() -> EntityTags.expectedVersion("\"abc\"")).isInstanceOf(InvalidRequest.class);
    }
}
