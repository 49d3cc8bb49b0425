package io.pbftledger.sim;

import java.util.PriorityQueue;

/** Simulated time: events run in (time, insertion order), so a seed fixes the whole run. */
final class EventQueue {
    private record Event(long time, long order, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private long now;
    private long order;

    long now() {
        return now;
    }

    void at(long time, Runnable action) {
        events.add(new Event(Math.max(time, now), order++, action));
    }

    void after(long delay, Runnable action) {
        at(now + delay, action);
    }

    /** Runs the next event if it is due at or before {@code until}; false when none is. */
    boolean runNext(long until) {
        Event e = events.peek();
        if (e == null || e.time > until) {
            return false;
        }
        events.poll();
        now = e.time;
        e.action.run();
        return true;
    }
}
