package io.wsbench.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.util.ReferenceCountUtil;
import org.eclipse.jetty.util.Utf8StringBuilder;
import org.glassfish.tyrus.core.StrictUtf8;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 validation of a whole text message, the check RFC 6455 requires of every text frame,
 * by each library's own validator and by the JDK's decoder as the reference.
 *
 * <p>Why: text decode in the codec benchmarks is mostly this; when they move, this tells whether
 * validation moved. The validators do different amounts of work, which the numbers include:
 * Netty's {@link Utf8FrameValidator} (its {@code Utf8Validator} is package-private, so it runs as the
 * handler in an {@link EmbeddedChannel}, as in Netty's server pipeline) only validates; Jetty's
 * {@link Utf8StringBuilder}, Tyrus's {@link StrictUtf8} and the JDK's {@link CharsetDecoder}
 * (set to report errors) validate while decoding into chars. Input is random UTF-8 mixing 1- to
 * 4-byte code points ({@link FrameFixtures}); eight messages are cycled.
 *
 * <p>Run: {@code java -jar target/benchmarks.jar Utf8ValidationBenchmark -f 1 -wi 3 -i 3 -prof gc};
 * other sizes with {@code -p payloadBytes=125,126,65535,65536}.
 */
public class Utf8ValidationBenchmark extends AbstractCodecBenchmark {

    @Param({"125", "65536"})
    int payloadBytes;

    private ByteBuf[] nettyPayloads;
    private ByteBuffer[] payloads;
    private EmbeddedChannel nettyValidator;
    private final Utf8StringBuilder jetty = new Utf8StringBuilder();
    private final CharsetDecoder tyrus = new StrictUtf8().newDecoder();
    private final CharsetDecoder jdk = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    @Setup(Level.Trial)
    public void setUp() {
        FrameFixtures.Message[] messages = FrameFixtures.messages(payloadBytes, "text", 1, false, false);
        nettyPayloads = new ByteBuf[messages.length];
        payloads = new ByteBuffer[messages.length];
        for (int i = 0; i < messages.length; i++) {
            nettyPayloads[i] = Unpooled.directBuffer(payloadBytes).writeBytes(messages[i].payload());
            payloads[i] = ByteBuffer.allocateDirect(payloadBytes).put(messages[i].payload()).flip();
        }
        nettyValidator = new EmbeddedChannel(new Utf8FrameValidator());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        nettyValidator.finishAndReleaseAll();
        for (ByteBuf payload : nettyPayloads) {
            payload.release();
        }
    }

    @Benchmark
    public Object nettyUtf8FrameValidator() {
        nettyValidator.writeInbound(new TextWebSocketFrame(nettyPayloads[nextIndex()].retainedDuplicate()));
        Object frame = nettyValidator.readInbound();
        if (frame == null) {
            throw new IllegalStateException("Utf8FrameValidator passed no frame on");
        }
        ReferenceCountUtil.release(frame);
        return frame;
    }

    @Benchmark
    public String jettyUtf8StringBuilder() {
        jetty.append(payloads[nextIndex()].duplicate());
        return jetty.takeCompleteString(() -> new IllegalStateException("Jetty found invalid UTF-8"));
    }

    @Benchmark
    public CharBuffer tyrusStrictUtf8() throws CharacterCodingException {
        return tyrus.decode(payloads[nextIndex()].duplicate());
    }

    @Benchmark
    public CharBuffer jdkCharsetDecoder() throws CharacterCodingException {
        return jdk.decode(payloads[nextIndex()].duplicate());
    }

    private int nextIndex() {
        return nextIndex(payloads.length);
    }
}
