package dev.parley.moderation;

import dev.parley.moderation.rules.Rule;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

/** A row of {@code moderation_rules}: one watched word, phrase or regular expression. */
@MappedEntity("moderation_rules")
record RuleRow(@Id @GeneratedValue @Nullable Long id,
               String pattern,
               @TypeDef(type = DataType.STRING, converter = EnumConverters.RuleKindConverter.class) Rule.Kind kind,
               String category,
               double score) {

    static RuleRow of(Rule rule) {
        return new RuleRow(null, rule.pattern(), rule.kind(), rule.category(), rule.score());
    }

    Rule rule() {
        return new Rule(pattern, kind, category, score);
    }
}
