package dev.parley.forum;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Authors' records in the forum, for moderation's trust levels. */
@Singleton
public class AuthorActivity {

    /**
     * What {@link #published} read.
     *
     * @param elsewhere      per author, how many of their posts outside the batch are published now
     *                       (rejected, flagged and deleted posts earn nothing); absent means none
     * @param batchAuthors   the author of each post of the batch that exists
     * @param batchPublished whether each post of the batch is published now
     */
    public record Published(Map<Long, Long> elsewhere, Map<Long, Long> batchAuthors,
                            Map<Long, Boolean> batchPublished) {
    }

    private final AuthorPostRepository posts;

    AuthorActivity(AuthorPostRepository posts) {
        this.posts = posts;
    }

    /**
     * The authors' published posts outside a batch of posts, and the batch's own posts, in one
     * statement: a caller deciding the batch's posts one after another keeps the batch's part current
     * itself instead of counting again for every post.
     */
    @Transactional(readOnly = true)
    public Published published(Collection<Long> authorIds, Collection<Long> batchPostIds) {
        Map<Long, Long> elsewhere = new HashMap<>();
        Map<Long, Long> authors = new HashMap<>();
        Map<Long, Boolean> published = new HashMap<>();
        for (AuthorPostRepository.PublishedRow row : posts.published(authorIds.toArray(Long[]::new),
                batchPostIds.toArray(Long[]::new))) {
            if (row.postId() == null) {
                elsewhere.put(row.authorId(), row.published());
            } else {
                authors.put(row.postId(), row.authorId());
                published.put(row.postId(), row.published() == 1);
            }
        }
        return new Published(elsewhere, authors, published);
    }
}
