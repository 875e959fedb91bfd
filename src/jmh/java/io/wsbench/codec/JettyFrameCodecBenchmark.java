package io.wsbench.codec;

import io.wsbench.codec.FrameFixtures.Message;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Utf8StringBuilder;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.internal.Generator;
import org.eclipse.jetty.websocket.core.internal.Parser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;

/**
 * Jetty 12's WebSocket core codec: {@code org.eclipse.jetty.websocket.core.internal.Generator} and
 * {@code Parser} (jetty-websocket-core-common 12.1.14), called directly as Jetty's connection and
 * flusher call them.
 *
 * <p>Why: isolates Jetty's frame handling from the network and the server. One operation is one
 * whole message (all its frames). {@code encode} is what Jetty's FrameFlusher does per frame it does
 * not batch: {@code generateHeader}, then for a masked frame {@code generatePayload} (which XORs the
 * payload into the output buffer), while an unmasked payload goes out as is (a gathering write).
 * {@code decode} copies the wire bytes into the read buffer (Jetty's connection reads the socket into
 * one; needed because Jetty unmasks in place), then per frame {@code Parser.parse},
 * {@code Frame.demask()} (Jetty's masking routine, as the session calls it) and for text
 * {@link Utf8StringBuilder}, which validates and decodes as Jetty's text message sink does.
 * Eight seeded messages are cycled ({@link FrameFixtures}).
 *
 * <p>permessage-deflate is not measured: Jetty implements it as {@code PerMessageDeflateExtension}
 * inside an extension stack wired to a session's callbacks and demand, not at codec level.
 *
 * <p>Run: {@code java -jar target/benchmarks.jar JettyFrameCodecBenchmark -f 1 -wi 3 -i 3 -prof gc}
 * ({@code -prof gc}: {@code gc.alloc.rate.norm} is bytes allocated per message). Widen with
 * {@code -p payloadBytes=125,126,65535,65536 -p fragments=1,4}; the sizes sit on RFC 6455's
 * length-encoding boundaries (7-bit up to 125, 16-bit up to 65535, 64-bit above).
 * For the gate's test switch see {@link InjectedSlowdown}.
 */
public class JettyFrameCodecBenchmark extends AbstractCodecBenchmark {

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

    private Message[] messages;
    private ByteBuffer[] payloads;
    private ByteBuffer[] wire;
    private byte[][][] masks;
    private final Generator generator = new Generator();
    private Parser parser;
    private ByteBuffer header;
    private ByteBuffer maskedPayload;
    private ByteBuffer readBuffer;
    private final Utf8StringBuilder utf8 = new Utf8StringBuilder();

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) {
        InjectedSlowdown.announce();
        messages = FrameFixtures.messages(payloadBytes, type, fragments, masked, false);
        payloads = new ByteBuffer[messages.length];
        wire = new ByteBuffer[messages.length];
        masks = new byte[messages.length][][];
        int maxWire = 0;
        for (int i = 0; i < messages.length; i++) {
            Message m = messages[i];
            payloads[i] = BufferUtil.toBuffer(m.payload()).asReadOnlyBuffer();
            wire[i] = BufferUtil.toBuffer(m.wire()).asReadOnlyBuffer();
            masks[i] = new byte[m.frames()][];
            for (int f = 0; f < m.frames(); f++) {
                masks[i][f] = Message.maskBytes(m.maskKeys()[f]);
            }
            maxWire = Math.max(maxWire, m.wire().length);
        }
        Configuration.ConfigurationCustomizer configuration = new Configuration.ConfigurationCustomizer();
        configuration.setMaxFrameSize(1 << 20);
        configuration.setAutoFragment(false);
        parser = new Parser(new ArrayByteBufferPool(), configuration);
        header = BufferUtil.allocate(Generator.MAX_HEADER_LENGTH);
        maskedPayload = BufferUtil.allocateDirect(payloadBytes);
        readBuffer = BufferUtil.allocateDirect(maxWire);
        // Guards against measuring an error path: every message must encode to its wire size and decode whole.
        requireEachInputRoundTrips("Jetty", FrameFixtures.wireSizes(messages), payloadBytes, () -> encode(blackhole),
                () -> decode(blackhole));
    }

    /** Encodes one message; returns the bytes put on the wire. */
    @Benchmark
    public int encode(Blackhole blackhole) {
        int index = nextIndex();
        Message m = messages[index];
        int bytes = 0;
        for (int f = 0; f < m.frames(); f++) {
            ByteBuffer part = payloads[index].slice(m.fragmentStart(f), m.fragmentLength(f));
            Frame frame = new Frame((byte) m.opcode(f), m.fin(f), part);
            if (masked) {
                frame.setMask(masks[index][f]);
            }
            BufferUtil.clear(header);
            generator.generateHeader(frame, header);
            bytes += header.remaining();
            blackhole.consume(header);
            if (masked) {
                BufferUtil.clear(maskedPayload);
                generator.generatePayload(frame, maskedPayload);
                bytes += maskedPayload.remaining();
                blackhole.consume(maskedPayload);
            } else {
                bytes += part.remaining();
                blackhole.consume(part);
            }
            InjectedSlowdown.perFrame();
        }
        return bytes;
    }

    /** Decodes one message; returns its payload bytes after unmasking. */
    @Benchmark
    public int decode(Blackhole blackhole) {
        int index = nextIndex();
        Message m = messages[index];
        readBuffer.clear();
        readBuffer.put(wire[index].duplicate());
        readBuffer.flip();
        int bytes = 0;
        for (int f = 0; f < m.frames(); f++) {
            Frame.Parsed frame = parser.parse(readBuffer);
            if (frame == null) {
                throw new IllegalStateException("Jetty's parser wanted more bytes after frame " + f + " of " + m.frames());
            }
            try {
                frame.demask();
                bytes += frame.getPayloadLength();
                if (m.isText()) {
                    utf8.append(frame.getPayload());
                    if (frame.isFin()) {
                        blackhole.consume(utf8.takeCompleteString(() -> new IllegalStateException("invalid UTF-8 in a text message")));
                    }
                } else {
                    blackhole.consume(frame.getPayload());
                }
            } finally {
                frame.close();
            }
            InjectedSlowdown.perFrame();
        }
        return bytes;
    }

    private int nextIndex() {
        return nextIndex(messages.length);
    }
}
