package dev.parley.moderation;

import dev.parley.auth.Actor;
import dev.parley.auth.Role;
import dev.parley.common.DomainException;
import dev.parley.forum.ForumPosts;
import dev.parley.moderation.DsaStatement.AutomatedDecision;
import dev.parley.moderation.DsaStatement.Category;
import dev.parley.moderation.DsaStatement.ContentType;
import dev.parley.moderation.DsaStatement.Ground;
import dev.parley.moderation.DsaStatement.Keyword;
import dev.parley.moderation.DsaStatement.Kind;
import dev.parley.moderation.DsaStatement.SourceType;
import dev.parley.moderation.DsaStatement.Visibility;
import dev.parley.moderation.DsaStatement.YesNo;
import dev.parley.moderation.TransparencyRepository.Restriction;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The transparency export (docs/moderation.md): every restriction of a post in a period as a DSA
 * statement of reasons, one JSON line each, read from the database a page at a time as the
 * response is written.
 */
@Singleton
class TransparencyExport {

    static final Duration DEFAULT_PERIOD = Duration.ofHours(24);
    static final int PAGE = 500;

    private static final String HELD = "Held back from publication until a moderator reviews it";
    private static final String REPORT = "report";

    private final TransparencyRepository restrictions;
    private final ForumPosts posts;
    private final JsonMapper json;
    private final Clock clock;

    TransparencyExport(TransparencyRepository restrictions, ForumPosts posts, JsonMapper json, Clock clock) {
        this.restrictions = restrictions;
        this.posts = posts;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The statements of the restrictions in [{@code since}, {@code until}) as NDJSON, admin only. The
     * caller is checked here, before the response starts: a refusal is a problem, not a cut stream.
     *
     * @param since null: 24 hours before the end
     * @param until null: now
     */
    InputStream export(Actor actor, @Nullable Instant since, @Nullable Instant until) {
        actor.require(Role.ADMIN);
        Instant end = until != null ? until : clock.instant();
        Instant start = since != null ? since : end.minus(DEFAULT_PERIOD);
        if (!start.isBefore(end)) {
            throw DomainException.invalid("since", until != null ? "must be before until" : "must not be in the future");
        }
        // Times are stored to the microsecond: the first one in the period is start rounded up to one.
        Instant first = start.truncatedTo(ChronoUnit.MICROS);
        if (first.isBefore(start)) {
            first = first.plus(1, ChronoUnit.MICROS);
        }
        Keyset keyset = new Keyset(first.minus(1, ChronoUnit.MICROS), end);
        return new NdjsonPages(keyset::next);
    }

    /** Where the export has got to: the last line written of each kind. */
    private final class Keyset {
        private final Instant end;
        private Instant automatedAt;
        private long automatedId = Long.MAX_VALUE;
        private Instant moderatorAt;
        private long moderatorId = Long.MAX_VALUE;
        private boolean done;

        /** @param before a moment just before the period: (before, MAX) is a keyset every row in it follows */
        Keyset(Instant before, Instant end) {
            this.automatedAt = before;
            this.moderatorAt = before;
            this.end = end;
        }

        List<byte[]> next() {
            if (done) {
                return List.of();
            }
            List<Restriction> page = restrictions.page(automatedAt, automatedId, moderatorAt, moderatorId, PAGE)
                    .stream().filter(r -> r.at().isBefore(end)).toList();
            if (page.size() < PAGE) {
                done = true;    // short: the end of the data, or of the period
            }
            Map<Long, Instant> postedAt = posts.postedAt(page.stream().map(Restriction::postId).distinct().toList());
            List<byte[]> lines = new ArrayList<>(page.size());
            for (Restriction restriction : page) {
                lines.add(line(statement(restriction, postedAt.get(restriction.postId()))));
                if (kind(restriction) == Kind.AUTOMATED) {
                    automatedAt = restriction.at();
                    automatedId = restriction.id();
                } else {
                    moderatorAt = restriction.at();
                    moderatorId = restriction.id();
                }
            }
            return lines;
        }
    }

    private byte[] line(DsaStatement statement) {
        try {
            byte[] body = json.writeValueAsBytes(statement);
            byte[] line = new byte[body.length + 1];
            System.arraycopy(body, 0, line, 0, body.length);
            line[body.length] = '\n';
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The statement of reasons of one restriction; {@code postedAt} null for a post that no longer exists. */
    static DsaStatement statement(Restriction restriction, @Nullable Instant postedAt) {
        Kind kind = kind(restriction);
        Decision decision = Decision.valueOf(restriction.decision().toUpperCase(Locale.ROOT));
        List<TransparencyRepository.Ground> grounds = restriction.grounds() == null ? List.of() : restriction.grounds();
        List<TransparencyRepository.Ground> harms = grounds.stream()
                .filter(g -> !REPORT.equals(g.source()) && DsaCategories.of(g.category()).isPresent())
                .sorted(Comparator.comparing(TransparencyRepository.Ground::score,
                        Comparator.nullsLast(Comparator.reverseOrder())))
                .toList();
        boolean reported = grounds.stream().anyMatch(g -> REPORT.equals(g.source()));
        boolean detected = !harms.isEmpty();

        List<DsaCategories.Mapping> mappings = harms.stream().map(g -> DsaCategories.of(g.category()).orElseThrow())
                .toList();
        Category category = mappings.isEmpty() ? DsaCategories.UNEXPLAINED.category() : mappings.get(0).category();
        List<Category> additions = mappings.stream().map(DsaCategories.Mapping::category)
                .filter(c -> c != category).distinct().toList();
        List<Keyword> keywords = mappings.stream().map(DsaCategories.Mapping::keyword).filter(Objects::nonNull)
                .collect(Collectors.toCollection(LinkedHashSet::new)).stream().toList();

        boolean held = kind == Kind.AUTOMATED && decision == Decision.FLAGGED;
        List<Visibility> visibility = List.of(held ? Visibility.DECISION_VISIBILITY_OTHER
                : Visibility.DECISION_VISIBILITY_CONTENT_REMOVED);
        AutomatedDecision automation = kind == Kind.AUTOMATED ? AutomatedDecision.AUTOMATED_DECISION_FULLY
                : detected ? AutomatedDecision.AUTOMATED_DECISION_PARTIALLY
                : AutomatedDecision.AUTOMATED_DECISION_NOT_AUTOMATED;
        SourceType source = kind == Kind.MODERATOR && reported ? SourceType.SOURCE_TYPE_OTHER_NOTIFICATION
                : SourceType.SOURCE_VOLUNTARY;

        String puid = (kind == Kind.AUTOMATED ? "parley-decision-" : "parley-review-") + restriction.id();
        return new DsaStatement(puid, visibility, held ? HELD : null,
                Ground.DECISION_GROUND_INCOMPATIBLE_CONTENT, contractualGround(kind, restriction.policyVersion()),
                explanation(kind, harms, reported), YesNo.NO, List.of(ContentType.CONTENT_TYPE_TEXT),
                category, additions, keywords, DsaStatement.EEA,
                date(postedAt != null ? postedAt : restriction.at()), date(restriction.at()),
                held && restriction.liftedAt() != null ? date(restriction.liftedAt()) : null,
                facts(kind, decision, detected, reported, restriction.policyVersion()), source,
                detected ? YesNo.YES : YesNo.NO, automation,
                new DsaStatement.Origin(kind, restriction.id(), restriction.postId(), restriction.postVersion(),
                        decision, restriction.at(), restriction.policyVersion()));
    }

    static Kind kind(Restriction restriction) {
        return Kind.valueOf(restriction.kind().toUpperCase(Locale.ROOT));
    }

    private static String contractualGround(Kind kind, @Nullable Long policyVersion) {
        String policy = policyVersion == null ? "the forum's moderation policy"
                : policyVersion == 0 ? "the forum's moderation policy (built-in defaults, version 0)"
                : "the forum's moderation policy, version " + policyVersion;
        return kind == Kind.AUTOMATED ? "Thresholds of " + policy
                : "The forum's rules, applied by a moderator under " + policy;
    }

    /** Which harm categories scored what against which threshold; never the post's or a report's text. */
    private static String explanation(Kind kind, List<TransparencyRepository.Ground> harms, boolean reported) {
        String scores = harms.stream().map(TransparencyExport::scored).collect(Collectors.joining("; "));
        if (kind == Kind.AUTOMATED) {
            return harms.isEmpty()
                    ? "The automated classifier could not be reached; the policy holds such posts for a moderator."
                    : "Automated classification: " + scores + ".";
        }
        String why = harms.isEmpty() ? "" : " Automated classification had scored " + scores + ".";
        return "A moderator judged the post incompatible with the forum's rules." + why
                + (reported ? " Members had reported it." : "");
    }

    private static String scored(TransparencyRepository.Ground ground) {
        String level = ground.level() == null ? "" : ground.level() + " ";
        return ground.category() + " " + format(ground.score()) + " (" + level + "threshold " + format(ground.threshold())
                + ")";
    }

    private static String facts(Kind kind, Decision decision, boolean detected, boolean reported,
                                @Nullable Long policyVersion) {
        if (kind == Kind.AUTOMATED) {
            String policy = policyVersion == null ? "" : " under moderation policy version " + policyVersion;
            if (!detected) {
                return "The post was held back for a moderator" + policy
                        + " because the automated classifier could not score it.";
            }
            return "The post was scored by the automated classifier and "
                    + (decision == Decision.REJECTED ? "rejected" : "held back for review by a moderator")
                    + policy + " before it was published.";
        }
        String after = detected && reported ? "automated flagging and members' reports"
                : detected ? "automated flagging" : reported ? "members' reports"
                : "the automated moderation held it back";
        return "A moderator reviewed the post after " + after + " and removed it.";
    }

    private static String format(@Nullable Double value) {
        return value == null ? "?" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String date(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC).toString();
    }
}
