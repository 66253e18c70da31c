package dev.parley.moderation;

import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import dev.parley.common.DomainException;
import dev.parley.common.Problem;
import dev.parley.moderation.rules.Rule;
import dev.parley.moderation.rules.RuleMatcher;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The watched words, phrases and regular expressions of the rules provider. They live in the
 * database, not in memory, so every instance applies the same set the moment an admin changes it.
 */
@Singleton
class RulesService {

    private final RuleRepository rules;
    private final AuditLog audit;

    RulesService(RuleRepository rules, AuditLog audit) {
        this.rules = rules;
        this.audit = audit;
    }

    @Transactional(readOnly = true)
    List<Rule> all() {
        return rules.listOrderById().stream().map(RuleRow::rule).toList();
    }

    @Transactional(readOnly = true)
    RuleSet view(Actor actor) {
        actor.require(Role.MODERATOR);
        return new RuleSet(all().stream().map(r -> new RuleSet.RuleEntry(r.pattern(), r.kind().wire(),
                r.category(), r.score())).toList());
    }

    /** Replaces every rule (admin). Invalid rules are a 422 naming each, and nothing changes. */
    @Transactional
    RuleSet replace(Actor actor, RuleSet submitted) {
        actor.require(Role.ADMIN).requireActive();
        List<Rule> replacement = parse(submitted);
        rules.deleteAll();
        rules.saveAll(replacement.stream().map(RuleRow::of).toList());
        audit.record(actor, "rules.update", null, Map.of("count", replacement.size()));
        return view(actor);
    }

    private static List<Rule> parse(RuleSet submitted) {
        List<Problem.FieldError> errors = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        List<RuleSet.RuleEntry> entries = submitted.rules() == null ? List.of() : submitted.rules();
        for (int i = 0; i < entries.size(); i++) {
            RuleSet.RuleEntry entry = entries.get(i);
            String field = "rules[" + i + "]";
            if (entry == null) {
                errors.add(new Problem.FieldError(field, "must be a rule"));
                continue;
            }
            var kind = entry.kind() == null ? java.util.Optional.<Rule.Kind>empty() : Rule.Kind.fromWire(entry.kind());
            if (kind.isEmpty()) {
                errors.add(new Problem.FieldError(field + ".kind", "must be word, phrase or regex"));
            }
            if (entry.score() == null) {
                errors.add(new Problem.FieldError(field + ".score", "is required"));
            }
            if (entry.pattern() == null || entry.category() == null) {
                errors.add(new Problem.FieldError(field, "needs a pattern and a category"));
            }
            if (kind.isPresent() && entry.score() != null && entry.pattern() != null && entry.category() != null) {
                rules.add(new Rule(entry.pattern(), kind.get(), entry.category(), entry.score()));
            }
        }
        if (errors.isEmpty()) {
            for (String problem : RuleMatcher.validate(rules)) {
                int colon = problem.indexOf(": ");
                errors.add(colon > 0 ? new Problem.FieldError(problem.substring(0, colon), problem.substring(colon + 2))
                        : new Problem.FieldError("rules", problem));
            }
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
        return rules;
    }
}
