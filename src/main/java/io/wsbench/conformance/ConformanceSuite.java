package io.wsbench.conformance;

import io.wsbench.wire.Frame;
import io.wsbench.wire.MalformedFrameException;
import io.wsbench.wire.Opcode;
import io.wsbench.wire.RawWebSocketConnection;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the {@link ConformanceCases} catalogue against one server: each case on its own
 * connection, then a fresh connection to check that the server still echoes.
 *
 * <p>Every wait is bounded: a read waits at most the response timeout for the next frame, a case
 * at most {@link #CASE_TIME_LIMIT_FACTOR} response timeouts in all, and a case reads at most
 * {@link #MAX_FRAMES_PER_CASE} frames.
 */
public final class ConformanceSuite {

    /** How long the server has to react before a case records NO_RESPONSE. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(2);
    /** A case ends after this many response timeouts even while frames keep arriving. */
    static final int CASE_TIME_LIMIT_FACTOR = 5;
    static final int MAX_FRAMES_PER_CASE = 1_000;
    /** How long the writer may take to finish after reading ended before we close the socket under it. */
    private static final Duration WRITER_GRACE = Duration.ofMillis(500);
    /** After the case's socket is closed a blocked write fails at once; this only bounds a harness bug. */
    private static final Duration WRITER_STOP_LIMIT = Duration.ofSeconds(1);

    private final URI target;
    private final Duration responseTimeout;

    public ConformanceSuite(URI target, Duration responseTimeout) {
        if (responseTimeout.isNegative() || responseTimeout.isZero()) {
            throw new IllegalArgumentException("responseTimeout must be positive, was " + responseTimeout);
        }
        this.target = target;
        this.responseTimeout = responseTimeout;
    }

    /**
     * Runs every case against the server at {@code target}, whose message limit is {@code maxMessageBytes}.
     *
     * @throws IllegalStateException the server does not echo a plain text message before the first case
     */
    public static List<CaseResult> run(URI target, int maxMessageBytes) {
        return new ConformanceSuite(target, DEFAULT_RESPONSE_TIMEOUT).run(ConformanceCases.all(maxMessageBytes));
    }

    /**
     * Runs the given cases in order. Once a case leaves the server unable to serve a fresh
     * connection, the remaining cases are recorded as not run rather than each waiting out timeouts.
     *
     * @throws IllegalStateException the server does not echo a plain text message before the first case
     */
    public List<CaseResult> run(List<ConformanceCase> cases) {
        StillUp before = checkStillUp("before the first case");
        if (!before.up()) {
            throw new IllegalStateException("the server at " + target + " does not echo a text message ("
                    + before.detail() + "), so no case can be judged: check that it is started and is an echo server");
        }
        List<CaseResult> results = new ArrayList<>();
        String stoppedAfter = null;
        for (ConformanceCase testCase : cases) {
            if (stoppedAfter != null) {
                results.add(new CaseResult(testCase, null,
                        Verdict.notRun("the server stopped serving after case " + stoppedAfter), List.of(),
                        new StillUp(false, "not checked"), Duration.ZERO, null));
                continue;
            }
            CaseResult result = run(testCase);
            results.add(result);
            if (!result.stillUp().up()) {
                stoppedAfter = testCase.id();
            }
        }
        return results;
    }

    /** Runs one case on its own connection and then checks that the server still serves. */
    public CaseResult run(ConformanceCase testCase) {
        long start = System.nanoTime();
        List<String> notes = new ArrayList<>();
        Outcome outcome = null;
        Verdict verdict;
        Throwable failure = null;
        try {
            outcome = exchange(testCase, notes);
            verdict = Classifier.judge(testCase.expected(), outcome, testCase.acceptingReplies());
        } catch (IOException e) {
            failure = e;
            verdict = Verdict.harnessError("could not open or close the case's connection: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
            verdict = Verdict.harnessError("interrupted");
        } catch (RuntimeException e) {
            failure = e;
            verdict = Verdict.harnessError(e.toString());
        }
        StillUp stillUp = checkStillUp("after " + testCase.id());
        return new CaseResult(testCase, outcome, verdict, notes, stillUp,
                Duration.ofNanos(System.nanoTime() - start), failure);
    }

    /** Sends the case's frames from a writer thread while this thread reads, then classifies. */
    private Outcome exchange(ConformanceCase testCase, List<String> notes) throws IOException, InterruptedException {
        ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "conformance-writer-" + testCase.id());
            thread.setDaemon(true);
            return thread;
        });
        try (RawWebSocketConnection connection = RawWebSocketConnection.open(target, responseTimeout)) {
            // Writing concurrently matters for the over-limit cases: a server may answer and close
            // long before it has read the whole message, and we must not miss that answer.
            Future<Void> writing = writer.submit(() -> {
                for (Frame frame : testCase.send()) {
                    connection.send(frame);
                }
                return null;
            });
            Reading reading = read(connection, testCase, writing);
            finishWriting(writing, connection, notes);
            if (reading.frames.size() >= MAX_FRAMES_PER_CASE) {
                notes.add("stopped reading after " + MAX_FRAMES_PER_CASE + " frames");
            }
            return Classifier.classify(reading.frames, reading.ending, reading.detail, reading.waited,
                    testCase.acceptingReplies());
        } finally {
            writer.shutdownNow();
        }
    }

    private record Reading(List<Frame> frames, Classifier.Ending ending, String detail, Duration waited) {
    }

    private Reading read(RawWebSocketConnection connection, ConformanceCase testCase, Future<Void> writing) {
        List<Frame> frames = new ArrayList<>();
        long caseDeadline = System.nanoTime() + responseTimeout.multipliedBy(CASE_TIME_LIMIT_FACTOR).toNanos();
        boolean stopWhenReplied = testCase.expected() instanceof Expected.Reply;
        while (frames.size() < MAX_FRAMES_PER_CASE) {
            long untilDeadline = caseDeadline - System.nanoTime();
            if (untilDeadline <= 0) {
                return new Reading(frames, Classifier.Ending.TIMEOUT, "", responseTimeout);
            }
            Duration wait = Duration.ofNanos(Math.min(responseTimeout.toNanos(), untilDeadline));
            try {
                Frame frame = connection.readFrame(wait);
                frames.add(frame);
                if (frame.opcode() == Opcode.CLOSE) {
                    return new Reading(frames, Classifier.Ending.CLOSE_FRAME, "", Duration.ZERO);
                }
                if (stopWhenReplied && Classifier.repliesMatch(testCase.acceptingReplies(), frames)) {
                    return new Reading(frames, Classifier.Ending.ACCEPTING_REPLIES_COMPLETE, "", Duration.ZERO);
                }
            } catch (SocketTimeoutException quiet) {
                // The server may still be receiving a large message: silence counts only once we've sent it all.
                if (writing.isDone()) {
                    // The response timeout, not the time measured: a busy machine overshoots it, and the outcome must not vary.
                    return new Reading(frames, Classifier.Ending.TIMEOUT, "", responseTimeout);
                }
            } catch (EOFException e) {
                return new Reading(frames, Classifier.Ending.EOF, e.getMessage(), Duration.ZERO);
            } catch (MalformedFrameException e) {
                return new Reading(frames, Classifier.Ending.MALFORMED_FRAME, e.getMessage(), Duration.ZERO);
            } catch (IOException e) {
                return new Reading(frames, Classifier.Ending.RESET, e.getMessage(), Duration.ZERO);
            }
        }
        return new Reading(frames, Classifier.Ending.TIMEOUT, "", responseTimeout);
    }

    /**
     * Lets the writer finish (its last frames may still be in flight when the reply arrives), then
     * closes the socket. A write that fails means the server closed before reading everything; one
     * still blocked after the grace period means it stopped reading. Both are worth a note.
     */
    private static void finishWriting(Future<Void> writing, RawWebSocketConnection connection, List<String> notes)
            throws IOException, InterruptedException {
        try {
            writing.get(WRITER_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            notes.add("our write failed (" + writeFailure(e).getMessage() + "): the server closed before reading all we sent");
        } catch (TimeoutException stillWriting) {
            notes.add("our frames were still being written " + WRITER_GRACE.toMillis()
                    + " ms after reading ended: the server stopped reading");
        } finally {
            connection.close();
        }
        if (!writing.isDone()) {
            try {
                writing.get(WRITER_STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException expected) {
                // Closing the socket under a blocked write makes it fail; that failure is the point.
                writeFailure(expected);
            } catch (TimeoutException e) {
                throw new IllegalStateException("the frame writer did not stop within " + WRITER_STOP_LIMIT
                        + " of its socket being closed", e);
            }
        }
    }

    /** The writer's I/O failure; anything else is a bug in the harness and is rethrown. */
    private static IOException writeFailure(ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
            return io;
        }
        throw new IllegalStateException("the frame writer failed: " + e.getCause(), e.getCause());
    }

    /** Whether a fresh connection still gets a text message echoed; says what went wrong if not. */
    public StillUp checkStillUp(String when) {
        Frame probe = Frame.text("still up? " + when);
        try (RawWebSocketConnection connection = RawWebSocketConnection.open(target, responseTimeout)) {
            connection.send(probe);
            List<Frame> frames = new ArrayList<>();
            long deadline = System.nanoTime() + responseTimeout.toNanos();
            while (!Classifier.repliesMatch(List.of(probe), frames)) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || frames.size() >= MAX_FRAMES_PER_CASE) {
                    return noEcho(frames);
                }
                Frame frame;
                try {
                    frame = connection.readFrame(Duration.ofNanos(remaining));
                } catch (SocketTimeoutException quiet) {
                    return noEcho(frames);
                }
                frames.add(frame);
                if (frame.opcode() == Opcode.CLOSE) {
                    return new StillUp(false, "closed instead of echoing: " + Outcome.summarise(frames));
                }
            }
            return new StillUp(true, "echoed" + closePolitely(connection));
        } catch (IOException e) {
            return new StillUp(false, "fresh connection failed: " + e);
        }
    }

    private StillUp noEcho(List<Frame> received) {
        return new StillUp(false, "no echo within " + responseTimeout.toMillis() + " ms"
                + (received.isEmpty() ? "" : ", got " + Outcome.summarise(received)));
    }

    /** Closes with 1000 and waits for the reply, so the server sees an orderly close rather than a reset. */
    private String closePolitely(RawWebSocketConnection connection) {
        try {
            connection.send(Frame.close(ConformanceCases.NORMAL));
            Frame reply = connection.readFrame(responseTimeout);
            return reply.opcode() == Opcode.CLOSE ? "" : "; answered our close with " + reply.describe();
        } catch (IOException e) {
            return "; closing handshake failed: " + e;
        }
    }
}
