package io.pbftledger.pbft.core;

/**
 * The view a replica works in, or the one it is changing to: one immutable value, which only the
 * view-change code replaces ({@link ViewChanger} when it starts or completes a change,
 * {@link JournalReplay} when it restores one after a restart; ArchitectureTest checks that no other
 * class does). Status, relay target and message acceptance are functions of it.
 */
sealed interface ViewState {

    /** The view whose messages this replica takes: the current one, or the target of its change. */
    long view();

    /** The last view this replica entered (with a NEW-VIEW, or view 0 at the start). */
    long entered();

    /** Working in {@code view}: the normal case runs. */
    record Active(long view) implements ViewState {
        @Override
        public long entered() {
            return view;
        }
    }

    /** Changing to {@code view} (VIEW-CHANGE sent, no NEW-VIEW yet) after working in {@code entered}. */
    record Changing(long view, long entered) implements ViewState {
        public Changing {
            Invariants.check(view > entered, "a view change goes to a higher view than the one entered");
        }
    }

    default boolean changing() {
        return this instanceof Changing;
    }

    /** The change to {@code target} from this state. */
    default ViewState changeTo(long target) {
        return new Changing(target, entered());
    }
}
