package io.wsbench.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection of the JDK's WebSocket client and what the server sent on it: the independent client the server
 * contract tests check every server with. Every wait is bounded by {@link #WAIT}.
 */
public final class JdkWebSocket implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(10);

    /** Two fixed, pre-started daemon threads for a test's HttpClient, so they exist before any thread-leak snapshot. */
    public static ThreadPoolExecutor clientExecutor(String threadPrefix) {
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, threadPrefix + "-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.prestartAllCoreThreads();
        return executor;
    }

    public final WebSocket socket;
    public final Recorder recorder;

    private JdkWebSocket(WebSocket socket, Recorder recorder) {
        this.socket = socket;
        this.recorder = recorder;
    }

    public static JdkWebSocket open(HttpClient client, URI uri) throws Exception {
        Recorder recorder = new Recorder();
        WebSocket socket = client.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(uri, recorder)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return new JdkWebSocket(socket, recorder);
    }

    public void await(CompletableFuture<WebSocket> send) throws Exception {
        send.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    public String echoText(String text) throws Exception {
        await(socket.sendText(text, true));
        return nextText();
    }

    public byte[] echoBinary(byte[] payload) throws Exception {
        await(socket.sendBinary(ByteBuffer.wrap(payload), true));
        return nextBinary();
    }

    public String nextText() throws InterruptedException {
        Object message = nextMessage();
        assertThat(message).as("a text message").isInstanceOf(String.class);
        return (String) message;
    }

    public byte[] nextBinary() throws InterruptedException {
        Object message = nextMessage();
        assertThat(message).as("a binary message").isInstanceOf(byte[].class);
        return (byte[]) message;
    }

    public Object nextMessage() throws InterruptedException {
        Object message = recorder.messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (message == null) {
            fail("no message from the server within " + WAIT + "; connection state: " + recorder.closeStatus);
        }
        return message;
    }

    public int awaitCloseStatus() throws Exception {
        return recorder.closeStatus.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Sends a close frame (bounded) and drops the connection without waiting for the server's answer. */
    public void leave() {
        try {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "leaving").get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Leaving anyway: the connection is dropped below.
        } finally {
            socket.abort();
        }
    }

    /** Closes politely when still open, so servers log no abrupt disconnect, and always releases the socket. */
    @Override
    public void close() throws ExecutionException, TimeoutException {
        try {
            if (!socket.isOutputClosed() && !socket.isInputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "test done").get(WAIT.toSeconds(), TimeUnit.SECONDS);
                recorder.closeStatus.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while closing a test connection", e);
        } finally {
            socket.abort();
        }
    }

    /** Collects whole messages (the JDK client may hand them over in parts), pongs and the close status. */
    public static final class Recorder implements WebSocket.Listener {
        public final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        public final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
        public final CompletableFuture<Integer> closeStatus = new CompletableFuture<>();
        private final StringBuilder textParts = new StringBuilder();
        private final ByteArrayOutputStream binaryParts = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            textParts.append(data);
            if (last) {
                messages.add(textParts.toString());
                textParts.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            binaryParts.write(bytesOf(data), 0, data.remaining());
            if (last) {
                messages.add(binaryParts.toByteArray());
                binaryParts.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            pongs.add(bytesOf(message));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeStatus.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeStatus.completeExceptionally(error);
        }

        private static byte[] bytesOf(ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
            return bytes;
        }
    }
}
