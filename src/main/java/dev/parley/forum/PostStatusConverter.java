package dev.parley.forum;

import dev.parley.common.LowercaseEnumConverter;
import jakarta.inject.Singleton;

/** Stores a post status as its lowercase wire name, the values the {@code posts.status} check allows. */
@Singleton
class PostStatusConverter extends LowercaseEnumConverter<PostStatus> {

    PostStatusConverter() {
        super(PostStatus.class);
    }
}
