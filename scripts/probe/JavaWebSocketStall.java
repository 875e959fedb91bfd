import io.wsbench.client.BlockingEchoConnection;
import io.wsbench.client.ClientConfig;
import io.wsbench.client.MessageType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * Evidence for docs/faults.md: a plain Java-WebSocket echo server (the library's own WebSocketServer, nothing of
 * wsbench's server classes) under the suite's blocking ping-pong client, run until an echo is more than a second late;
 * then prints the stalled connection's state. An echo still in the connection's out-queue while its selection key
 * asks only for OP_READ is the lost write interest: nothing will write it until the client sends again, which a
 * ping-pong client never does.
 *
 * <pre>java -cp target/benchmarks.jar scripts/probe/JavaWebSocketStall.java [SECONDS]   (default 30)</pre>
 *
 * Exit status 3 on a stall, 0 when none happened within SECONDS.
 */
public class JavaWebSocketStall {
    static volatile WebSocketImpl last;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
            System.out.println("usage: java -cp target/benchmarks.jar scripts/probe/JavaWebSocketStall.java [SECONDS]"
                    + "\n  ping-pong against a plain Java-WebSocket echo server until an echo stalls (exit 3) or SECONDS pass (exit 0)");
            return;
        }
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 30;
        WebSocketServer server = new WebSocketServer(new InetSocketAddress("127.0.0.1", 0), 1, List.of(new Draft_6455())) {
            public void onOpen(WebSocket c, ClientHandshake h) { last = (WebSocketImpl) c; }
            public void onClose(WebSocket c, int code, String r, boolean remote) { }
            public void onMessage(WebSocket c, String m) { c.send(m); }
            public void onMessage(WebSocket c, ByteBuffer m) { c.send(m); }
            public void onError(WebSocket c, Exception e) { e.printStackTrace(); }
            public void onStart() { }
        };
        server.setTcpNoDelay(true);
        server.setDaemon(true);
        server.start();
        long bindDeadline = System.nanoTime() + 10_000_000_000L;
        while (server.getPort() == 0) {
            if (System.nanoTime() > bindDeadline) {
                throw new IllegalStateException("the Java-WebSocket server did not bind a port within 10 s");
            }
            Thread.sleep(10);
        }
        AtomicLong done = new AtomicLong();
        Thread watch = new Thread(() -> {
            long seen = -1;
            while (true) {
                try { Thread.sleep(1000); } catch (InterruptedException e) { return; }
                long now = done.get();
                if (now == seen && last != null) {
                    WebSocketImpl c = last;
                    System.out.println("STALL after " + now + " echoes: outQueue=" + c.outQueue.size()
                            + " interestOps=" + c.getSelectionKey().interestOps() + " (1=READ, 5=READ|WRITE)"
                            + " inQueue=" + c.inQueue.size());
                    System.exit(3);
                }
                seen = now;
            }
        });
        watch.setDaemon(true);
        watch.start();
        URI uri = URI.create("ws://127.0.0.1:" + server.getPort() + "/echo");
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        try (BlockingEchoConnection c = BlockingEchoConnection.open(uri, MessageType.TEXT, 64, 1, ClientConfig.defaults())) {
            while (System.nanoTime() < deadline) {
                c.roundTrip();
                done.incrementAndGet();
            }
        }
        System.out.println("no stall in " + done.get() + " echoes");
    }
}
