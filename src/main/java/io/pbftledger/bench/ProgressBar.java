package io.pbftledger.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.IntSupplier;

/** A one-line progress bar redrawn in place ({@code \r}), for a terminal only. */
final class ProgressBar implements AutoCloseable {
    static final long REDRAW_INTERVAL_MS = 250;
    static final int WIDTH_CHARS = 30;

    private final PrintWriter out;
    private final int total;
    private final IntSupplier committed;
    private final IntSupplier inFlight;
    private final long startNanos;
    private final Thread drawer;
    private volatile boolean closed;

    ProgressBar(PrintWriter out, int total, IntSupplier committed, IntSupplier inFlight) {
        this.out = out;
        this.total = total;
        this.committed = committed;
        this.inFlight = inFlight;
        this.startNanos = System.nanoTime();
        this.drawer = new Thread(this::run, "bench-progress");
        this.drawer.setDaemon(true);
        this.drawer.start();
    }

    static String line(int done, int total, int inFlight, double seconds) {
        int filled = total == 0 ? WIDTH_CHARS : (int) ((long) done * WIDTH_CHARS / total);
        String bar = "#".repeat(filled) + " ".repeat(WIDTH_CHARS - filled);
        double tps = seconds > 0 ? done / seconds : 0;
        return String.format(Locale.ROOT, "[%s] %3d%% %d/%d committed, %d in flight, %.0f tx/s",
                bar, total == 0 ? 100 : (int) ((long) done * 100 / total), done, total, inFlight, tps);
    }

    private void run() {
        while (!closed) {
            draw();
            try {
                Thread.sleep(REDRAW_INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void draw() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        synchronized (out) {
            out.print("\r" + line(committed.getAsInt(), total, inFlight.getAsInt(), seconds));
            out.flush();
        }
    }

    @Override
    public void close() {
        closed = true;
        drawer.interrupt();
        try {
            drawer.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        draw();
        synchronized (out) {
            out.println();
            out.flush();
        }
    }
}
