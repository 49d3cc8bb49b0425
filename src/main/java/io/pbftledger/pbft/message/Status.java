package io.pbftledger.pbft.message;

/**
 * STATUS(v, c): the sender is in view {@code view} (the view it last entered, while it changes view)
 * and committed every sequence up to {@code lastCommitted}. A replica that made no progress for a
 * retransmission timeout sends it to all; each peer answers with its own messages for the slots
 * above {@code lastCommitted} that the sender may lack (Castro and Liskov's status messages). It
 * replaces re-sending every vote of the unstable log to everybody on a timer.
 */
public record Status(int replica, long view, long lastCommitted) implements PbftMessage {
    public Status {
        Checks.notNegative(replica, "replica");
        Checks.notNegative(view, "view");
        Checks.notNegative(lastCommitted, "lastCommitted");
    }
}
