package dev.parley.forum;

import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import dev.parley.common.DomainException;
import dev.parley.common.StorableText;
import dev.parley.common.UniqueViolations;
import dev.parley.common.ReplicaRead;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;

@Singleton
class CategoryService {

    private final CategoryRepository categories;
    private final Clock clock;

    CategoryService(CategoryRepository categories, Clock clock) {
        this.categories = categories;
        this.clock = clock;
    }

    /** Every category, by name. */
    @ReplicaRead
    @Transactional(readOnly = true)
    List<Category> list() {
        return categories.findAll(CategoryRepository.BY_NAME).stream().map(CategoryRow::view).toList();
    }

    /** Admin only; 409 when the slug is taken. */
    @Transactional
    Category create(Actor actor, ForumRequests.NewCategory request) {
        actor.require(Role.ADMIN).requireActive();
        StorableText.require("name", request.name(), "description", request.description());
        if (categories.findBySlug(request.slug()).isPresent()) {
            throw DomainException.conflict("A category with this slug exists.");
        }
        CategoryRow category = CategoryRow.newCategory(request.slug(), request.name().strip(),
                request.description() == null ? "" : request.description().strip(), clock.instant());
        return UniqueViolations.translate(() -> categories.save(category),
                () -> DomainException.conflict("A category with this slug exists.")).view();
    }
}
