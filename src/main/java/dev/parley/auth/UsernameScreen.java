package dev.parley.auth;

import java.util.List;

/**
 * What registration asks before a username becomes public (it is shown beside every post): whether
 * the moderation policy in force would let the name through. Implemented by moderation, which
 * depends on auth and not the reverse.
 */
public interface UsernameScreen {

    /** The harm categories for which the policy would flag or reject the name; empty when it passes. */
    List<String> objections(String username);
}
