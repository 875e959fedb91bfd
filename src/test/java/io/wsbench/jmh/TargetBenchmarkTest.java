package io.wsbench.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.wsbench.servers.NettyEchoServer;
import io.wsbench.server.ServerTls;
import io.wsbench.server.ServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The round-trip benchmark measures a server given by {@code -p target} (here one this test runs,
 * outside the benchmark's JVM) instead of starting its own, and a target it cannot use fails the
 * trial with the client's message.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TargetBenchmarkTest {

    private static ChainedOptionsBuilder oneShortIteration(String target, Path output) {
        return new OptionsBuilder()
                .include("io.wsbench.roundtrip.EchoRoundTripBenchmark.throughput")
                .param("server", "netty@loopback")
                .param("target", target)
                .param("payloadBytes", "64")
                .param("type", "binary")
                .forks(1)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(300))
                .shouldFailOnError(true)
                .jvmArgsPrepend("-Xms256m", "-Xmx256m")
                .output(output.toString());
    }

    @Test
    void measuresTheServerAtTheTarget(@TempDir Path dir) throws RunnerException {
        AtomicLong echoedByThisServer = new AtomicLong();
        NettyEchoServer server = NettyEchoServer.withEchoHandler(ServerConfig.defaults(), () -> new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof WebSocketFrame) {
                    echoedByThisServer.incrementAndGet();
                    ctx.writeAndFlush(msg);
                } else {
                    ctx.fireChannelRead(msg);
                }
            }
        });
        try {
            URI uri = server.start();
            Collection<RunResult> results = new Runner(oneShortIteration(uri.toString(), dir.resolve("jmh.log")).build()).run();
            assertThat(results).singleElement().satisfies(r -> {
                assertThat(r.getParams().getParam("target")).isEqualTo(uri.toString());
                assertThat(r.getPrimaryResult().getScore()).isPositive();
            });
            // Every round trip of the forked benchmark JVM went through this server.
            assertThat(echoedByThisServer.get()).isPositive();
        } finally {
            server.close();
        }
    }

    @Test
    void untrustedCertificateFailsTheTrialSayingHowToTrustIt(@TempDir Path dir) throws Exception {
        NettyEchoServer server = new NettyEchoServer(ServerConfig.defaults().withTls(ServerTls.JDK));
        Path log = dir.resolve("jmh.log");
        try {
            URI uri = server.start();
            assertThatThrownBy(() -> new Runner(oneShortIteration(uri.toString(), log).build()).run())
                    .isInstanceOf(RunnerException.class);
        } finally {
            server.close();
        }
        assertThat(Files.readString(log))
                .contains("EchoFailedException: TLS handshake with wss://")
                .contains("certificate not trusted")
                .contains("add -p trustAllCertificates=true for a self-signed test server");
    }
}
