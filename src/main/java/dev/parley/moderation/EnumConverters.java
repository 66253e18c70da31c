package dev.parley.moderation;

import dev.parley.common.LowercaseEnumConverter;
import dev.parley.moderation.rules.Rule;
import io.micronaut.core.convert.ConversionContext;
import io.micronaut.data.model.runtime.convert.AttributeConverter;
import jakarta.inject.Singleton;

/** The converters of the moderation tables' enum columns. */
final class EnumConverters {

    private EnumConverters() {
    }

    @Singleton
    static final class DecisionConverter extends LowercaseEnumConverter<Decision> {
        DecisionConverter() {
            super(Decision.class);
        }
    }

    @Singleton
    static final class ReviewStateConverter extends LowercaseEnumConverter<ReviewState> {
        ReviewStateConverter() {
            super(ReviewState.class);
        }
    }

    @Singleton
    static final class ReviewResolutionConverter extends LowercaseEnumConverter<ReviewResolution> {
        ReviewResolutionConverter() {
            super(ReviewResolution.class);
        }
    }

    @Singleton
    static final class ReviewKindConverter extends LowercaseEnumConverter<ReviewKind> {
        ReviewKindConverter() {
            super(ReviewKind.class);
        }
    }

    @Singleton
    static final class SubjectConverter extends LowercaseEnumConverter<Subject> {
        SubjectConverter() {
            super(Subject.class);
        }
    }

    /** Rule kinds keep the rules package's own wire names. */
    @Singleton
    static final class RuleKindConverter implements AttributeConverter<Rule.Kind, String> {
        @Override
        public String convertToPersistedValue(Rule.Kind kind, ConversionContext context) {
            return kind == null ? null : kind.wire();
        }

        @Override
        public Rule.Kind convertToEntityValue(String wire, ConversionContext context) {
            return wire == null ? null : Rule.Kind.fromWire(wire).orElseThrow();
        }
    }
}
