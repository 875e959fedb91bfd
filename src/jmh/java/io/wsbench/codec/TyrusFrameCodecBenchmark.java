package io.wsbench.codec;

import io.wsbench.codec.FrameFixtures.Message;
import org.glassfish.tyrus.core.ProtocolHandler;
import org.glassfish.tyrus.core.Version;
import org.glassfish.tyrus.core.frame.Frame;
import org.glassfish.tyrus.core.frame.TextFrame;
import org.glassfish.tyrus.core.frame.TyrusFrame;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Writer;
import org.glassfish.tyrus.spi.WriterInfo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;

/**
 * Tyrus 2.2's frame codec: {@link ProtocolHandler} from tyrus-core, made by
 * {@code Version.DRAFT17.createHandler} as Tyrus's server and client make it.
 *
 * <p>Why: isolates Tyrus's frame handling from Grizzly and the endpoint. One operation is one whole
 * message (all its frames). {@code encode} goes through the public send API ({@code send(byte[])},
 * {@code send(String)}, or {@code stream(...)} per fragment) into a {@link Writer} that takes the
 * framed buffer; Tyrus's API takes text as a String, so text encode includes Tyrus encoding it to
 * UTF-8. A handler masks when it is a client's, so masked encode uses a client-side handler.
 * {@code decode} is {@code unframe} (parse and unmask) then {@link TyrusFrame#wrap}, which for text
 * validates and decodes UTF-8 (carrying a split code point over to the next fragment) exactly as
 * {@code ProtocolHandler.process} does before it hands the frame to the endpoint.
 * Eight seeded messages are cycled ({@link FrameFixtures}); masking keys come from the fixture.
 *
 * <p>Not measured: permessage-deflate (Tyrus ships it in tyrus-extension-deflate, which this
 * project does not depend on) and Tyrus's masking routine on its own ({@code Masker} is
 * package-private; it runs inside encode and decode).
 *
 * <p>Run: {@code java -jar target/benchmarks.jar TyrusFrameCodecBenchmark -f 1 -wi 3 -i 3 -prof gc}
 * ({@code -prof gc}: {@code gc.alloc.rate.norm} is bytes allocated per message). Widen with
 * {@code -p payloadBytes=125,126,65535,65536 -p fragments=1,4}; the sizes sit on RFC 6455's
 * length-encoding boundaries (7-bit up to 125, 16-bit up to 65535, 64-bit above).
 * For the gate's test switch see {@link InjectedSlowdown}.
 */
public class TyrusFrameCodecBenchmark extends AbstractCodecBenchmark {

    private static final WriterInfo TEXT = new WriterInfo(WriterInfo.MessageType.TEXT, WriterInfo.RemoteEndpointType.BASIC);
    private static final WriterInfo BINARY = new WriterInfo(WriterInfo.MessageType.BINARY, WriterInfo.RemoteEndpointType.BASIC);

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
    private ByteBuffer[] wire;
    private ProtocolHandler sender;
    private ProtocolHandler receiver;
    private int[] currentMaskKeys;
    private int maskKeyIndex;
    private int bytesWritten;
    private Blackhole sink;

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) {
        InjectedSlowdown.announce();
        messages = FrameFixtures.messages(payloadBytes, type, fragments, masked, false);
        wire = new ByteBuffer[messages.length];
        for (int i = 0; i < messages.length; i++) {
            wire[i] = ByteBuffer.wrap(messages[i].wire()).asReadOnlyBuffer();
        }
        sender = Version.DRAFT17.createHandler(masked, () -> currentMaskKeys[maskKeyIndex++]);
        sender.setWriter(new Writer() {
            @Override
            public void write(ByteBuffer buffer, CompletionHandler<ByteBuffer> completionHandler) {
                bytesWritten += buffer.remaining();
                sink.consume(buffer);
                completionHandler.completed(buffer);
            }

            @Override
            public void close() {
                // nothing to release: the writer only counts and consumes buffers
            }
        });
        receiver = Version.DRAFT17.createHandler(false, null);
        // Guards against measuring an error path: every message must encode to its wire size and decode whole.
        requireEachInputRoundTrips("Tyrus", FrameFixtures.wireSizes(messages), payloadBytes, () -> encode(blackhole),
                () -> decode(blackhole));
    }

    /** Encodes one message; returns the bytes handed to the writer. */
    @Benchmark
    public int encode(Blackhole blackhole) {
        Message m = messages[nextIndex()];
        sink = blackhole;
        bytesWritten = 0;
        currentMaskKeys = m.maskKeys();
        maskKeyIndex = 0;
        if (m.frames() == 1) {
            blackhole.consume(m.isText() ? sender.send(m.text(), TEXT) : sender.send(m.payload(), BINARY));
            InjectedSlowdown.perFrame();
            return bytesWritten;
        }
        for (int f = 0; f < m.frames(); f++) {
            blackhole.consume(m.isText()
                    ? sender.stream(m.fin(f), m.textFragments()[f], TEXT)
                    : sender.stream(m.fin(f), m.payload(), m.fragmentStart(f), m.fragmentLength(f), BINARY));
            InjectedSlowdown.perFrame();
        }
        return bytesWritten;
    }

    /** Decodes one message; returns its payload bytes after unmasking. */
    @Benchmark
    public int decode(Blackhole blackhole) {
        int index = nextIndex();
        Message m = messages[index];
        ByteBuffer in = wire[index].duplicate();
        byte fragmentedType = 0;
        ByteBuffer remainder = null;
        int bytes = 0;
        for (int f = 0; f < m.frames(); f++) {
            Frame frame = receiver.unframe(in);
            if (frame == null) {
                throw new IllegalStateException("Tyrus's unframe wanted more bytes after frame " + f + " of " + m.frames());
            }
            if (!frame.isFin() && frame.getOpcode() != FrameFixtures.OPCODE_CONTINUATION) {
                fragmentedType = frame.getOpcode();
            }
            TyrusFrame decoded = TyrusFrame.wrap(frame, fragmentedType, remainder);
            if (decoded instanceof TextFrame text) {
                remainder = text.getRemainder();
                blackhole.consume(text.getTextPayload());
            } else {
                blackhole.consume(decoded.getPayloadData());
            }
            bytes += (int) frame.getPayloadLength();
            InjectedSlowdown.perFrame();
        }
        return bytes;
    }

    private int nextIndex() {
        return nextIndex(messages.length);
    }
}
