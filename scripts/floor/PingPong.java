import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;

/**
 * The physical floor, measured apart from the suite: a plain blocking-socket ping-pong over loopback in one JVM, one
 * connection, TCP_NODELAY, fixed-size messages, every reply compared with what was sent. No JMH, no Netty, nothing of
 * wsbench: the suite's own floors ({@code server=socket}, {@code server=rawtcp}) are read against this number.
 *
 * <p>{@code java scripts/floor/PingPong.java [payloadBytes=64] [seconds=5] [warmupSeconds=3] [runs=3]}: prints round
 * trips per second and the p50/p99 of every round trip of each run, then the median run.
 */
public final class PingPong {
    public static void main(String[] args) throws Exception {
        int payloadBytes = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        double warmupSeconds = args.length > 2 ? Double.parseDouble(args[2]) : 3;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> echo(listener, payloadBytes), "pingpong-server");
            server.setDaemon(true);
            server.start();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                socket.setTcpNoDelay(true);
                OutputStream out = socket.getOutputStream();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                byte[] message = new byte[payloadBytes];
                byte[] reply = new byte[payloadBytes];
                run(out, in, message, reply, warmupSeconds, null);
                double[] rates = new double[runs];
                for (int r = 0; r < runs; r++) {
                    long[] latencies = new long[(int) Math.min(50_000_000, seconds * 200_000)];
                    int[] count = new int[1];
                    rates[r] = run(out, in, message, reply, seconds, new Recorder(latencies, count));
                    long[] sorted = Arrays.copyOf(latencies, count[0]);
                    Arrays.sort(sorted);
                    System.out.printf("run %d: %.0f round trips/s, p50 %.1f us, p99 %.1f us (%d B, %d round trips)%n", r + 1,
                            rates[r], sorted[sorted.length / 2] / 1000.0, sorted[(int) (sorted.length * 0.99)] / 1000.0,
                            payloadBytes, sorted.length);
                }
                double[] sortedRates = rates.clone();
                Arrays.sort(sortedRates);
                System.out.printf("median: %.0f round trips/s (java %s)%n", sortedRates[runs / 2], System.getProperty("java.version"));
            }
        }
    }

    private record Recorder(long[] latencies, int[] count) {
        void record(long nanos) {
            if (count[0] < latencies.length) {
                latencies[count[0]++] = nanos;
            }
        }
    }

    private static double run(OutputStream out, DataInputStream in, byte[] message, byte[] reply, double seconds,
            Recorder recorder) throws IOException {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long trips = 0;
        for (long now = start; now < end; trips++) {
            message[trips % message.length == 0 ? 0 : (int) (trips % message.length)] = (byte) trips;
            out.write(message);
            in.readFully(reply);
            long after = System.nanoTime();
            if (!Arrays.equals(message, reply)) {
                throw new IllegalStateException("reply " + trips + " differs from what was sent");
            }
            if (recorder != null) {
                recorder.record(after - now);
            }
            now = after;
        }
        return trips / ((System.nanoTime() - start) / 1e9);
    }

    private static void echo(ServerSocket listener, int payloadBytes) {
        try (Socket socket = listener.accept(); InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            socket.setTcpNoDelay(true);
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            System.err.println("echo server: " + e);
        }
    }
}
