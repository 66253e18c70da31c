package dev.parley.forum;

import dev.parley.common.DomainException;
import dev.parley.common.Problem;
import dev.parley.common.StorableText;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/** Validates titles and bodies against the configured limits, reporting every bad field at once. */
@Singleton
class ContentRules {

    private final ForumLimits limits;

    ContentRules(ForumLimits limits) {
        this.limits = limits;
    }

    void check(String title, String body) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (title != null) {
            titleErrors(title, errors);
        }
        if (body != null) {
            bodyErrors(body, errors);
        }
        if (!errors.isEmpty()) {
            throw DomainException.invalid(errors);
        }
    }

    private void titleErrors(String title, List<Problem.FieldError> errors) {
        int length = title.strip().codePointCount(0, title.strip().length());
        if (length < limits.titleMin() || length > limits.titleMax()) {
            errors.add(new Problem.FieldError("title",
                    "must be " + limits.titleMin() + " to " + limits.titleMax() + " characters"));
        }
        StorableText.check("title", title, errors);
    }

    private void bodyErrors(String body, List<Problem.FieldError> errors) {
        if (body.isBlank()) {
            errors.add(new Problem.FieldError("body", "must not be blank"));
        } else if (body.codePointCount(0, body.length()) > limits.bodyMax()) {
            errors.add(new Problem.FieldError("body", "must be at most " + limits.bodyMax() + " characters"));
        }
        StorableText.check("body", body, errors);
    }
}
