package io.wsbench.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The lifecycle the base gives every embedded server, on a server whose library is a stub. */
class EmbeddedEchoServerTest {

    /** Serves by running one thread in its group until stop(); or fails its start with {@code startFailure}. */
    private static final class StubServer extends EmbeddedEchoServer {
        private final Exception startFailure;
        private final CountDownLatch stopped = new CountDownLatch(1);
        int stops;
        Thread worker;

        StubServer(Exception startFailure) {
            super("stub", ServerConfig.defaults());
            this.startFailure = startFailure;
        }

        @Override
        protected URI serve(ServerThreads threads) throws Exception {
            worker = new Thread(threads.group(), this::awaitStop, "stub-worker");
            worker.setDaemon(true);
            worker.start();
            if (startFailure != null) {
                throw startFailure;
            }
            return URI.create("ws://127.0.0.1:1/");
        }

        private void awaitStop() {
            try {
                stopped.await(ServerThreads.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        protected ServerSettings readSettings(ServerThreads threads) {
            return ServerSettings.of(name()).put(ServerSettings.LIVE_THREADS, threads.liveCount()).build();
        }

        @Override
        protected void stop(ServerThreads threads) {
            stops++;
            stopped.countDown();
        }
    }

    @Test
    void aSecondStartIsRefusedAlsoAfterClose() {
        StubServer server = new StubServer(null);
        server.start();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("stub echo server already started; create a new instance per run");
        server.close();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("create a new instance per run");
    }

    @Test
    void settingsAreReadOnlyWhileRunning() {
        StubServer server = new StubServer(null);
        assertThatThrownBy(server::settings).hasMessageContaining("call start() first");
        server.start();
        assertThat(server.settings().get(ServerSettings.LIVE_THREADS)).isEqualTo("1");
        server.close();
        assertThatThrownBy(server::settings).hasMessageContaining("stub is not running");
    }

    @Test
    void closeStopsOnceJoinsTheGroupAndMayBeCalledAgain() {
        StubServer server = new StubServer(null);
        server.close(); // before start: nothing to stop
        assertThat(server.stops).isZero();
        server.start();
        assertThat(server.ownsThread(server.worker)).isTrue();
        assertThat(server.ownsThread(Thread.currentThread())).isFalse();
        server.close();
        server.close();
        assertThat(server.stops).isEqualTo(1);
        assertThat(server.worker.isAlive()).as("the group's thread was joined").isFalse();
    }

    @Test
    void aFailedStartIsCleanedUpAndNamesTheFix() {
        StubServer server = new StubServer(new BindException("Address already in use"));
        assertThatThrownBy(server::start).isInstanceOf(ServerStartException.class)
                .hasMessageContaining("stub could not bind")
                .hasMessageContaining("use port 0 for an ephemeral one")
                .hasCauseInstanceOf(BindException.class);
        assertThat(server.stops).isEqualTo(1);
        assertThat(server.worker.isAlive()).isFalse();
        assertThatThrownBy(server::start).hasMessageContaining("create a new instance per run");
    }

    @Test
    void aStartExceptionOfTheServersOwnIsThrownAsItCame() {
        ServerStartException own = new ServerStartException("stub refuses tlsProvider=openssl; use -p tlsProvider=jdk");
        StubServer server = new StubServer(own);
        assertThatThrownBy(server::start).isSameAs(own);
        assertThat(server.stops).isEqualTo(1);
    }

    @Test
    void aServerNeedsANameAndAConfig() {
        assertThatThrownBy(() -> new StubServerWithout(null, ServerConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a name");
        assertThatThrownBy(() -> new StubServerWithout("stub", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stub needs a ServerConfig");
    }

    private static final class StubServerWithout extends EmbeddedEchoServer {
        StubServerWithout(String name, ServerConfig config) {
            super(name, config);
        }

        @Override
        protected URI serve(ServerThreads threads) {
            throw new UnsupportedOperationException("never started");
        }

        @Override
        protected ServerSettings readSettings(ServerThreads threads) {
            throw new UnsupportedOperationException("never started");
        }

        @Override
        protected void stop(ServerThreads threads) {
            throw new UnsupportedOperationException("never started");
        }
    }
}
