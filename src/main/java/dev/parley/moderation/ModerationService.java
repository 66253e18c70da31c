package dev.parley.moderation;

import dev.parley.auth.Actor;
import dev.parley.events.DomainEvent;
import dev.parley.events.EventType;
import dev.parley.events.Outbox;
import dev.parley.forum.ModerationGateway;
import dev.parley.forum.ModerationSummary;
import dev.parley.pipeline.JobQueue;
import dev.parley.pipeline.JobRequest;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;


import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The forum's entry to moderation: queueing post versions and title edits, and reading what was decided. */
@Singleton
class ModerationService implements ModerationGateway {

    private final JobQueue jobs;
    private final ModerationScorer scorer;
    private final ModerationConfig config;
    private final StatementsOfReasons statements;
    private final DecisionRepository decisions;
    private final ReviewRepository reviews;
    private final AuditLog audit;
    private final Outbox outbox;
    private final Clock clock;

    ModerationService(JobQueue jobs, DecisionRepository decisions, ModerationScorer scorer, ModerationConfig config,
                      StatementsOfReasons statements, ReviewRepository reviews, AuditLog audit, Outbox outbox,
                      Clock clock) {
        this.decisions = decisions;
        this.reviews = reviews;
        this.audit = audit;
        this.outbox = outbox;
        this.clock = clock;
        this.jobs = jobs;
        this.scorer = scorer;
        this.config = config;
        this.statements = statements;
    }

    @Override
    public void submit(long postId, int version) {
        enqueue(new ModerationTask(postId, version, false, scorer.primary(), Subject.POST));
    }

    @Override
    public void submitTitle(long firstPostId, int version) {
        enqueue(new ModerationTask(firstPostId, version, false, scorer.primary(), Subject.TITLE));
    }

    /** Queues a post published without the provider's verdict for another look. */
    void rescan(long postId, int version) {
        enqueue(new ModerationTask(postId, version, true, scorer.primary(), Subject.POST));
    }

    private void enqueue(ModerationTask task) {
        jobs.enqueue(JobRequest.of(ModerationTask.KIND, task)
                .uniqueBy(task.uniqueKey())
                .withMaxAttempts(config.maxAttempts()));
    }

    /**
     * The automated decision on a title edit, with the thresholds it crossed; what a moderator then did
     * shows in the edit's status. Title edits are not appealable: the author may simply edit again.
     */
    @Override
    @Transactional(readOnly = true)
    public Optional<ModerationSummary> titleSummary(long firstPostId, int version, boolean staff) {
        return decisions.title(firstPostId, version).map(d -> titleSummary(d, staff));
    }

    @Override
    @Transactional
    public void titleSetByStaff(Actor actor, long firstPostId, int version, String from, String to) {
        for (long itemId : reviews.supersede(firstPostId, Subject.TITLE, clock.instant())) {
            outbox.record(DomainEvent.ofItem(EventType.QUEUE_RESOLVED, firstPostId, itemId,
                    ReviewResolution.SUPERSEDED.wire()));
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("subject", Subject.TITLE.wire());
        detail.put("version", version);
        detail.put("from", from);
        detail.put("to", to);
        audit.record(actor, "title.staff-edit", firstPostId, detail);
    }

    /** The statement of reasons of each post that has a decision (see {@link StatementsOfReasons}). */
    @Override
    public Map<Long, ModerationSummary> summaries(Collection<Long> postIds, boolean staff) {
        return statements.summaries(postIds, staff);
    }

    private static ModerationSummary titleSummary(DecisionRow d, boolean staff) {
        ModerationSummary full = new ModerationSummary(d.decision().wire(),
                d.fired().stream().map(Verdict.Fired::category).distinct().toList(), d.provider(), d.model(),
                d.scores(), d.policyVersion(), d.unmoderated(), d.decision().wire(), true, d.createdAt(), null, null,
                d.fired().stream().map(StatementsOfReasons::crossing).toList(), null, false,
                d.rules().stream().map(TrustRule::summary).toList());
        return staff ? full : full.forAuthor();
    }
}
