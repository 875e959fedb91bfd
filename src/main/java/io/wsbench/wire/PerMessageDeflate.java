package io.wsbench.wire;

import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The client's side of permessage-deflate (RFC 7692) for one connection: the parameters the server accepted, and
 * compressing what the client sends and inflating what the server sends.
 *
 * <p>The client compresses each message with a fresh deflater (no context takeover of its own, which §7.1.1.2 always
 * allows), and without back-references when the server limited {@code client_max_window_bits} below 15: the JDK's
 * deflater always uses a 32 KiB window, so Huffman-only coding is the only output valid for a smaller one. The
 * server's messages are inflated with one inflater kept across messages unless {@code server_no_context_takeover} was
 * agreed.
 */
public final class PerMessageDeflate {

    public static final String EXTENSION = "permessage-deflate";
    /** §7.2.1: the empty stored block's tail, removed from every compressed message and added back to inflate it. */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};
    public static final int MAX_WINDOW_BITS = 15;

    /**
     * The negotiated parameters (§7.1).
     *
     * @param serverMaxWindowBits 15 when the response does not limit it
     * @param clientMaxWindowBits 15 when the response does not limit it
     */
    public record Parameters(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
            int serverMaxWindowBits, int clientMaxWindowBits) {
    }

    private final Parameters parameters;
    private final Inflater inflater = new Inflater(true);
    private final int maxMessageBytes;

    private PerMessageDeflate(Parameters parameters, int maxMessageBytes) {
        this.parameters = parameters;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * The extension as the server's Sec-WebSocket-Extensions answer sets it up.
     *
     * @param maxMessageBytes an inflated message larger than this is refused rather than held in memory
     * @throws IllegalArgumentException the answer is not one permessage-deflate with valid parameters (§7.1)
     */
    public static PerMessageDeflate fromResponse(String response, int maxMessageBytes) {
        return new PerMessageDeflate(parse(response), maxMessageBytes);
    }

    /** The parameters of a server's answer; see {@link #fromResponse}. */
    public static Parameters parse(String response) {
        String[] parts = response.split(";");
        if (response.contains(",") || !parts[0].trim().equalsIgnoreCase(EXTENSION)) {
            throw new IllegalArgumentException("the server answered Sec-WebSocket-Extensions '" + response
                    + "', not one " + EXTENSION + " (RFC 7692 §5)");
        }
        boolean serverNoContextTakeover = false;
        boolean clientNoContextTakeover = false;
        int serverBits = MAX_WINDOW_BITS;
        int clientBits = MAX_WINDOW_BITS;
        for (int i = 1; i < parts.length; i++) {
            String[] nameValue = parts[i].trim().split("=", 2);
            String name = nameValue[0].trim().toLowerCase(Locale.ROOT);
            String value = nameValue.length == 2 ? nameValue[1].trim().replace("\"", "") : null;
            switch (name) {
                case "server_no_context_takeover" -> serverNoContextTakeover = true;
                case "client_no_context_takeover" -> clientNoContextTakeover = true;
                case "server_max_window_bits" -> serverBits = windowBits(name, value, response);
                case "client_max_window_bits" -> clientBits = windowBits(name, value, response);
                default -> throw new IllegalArgumentException("the server answered " + EXTENSION + " with unknown"
                        + " parameter '" + name + "' in '" + response + "' (RFC 7692 §7.1)");
            }
        }
        return new Parameters(serverNoContextTakeover, clientNoContextTakeover, serverBits, clientBits);
    }

    private static int windowBits(String name, String value, String response) {
        try {
            int bits = Integer.parseInt(value == null ? "" : value);
            if (bits >= 8 && bits <= MAX_WINDOW_BITS) {
                return bits;
            }
        } catch (NumberFormatException notANumber) {
            // Reported below with the rule it breaks.
        }
        throw new IllegalArgumentException("the server answered " + name + "=" + value + " in '" + response
                + "': a response must give it a value of 8 to 15 (RFC 7692 §7.1.2)");
    }

    public Parameters parameters() {
        return parameters;
    }

    /** The message compressed as a permessage-deflate payload (the 4-byte tail removed, §7.2.1). */
    public byte[] compress(byte[] message) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            if (parameters.clientMaxWindowBits() < MAX_WINDOW_BITS) {
                deflater.setStrategy(Deflater.HUFFMAN_ONLY);
            }
            deflater.setInput(message);
            ByteArrayOutputStream out = new ByteArrayOutputStream(message.length / 2 + 64);
            byte[] buffer = new byte[64 * 1024];
            int n;
            do {
                n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                out.write(buffer, 0, n);
            } while (n == buffer.length);
            byte[] compressed = out.toByteArray();
            if (!endsWithTail(compressed)) {
                throw new IllegalStateException("the JDK's deflater ended a sync flush without 00 00 FF FF");
            }
            return java.util.Arrays.copyOf(compressed, compressed.length - TAIL.length);
        } finally {
            deflater.end();
        }
    }

    /**
     * The server's compressed message inflated.
     *
     * @throws DataFormatException the payload is not valid deflate data, or inflates to more than the limit
     */
    public byte[] decompress(byte[] payload) throws DataFormatException {
        if (parameters.serverNoContextTakeover()) {
            inflater.reset();
        }
        byte[] input = java.util.Arrays.copyOf(payload, payload.length + TAIL.length);
        System.arraycopy(TAIL, 0, input, payload.length, TAIL.length);
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length * 2 + 64);
        byte[] buffer = new byte[64 * 1024];
        // Each round either makes output or consumes the rest of the input; the limit bounds the rounds.
        while (!inflater.needsInput()) {
            int n = inflater.inflate(buffer);
            out.write(buffer, 0, n);
            if (out.size() > maxMessageBytes) {
                throw new DataFormatException("inflates to more than " + maxMessageBytes + " bytes");
            }
            if (n == 0 && (inflater.finished() || inflater.needsDictionary())) {
                break;
            }
        }
        return out.toByteArray();
    }

    private static boolean endsWithTail(byte[] data) {
        if (data.length < TAIL.length) {
            return false;
        }
        for (int i = 0; i < TAIL.length; i++) {
            if (data[data.length - TAIL.length + i] != TAIL[i]) {
                return false;
            }
        }
        return true;
    }
}
