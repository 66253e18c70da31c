package dev.parley.moderation;

import dev.parley.moderation.rules.RuleMatcher;
import jakarta.inject.Singleton;

import java.util.List;

/** The local provider: the admin-managed rules, read afresh for every batch. Always runs. */
@Singleton
class RulesProvider implements ModerationProvider {

    private final RulesService rules;

    RulesProvider(RulesService rules) {
        this.rules = rules;
    }

    @Override
    public String name() {
        return "rules";
    }

    @Override
    public String model() {
        return "rules";
    }

    @Override
    public List<HarmScores> score(List<String> texts) {
        RuleMatcher matcher = RuleMatcher.compile(rules.all());
        return texts.stream().map(text -> matcher.match(text).scores()).toList();
    }
}
