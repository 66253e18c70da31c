package dev.parley.moderation;

import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import dev.parley.common.DomainException;
import dev.parley.common.Problem;
import dev.parley.common.Sql;
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

    private final Sql sql;
    private final AuditLog audit;

    RulesService(Sql sql, AuditLog audit) {
        this.sql = sql;
        this.audit = audit;
    }

    @Transactional(readOnly = true)
    List<Rule> all() {
        return sql.list("SELECT pattern, kind, category, score FROM moderation_rules ORDER BY id", s -> { },
                r -> new Rule(r.getString("pattern"), Rule.Kind.fromWire(r.getString("kind")).orElseThrow(),
                        r.getString("category"), r.getDouble("score")));
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
        List<Rule> rules = parse(submitted);
        sql.update("DELETE FROM moderation_rules", s -> { });
        for (Rule rule : rules) {
            sql.update("INSERT INTO moderation_rules (pattern, kind, category, score) VALUES (?, ?, ?, ?)", s -> {
                s.setString(1, rule.pattern());
                s.setString(2, rule.kind().wire());
                s.setString(3, rule.category());
                s.setDouble(4, rule.score());
            });
        }
        audit.record(actor, "rules.update", null, Map.of("count", rules.size()));
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
