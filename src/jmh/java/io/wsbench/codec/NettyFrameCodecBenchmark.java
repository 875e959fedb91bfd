package io.wsbench.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.util.ReferenceCountUtil;
import io.wsbench.codec.FrameFixtures.Message;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.util.Map;

/**
 * Netty 4.2's RFC 6455 codec: {@link WebSocket08FrameEncoder} and {@link WebSocket08FrameDecoder},
 * each in an {@link EmbeddedChannel} laid out as Netty's server pipeline lays them out.
 *
 * <p>Why: the echo round trip mixes the network, the event loop and the codec; this isolates the
 * frame handling, so a change to it shows up here undiluted. One operation is one whole message
 * (all its frames): {@code encode} turns payload {@code ByteBuf}s into wire buffers, {@code decode}
 * turns wire bytes into frames, unmasking, inflating (permessage-deflate) and validating UTF-8 with
 * {@link Utf8FrameValidator} as the server does. Eight seeded messages are cycled
 * ({@link FrameFixtures}); masking keys come from the fixture, so key generation is not measured.
 * Netty's masking loop is private to the codec, so it is measured only inside encode/decode.
 *
 * <p>Run: {@code java -jar target/benchmarks.jar NettyFrameCodecBenchmark -f 1 -wi 3 -i 3 -prof gc}
 * ({@code -prof gc} adds {@code gc.alloc.rate.norm}, bytes allocated per message). The defaults stay
 * modest; widen with {@code -p payloadBytes=125,126,65535,65536 -p fragments=1,4 -p deflate=false,true}.
 * payloadBytes sits on the length-encoding boundaries: 125 is the largest 7-bit length, 126 the
 * smallest 16-bit one, 65535 the largest 16-bit one and 65536 the smallest 64-bit one.
 * For the gate's test switch see {@link InjectedSlowdown}.
 */
public class NettyFrameCodecBenchmark extends AbstractCodecBenchmark {

    @Param({"125", "126", "65536"})
    int payloadBytes;

    @Param({"text", "binary"})
    String type;

    /** Client-to-server frames are masked, server-to-client ones are not. */
    @Param({"true", "false"})
    boolean masked;

    /** Frames per message: 1 is a whole message, more is a fragmented one. */
    @Param({"1"})
    int fragments;

    /** permessage-deflate (RFC 7692) without context takeover, through Netty's extension handlers. */
    @Param({"false"})
    boolean deflate;

    private Message[] messages;
    private ByteBuf[] payloads;
    private ByteBuf[] wire;
    private EmbeddedChannel encoder;
    private EmbeddedChannel decoder;
    private int[] currentMaskKeys;
    private int maskKeyIndex;

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) {
        InjectedSlowdown.announce();
        messages = FrameFixtures.messages(payloadBytes, type, fragments, masked, deflate);
        payloads = new ByteBuf[messages.length];
        wire = new ByteBuf[messages.length];
        for (int i = 0; i < messages.length; i++) {
            payloads[i] = Unpooled.directBuffer(payloadBytes).writeBytes(messages[i].payload());
            wire[i] = Unpooled.directBuffer(messages[i].wire().length).writeBytes(messages[i].wire());
        }
        WebSocket08FrameEncoder frameEncoder = masked
                ? new WebSocket08FrameEncoder(() -> currentMaskKeys[maskKeyIndex++])
                : new WebSocket08FrameEncoder(false);
        WebSocket08FrameDecoder frameDecoder = new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(masked)
                .allowMaskMismatch(false)
                .allowExtensions(deflate)
                .maxFramePayloadLength(1 << 20)
                .build());
        if (deflate) {
            WebSocketServerExtension extension = permessageDeflate();
            encoder = new EmbeddedChannel(frameEncoder, extension.newExtensionEncoder());
            decoder = new EmbeddedChannel(frameDecoder, extension.newExtensionDecoder(), new Utf8FrameValidator());
        } else {
            encoder = new EmbeddedChannel(frameEncoder);
            decoder = new EmbeddedChannel(frameDecoder, new Utf8FrameValidator());
        }
        // Guards against measuring an error path: every message must encode to its wire size and decode whole.
        requireEachInputRoundTrips("Netty", FrameFixtures.wireSizes(messages), payloadBytes, () -> encode(blackhole),
                () -> decode(blackhole));
    }

    private static WebSocketServerExtension permessageDeflate() {
        // level 6, no server window choice, client window 15, accept both no-context-takeover offers, inflate at most 1 MiB
        WebSocketServerExtension extension = new PerMessageDeflateServerExtensionHandshaker(6, false, 15, true, true, 1 << 20)
                .handshakeExtension(new WebSocketExtensionData("permessage-deflate",
                        Map.of("server_no_context_takeover", "", "client_no_context_takeover", "")));
        if (extension == null) {
            throw new IllegalStateException("Netty refused the permessage-deflate offer");
        }
        return extension;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoder.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
        for (int i = 0; i < messages.length; i++) {
            payloads[i].release();
            wire[i].release();
        }
    }

    /** Encodes one message; returns the bytes put on the wire. */
    @Benchmark
    public int encode(Blackhole blackhole) {
        int index = nextIndex();
        Message m = messages[index];
        ByteBuf payload = payloads[index];
        currentMaskKeys = m.maskKeys();
        maskKeyIndex = 0;
        for (int f = 0; f < m.frames(); f++) {
            encoder.write(frame(m, f, payload.retainedSlice(m.fragmentStart(f), m.fragmentLength(f))));
            InjectedSlowdown.perFrame();
        }
        encoder.flushOutbound();
        encoder.checkException();
        int bytes = 0;
        for (int i = 0; i <= 2 * m.frames(); i++) { // the encoder emits at most a header and a payload buffer per frame
            ByteBuf out = encoder.readOutbound();
            if (out == null) {
                return bytes;
            }
            bytes += out.readableBytes();
            blackhole.consume(out);
            out.release();
        }
        throw new IllegalStateException("Netty's encoder emitted more than two buffers per frame");
    }

    /** Decodes one message; returns its payload bytes after unmasking and inflating. */
    @Benchmark
    public int decode(Blackhole blackhole) {
        int index = nextIndex();
        decoder.writeInbound(wire[index].retainedDuplicate());
        int bytes = 0;
        for (int i = 0; i <= messages[index].frames(); i++) {
            WebSocketFrame frame = decoder.readInbound();
            if (frame == null) {
                return bytes;
            }
            bytes += frame.content().readableBytes();
            blackhole.consume(frame);
            ReferenceCountUtil.release(frame);
            InjectedSlowdown.perFrame();
        }
        throw new IllegalStateException("Netty's decoder emitted more frames than the message has");
    }

    private static WebSocketFrame frame(Message m, int f, ByteBuf content) {
        if (f > 0) {
            return new ContinuationWebSocketFrame(m.fin(f), 0, content);
        }
        return m.isText() ? new TextWebSocketFrame(m.fin(f), 0, content) : new BinaryWebSocketFrame(m.fin(f), 0, content);
    }

    private int nextIndex() {
        return nextIndex(messages.length);
    }
}
