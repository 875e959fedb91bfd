package io.wsbench.conformance;

import io.wsbench.conformance.cases.CloseRecord;
import io.wsbench.conformance.cases.ConformanceCase;
import io.wsbench.conformance.cases.ConformanceCases;
import io.wsbench.conformance.cases.DeflateOffers;
import io.wsbench.conformance.cases.Event;
import io.wsbench.conformance.cases.Judge;
import io.wsbench.conformance.cases.Step;
import io.wsbench.conformance.cases.Verdict;
import io.wsbench.wire.Frame;
import io.wsbench.wire.MalformedFrameException;
import io.wsbench.wire.Opcode;
import io.wsbench.wire.PerMessageDeflate;
import io.wsbench.wire.RawWebSocketConnection;

import java.io.ByteArrayOutputStream;
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
import java.util.zip.DataFormatException;

/**
 * Runs cases against one server, as Autobahn's fuzzing client does: each case on its own connection, the client
 * writing the case's steps from one thread while this one reads, closing once the expected events are in (or dropping
 * TCP when the server's time is up), then a fresh connection to check that the server still echoes.
 *
 * <p>Every wait is bounded: each read waits at most {@link #READ_SLICE}; a case ends at most its reaction time after
 * its last step, and in any case at {@link #caseLimit}; a case reads at most {@link #MAX_FRAMES_PER_CASE} frames;
 * the run stops starting cases once its budget is spent.
 */
public final class ConformanceSuite {

    /** How long the server has after a case's last step before the client closes or drops (Autobahn: 0.5 to 1 s). */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(1);
    /** A case's pause (Autobahn waits 1 s; this is enough to tell failing fast from failing at the end). */
    static final Duration PAUSE = Duration.ofMillis(250);
    /** After the events went wrong no expectation can be met: the server gets this much longer to close. */
    static final Duration MISMATCH_GRACE = Duration.ofMillis(100);
    static final Duration READ_SLICE = Duration.ofMillis(50);
    /** Room for a server that echoes 9.10.2's million 1-byte frames one by one. */
    static final int MAX_FRAMES_PER_CASE = 1_100_000;
    /** How the still-up check's text message starts; the rest says when it is sent. */
    static final String STILL_UP_PROBE = "still up? ";
    /** The still-up check gives up after this many frames that are not its echo. */
    private static final int STILL_UP_MAX_FRAMES = 40;
    /** Frames of the many-frame cases written per write call. */
    private static final int WRITE_BLOCK_BYTES = 64 * 1024;
    /** After the case's socket is closed a blocked write fails at once; this only bounds a harness bug. */
    private static final Duration WRITER_STOP_LIMIT = Duration.ofSeconds(2);

    private final URI target;
    private final Duration responseTimeout;
    private final int maxMessageBytes;

    /**
     * @param maxMessageBytes the largest message the client reassembles or inflates; more is the server's error
     */
    public ConformanceSuite(URI target, Duration responseTimeout, int maxMessageBytes) {
        if (responseTimeout.isNegative() || responseTimeout.isZero()) {
            throw new IllegalArgumentException("responseTimeout must be positive, was " + responseTimeout);
        }
        this.target = target;
        this.responseTimeout = responseTimeout;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Runs the cases in order until {@code deadlineNanos} ({@link System#nanoTime()}); the cases left then, and all
     * those after a case that left the server unable to serve, are recorded as not run.
     *
     * @throws IllegalStateException the server does not echo a plain text message before the first case
     */
    public List<CaseResult> run(List<ConformanceCase> cases, long deadlineNanos) {
        StillUp before = checkStillUp("before the first case");
        if (!before.up()) {
            throw new IllegalStateException("the server at " + target + " does not echo a text message ("
                    + before.detail() + "), so no case can be judged: check that it is started and is an echo server");
        }
        List<CaseResult> results = new ArrayList<>();
        String stoppedAfter = null;
        for (ConformanceCase testCase : cases) {
            if (stoppedAfter != null) {
                results.add(CaseResult.notRun(testCase, "the server stopped serving after case " + stoppedAfter));
            } else if (System.nanoTime() - deadlineNanos > 0) {
                results.add(CaseResult.notRun(testCase, "the run's time budget was spent"));
            } else {
                CaseResult result = run(testCase);
                results.add(result);
                if (!result.stillUp().up()) {
                    stoppedAfter = testCase.id();
                }
            }
        }
        return results;
    }

    /** Runs one case on its own connection and then checks that the server still serves. */
    public CaseResult run(ConformanceCase testCase) {
        long start = System.nanoTime();
        CaseResult result;
        try {
            result = exchange(testCase);
        } catch (IOException e) {
            result = harnessError(testCase, "could not open the case's connection: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = harnessError(testCase, "interrupted", e);
        } catch (RuntimeException e) {
            result = harnessError(testCase, e.toString(), e);
        }
        // A server that just echoed 16 MiB may need longer than a small case's timeout to serve again.
        Duration stillUpWait = testCase.reaction() == null ? responseTimeout : testCase.reaction();
        StillUp stillUp = checkStillUp("after " + testCase.id(), stillUpWait);
        return new CaseResult(testCase, result.verdict(), result.close(), result.events(), result.transcript(),
                result.extensions(), result.echoTime(), result.notes(), stillUp,
                Duration.ofNanos(System.nanoTime() - start), result.problem(), result.harnessFailure());
    }

    private static CaseResult harnessError(ConformanceCase testCase, String what, Throwable failure) {
        return new CaseResult(testCase, null, null, List.of(), CaseResult.Transcript.EMPTY, "", null, List.of(),
                new StillUp(false, "not checked"), Duration.ZERO, "harness error: " + what, failure);
    }

    /** What the writer thread and this reading thread share about one case's connection. */
    private static final class CaseState {
        final List<Event> events = new ArrayList<>();
        final CaseResult.Transcript.Log sent = new CaseResult.Transcript.Log();
        final List<String> notes = new ArrayList<>();
        /** The server's close frame or the end of TCP arrived: the writer stops. */
        volatile boolean ended;
        volatile boolean clientCloseSent;
        volatile boolean clientClosedFirst;
        volatile long writerDoneAt;
        volatile long firstByteAt;

        synchronized void addEvent(Event event) {
            events.add(event);
            notifyAll();
        }

        /** Waits until {@code count} messages came back or the connection ended; false if the wait ran out first. */
        synchronized boolean awaitMessages(int count, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (!ended && events.stream().filter(e -> e instanceof Event.Message).count() < count) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, remaining);
            }
            return true;
        }

        synchronized List<Event> events() {
            return List.copyOf(events);
        }

        synchronized void logSent(String what) {
            sent.add(what);
        }

        synchronized void note(String note) {
            notes.add(note);
        }

        synchronized List<String> notes() {
            return List.copyOf(notes);
        }

        synchronized CaseResult.Transcript transcript(CaseResult.Transcript.Log received) {
            return new CaseResult.Transcript(sent.shown(), sent.count(), received.shown(), received.count());
        }

        /** The connection is over for the writer: wakes one waiting for an echo. */
        synchronized void end() {
            ended = true;
            notifyAll();
        }

        void markClientClose() {
            if (!clientCloseSent && !ended) {
                clientClosedFirst = true;
            }
            clientCloseSent = true;
        }
    }

    private CaseResult exchange(ConformanceCase testCase) throws IOException, InterruptedException {
        ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "conformance-writer-" + testCase.id());
            thread.setDaemon(true);
            return thread;
        });
        CaseState state = new CaseState();
        try (RawWebSocketConnection connection = RawWebSocketConnection.open(target, responseTimeout,
                testCase.deflateOffer())) {
            String accepted = connection.acceptedExtensions();
            boolean declined = !testCase.deflateOffer().isEmpty() && accepted.isEmpty();
            PerMessageDeflate deflate = null;
            String offerViolation = null;
            if (!accepted.isEmpty()) {
                try {
                    deflate = PerMessageDeflate.fromResponse(accepted, maxMessageBytes);
                    offerViolation = DeflateOffers.violation(testCase.deflateOffer(), deflate.parameters());
                } catch (IllegalArgumentException e) {
                    offerViolation = e.getMessage();
                }
            }
            List<Step> steps = declined || offerViolation != null
                    ? List.of(new Step.Send(List.of(Frame.close(ConformanceCases.NORMAL)), Step.BATCHED))
                    : testCase.steps();
            PerMessageDeflate writerDeflate = deflate;
            state.firstByteAt = System.nanoTime();
            Future<Void> writing = writer.submit(() -> {
                try {
                    write(connection, steps, writerDeflate, state, responseTimeout);
                } finally {
                    state.writerDoneAt = System.nanoTime();
                }
                return null;
            });
            Reading reading = read(connection, testCase, state, writing, deflate);
            state.end();
            connection.close();
            stopWriter(writing, state);
            List<Event> events = state.events();
            CloseRecord close = new CloseRecord(state.clientClosedFirst, reading.droppedByClient,
                    state.clientCloseSent && reading.serverCloseReceived && reading.serverClosedTcp,
                    reading.serverCode, reading.serverReason);
            Verdict verdict = Judge.judge(testCase, events, close, declined, offerViolation);
            Duration echoTime = testCase.kind() == ConformanceCase.Kind.TIMED && reading.matchedAt != 0
                    ? Duration.ofNanos(reading.matchedAt - state.firstByteAt) : null;
            return new CaseResult(testCase, verdict, close, events,
                    state.transcript(reading.received), accepted, echoTime, state.notes(),
                    new StillUp(true, "not checked yet"), Duration.ZERO, null, null);
        } finally {
            writer.shutdownNow();
        }
    }

    /** The writer thread's work: every step in order, until the server ends the connection. */
    private static void write(RawWebSocketConnection connection, List<Step> steps, PerMessageDeflate deflate,
            CaseState state, Duration echoWait) throws IOException, InterruptedException {
        for (Step step : steps) {
            if (state.ended) {
                return;
            }
            if (step instanceof Step.Send send) {
                ByteArrayOutputStream batch = new ByteArrayOutputStream();
                for (Frame frame : send.frames()) {
                    if (frame.opcode() == Opcode.CLOSE && frame.rsv() == 0 && frame.masked()) {
                        // A well-formed close starts the closing handshake; a malformed one is only a bad frame.
                        state.markClientClose();
                    }
                    state.logSent(frame.describe());
                    byte[] wire = connection.encode(frame);
                    if (send.chop() == Step.BATCHED) {
                        batch.writeBytes(wire);
                    } else {
                        connection.sendBytes(wire, send.chop() == Step.PER_FRAME ? 0 : send.chop());
                    }
                }
                connection.sendBytes(batch.toByteArray(), 0);
            } else if (step instanceof Step.SendBytes bytes) {
                state.logSent(bytes.what() + " (" + bytes.wire().length + " bytes)");
                connection.sendBytes(bytes.wire(), 0);
            } else if (step instanceof Step.Message message) {
                writeMessage(connection, message, deflate, state);
            } else if (step instanceof Step.Pause pause) {
                Thread.sleep(PAUSE.toMillis());
                if (state.ended) {
                    return;
                }
                if (!pause.label().isEmpty()) {
                    state.addEvent(new Event.StillOpenAfterPause(pause.label()));
                }
                state.logSent("pause " + PAUSE.toMillis() + " ms" + (pause.label().isEmpty() ? "" : " (" + pause.label() + ")"));
            } else if (step instanceof Step.AwaitEcho await) {
                state.logSent("wait for the echo of " + await.messages() + " message(s)");
                if (!state.awaitMessages(await.messages(), echoWait)) {
                    state.note("no echo of " + await.messages() + " message(s) within " + echoWait.toMillis()
                            + " ms; the next frames were sent anyway");
                }
            }
        }
    }

    /** A message split into frames of its fragment size, compressed first when deflate was agreed (§6 of RFC 7692). */
    private static void writeMessage(RawWebSocketConnection connection, Step.Message message, PerMessageDeflate deflate,
            CaseState state) throws IOException {
        byte[] payload = deflate == null ? message.payload() : deflate.compress(message.payload());
        int size = message.fragmentBytes() == 0 ? Math.max(1, payload.length) : message.fragmentBytes();
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        int start = 0;
        do {
            int end = Math.min(payload.length, start + size);
            int opcode = start == 0 ? (message.binary() ? Opcode.BINARY : Opcode.TEXT) : Opcode.CONTINUATION;
            Frame frame = Frame.of(opcode, java.util.Arrays.copyOfRange(payload, start, end)).withFin(end == payload.length);
            if (deflate != null && start == 0) {
                frame = frame.withRsv(4);
            }
            state.logSent(frame.describe());
            block.writeBytes(connection.encode(frame));
            if (block.size() >= WRITE_BLOCK_BYTES) {
                connection.sendBytes(block.toByteArray(), 0);
                block.reset();
            }
            start = end;
        } while (start < payload.length);
        connection.sendBytes(block.toByteArray(), 0);
    }

    private static final class Reading {
        final CaseResult.Transcript.Log received = new CaseResult.Transcript.Log();
        boolean serverCloseReceived;
        boolean serverClosedTcp;
        boolean droppedByClient;
        int serverCode = CloseRecord.NO_CODE;
        String serverReason = "";
        long matchedAt;

        void log(Frame frame) {
            received.add(frame.describe());
        }
    }

    private Reading read(RawWebSocketConnection connection, ConformanceCase testCase, CaseState state,
            Future<Void> writing, PerMessageDeflate deflate) {
        Reading reading = new Reading();
        Duration reaction = testCase.reaction() == null ? responseTimeout : testCase.reaction();
        long hardDeadline = System.nanoTime() + caseLimit(testCase, reaction).toNanos();
        long softDeadline = 0;
        boolean softSet = false;
        Reassembly reassembly = new Reassembly(deflate, maxMessageBytes);
        boolean closeWhenWritten = false;
        while (reading.received.count() < MAX_FRAMES_PER_CASE) {
            long now = System.nanoTime();
            if (closeWhenWritten && writing.isDone()) {
                // The echo can arrive before the writer thread has returned: the close waits for it.
                closeWhenWritten = false;
                sendClose(connection, state, testCase.close().codes().get(0));
                softDeadline = now + responseTimeout.toNanos();
                softSet = true;
            }
            if (now - hardDeadline >= 0) {
                state.note("the case's time limit of " + caseLimit(testCase, reaction).toMillis() + " ms ran out");
                reading.droppedByClient = true;
                return reading;
            }
            if (writing.isDone() && !softSet) {
                softDeadline = state.writerDoneAt + reaction.toNanos();
                softSet = true;
            }
            if (softSet && !Judge.couldStillMatch(testCase, state.events())) {
                softDeadline = Math.min(softDeadline, now + MISMATCH_GRACE.toNanos());
            }
            if (softSet && now - softDeadline >= 0) {
                if (!state.clientCloseSent && testCase.ending() == ConformanceCase.Ending.CLOSE) {
                    sendClose(connection, state, testCase.close().codes().get(0));
                    softDeadline = now + responseTimeout.toNanos();
                    continue;
                }
                reading.droppedByClient = true;
                return reading;
            }
            long until = softSet ? softDeadline : hardDeadline;
            Duration wait = Duration.ofNanos(Math.max(1_000_000, Math.min(READ_SLICE.toNanos(), until - now)));
            Frame frame;
            try {
                frame = connection.readFrame(wait, reaction);
            } catch (SocketTimeoutException quiet) {
                continue;
            } catch (EOFException e) {
                state.end();
                reading.serverClosedTcp = true;
                return reading;
            } catch (MalformedFrameException e) {
                state.end();
                state.addEvent(new Event.Invalid(e.getMessage()));
                reading.droppedByClient = true;
                return reading;
            } catch (IOException e) {
                state.end();
                state.note("the connection failed: " + e.getMessage());
                reading.serverClosedTcp = true;
                return reading;
            }
            reading.log(frame);
            if (frame.masked()) {
                state.addEvent(new Event.Invalid("a masked frame, forbidden by §5.1"));
            }
            if (frame.opcode() == Opcode.CLOSE) {
                reading.serverCloseReceived = true;
                state.end();
                reading.serverCode = frame.payloadLength() >= 2 ? frame.closeCode() : CloseRecord.NO_CODE;
                reading.serverReason = frame.closeReason();
                if (!state.clientCloseSent) {
                    answerClose(connection, frame, state, writing);
                }
                awaitServerTcpClose(connection, reading);
                return reading;
            }
            Event event = switch (frame.opcode()) {
                case Opcode.PING -> new Event.Ping(frame.payload());
                case Opcode.PONG -> new Event.Pong(frame.payload());
                default -> reassembly.add(frame);
            };
            if (event != null) {
                state.addEvent(event);
                List<Event> events = state.events();
                if (reading.matchedAt == 0 && Judge.matchesAny(testCase, events)) {
                    reading.matchedAt = System.nanoTime();
                    closeWhenWritten = testCase.close().closedByClient() && !state.clientCloseSent;
                }
            }
        }
        state.note("stopped reading after " + MAX_FRAMES_PER_CASE + " frames");
        reading.droppedByClient = true;
        return reading;
    }

    /** The longest a case may take: its pauses, its waits for an echo, its reaction time, and a closing handshake. */
    private Duration caseLimit(ConformanceCase testCase, Duration reaction) {
        long pauses = testCase.steps().stream().filter(step -> step instanceof Step.Pause).count();
        long echoWaits = testCase.steps().stream().filter(step -> step instanceof Step.AwaitEcho).count();
        return PAUSE.multipliedBy(pauses).plus(responseTimeout.multipliedBy(echoWaits))
                .plus(reaction.multipliedBy(2)).plus(responseTimeout.multipliedBy(3));
    }

    private static void sendClose(RawWebSocketConnection connection, CaseState state, int code) {
        state.markClientClose();
        Frame close = Frame.close(code);
        state.logSent(close.describe());
        try {
            connection.sendBytes(connection.encode(close), 0);
        } catch (IOException e) {
            state.note("our close frame could not be written: " + e.getMessage());
        }
    }

    /** Echoes the server's close code, as Autobahn's client does; not while our own frames are still going out. */
    private static void answerClose(RawWebSocketConnection connection, Frame serverClose, CaseState state,
            Future<Void> writing) {
        try {
            // The writer has usually written everything and is only returning; a blocked one stops once TCP closes.
            writing.get(WRITER_STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException writeFailed) {
            // The connection is gone; stopWriter notes the failed write.
            return;
        } catch (TimeoutException stillWriting) {
            state.note("the server closed while our frames were still being written, so its close went unanswered");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.note("interrupted while waiting to answer the server's close");
            return;
        }
        state.clientCloseSent = true;
        Frame reply = serverClose.payloadLength() >= 2 ? Frame.close(serverClose.closeCode())
                : Frame.of(Opcode.CLOSE, new byte[0]);
        state.logSent(reply.describe());
        try {
            connection.sendBytes(connection.encode(reply), 0);
        } catch (IOException e) {
            state.note("our reply to the server's close could not be written: " + e.getMessage());
        }
    }

    /** After the close frames, the server is the one to close TCP (§7.1.1); the client waits one response timeout. */
    private void awaitServerTcpClose(RawWebSocketConnection connection, Reading reading) {
        long deadline = System.nanoTime() + responseTimeout.toNanos();
        while (System.nanoTime() - deadline < 0 && reading.received.count() < MAX_FRAMES_PER_CASE) {
            try {
                reading.log(connection.readFrame(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()))));
            } catch (SocketTimeoutException quiet) {
                break;
            } catch (IOException closed) {
                // EOF or reset after the close frames: the server closed TCP, as it should.
                reading.serverClosedTcp = true;
                return;
            }
        }
        reading.droppedByClient = true;
    }

    /** Waits for the writer after the socket was closed under it; a failed write is a note, anything else a bug. */
    private static void stopWriter(Future<Void> writing, CaseState state) throws InterruptedException {
        try {
            writing.get(WRITER_STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof IOException io)) {
                throw new IllegalStateException("the frame writer failed: " + e.getCause(), e.getCause());
            }
            state.note("our write failed (" + io.getMessage() + "): the connection ended before all was sent");
        } catch (TimeoutException e) {
            throw new IllegalStateException("the frame writer did not stop within " + WRITER_STOP_LIMIT
                    + " of its socket being closed", e);
        }
    }

    /** Reassembles the server's data frames into messages, inflating compressed ones; null until a message is whole. */
    private static final class Reassembly {
        private final PerMessageDeflate deflate;
        private final int maxMessageBytes;
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();
        private int opcode = -1;
        private boolean compressed;

        Reassembly(PerMessageDeflate deflate, int maxMessageBytes) {
            this.deflate = deflate;
            this.maxMessageBytes = maxMessageBytes;
        }

        Event add(Frame frame) {
            int rsv = frame.rsv();
            if (frame.opcode() == Opcode.CONTINUATION) {
                if (opcode < 0) {
                    return new Event.Invalid("a continuation frame with no message to continue");
                }
                if (rsv != 0) {
                    return new Event.Invalid("a continuation frame with RSV = " + rsv);
                }
            } else if (frame.opcode() == Opcode.TEXT || frame.opcode() == Opcode.BINARY) {
                if (opcode >= 0) {
                    return new Event.Invalid("a new message inside an unfinished one");
                }
                boolean rsv1 = rsv == 4 && deflate != null;
                if (rsv != 0 && !rsv1) {
                    return new Event.Invalid("a data frame with RSV = " + rsv + " and no extension to give it meaning");
                }
                opcode = frame.opcode();
                compressed = rsv1;
                message.reset();
            } else {
                return new Event.Invalid("a frame with reserved opcode " + frame.opcode());
            }
            message.writeBytes(frame.payload());
            if (message.size() > maxMessageBytes) {
                opcode = -1;
                return new Event.Invalid("a message of more than " + maxMessageBytes + " bytes");
            }
            if (!frame.fin()) {
                return null;
            }
            boolean binary = opcode == Opcode.BINARY;
            opcode = -1;
            if (!compressed) {
                return new Event.Message(binary, message.toByteArray());
            }
            try {
                return new Event.Message(binary, deflate.decompress(message.toByteArray()));
            } catch (DataFormatException e) {
                return new Event.Invalid("a compressed message that does not inflate: " + e.getMessage());
            }
        }
    }

    /** Whether a fresh connection still gets a text message echoed; says what went wrong if not. */
    public StillUp checkStillUp(String when) {
        return checkStillUp(when, responseTimeout);
    }

    private StillUp checkStillUp(String when, Duration wait) {
        Frame probe = Frame.text(STILL_UP_PROBE + when);
        try (RawWebSocketConnection connection = RawWebSocketConnection.open(target, wait)) {
            connection.send(probe);
            List<Frame> frames = new ArrayList<>();
            long deadline = System.nanoTime() + wait.toNanos();
            while (frames.isEmpty() || !isEcho(frames.get(frames.size() - 1), probe)) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || frames.size() >= STILL_UP_MAX_FRAMES) {
                    return noEcho(frames, wait);
                }
                Frame frame;
                try {
                    frame = connection.readFrame(Duration.ofNanos(remaining));
                } catch (SocketTimeoutException quiet) {
                    return noEcho(frames, wait);
                }
                frames.add(frame);
                if (frame.opcode() == Opcode.CLOSE) {
                    return new StillUp(false, "closed instead of echoing: " + frame.describe());
                }
            }
            return new StillUp(true, "echoed" + closePolitely(connection));
        } catch (IOException e) {
            return new StillUp(false, "fresh connection failed: " + e);
        }
    }

    private static boolean isEcho(Frame frame, Frame probe) {
        return frame.opcode() == probe.opcode() && frame.fin() && java.util.Arrays.equals(frame.payload(), probe.payload());
    }

    private static StillUp noEcho(List<Frame> received, Duration wait) {
        return new StillUp(false, "no echo within " + wait.toMillis() + " ms"
                + (received.isEmpty() ? "" : ", got " + received.stream().map(Frame::describe).toList()));
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
