package io.wsbench.client;

import java.util.Locale;

/**
 * What the bytes of the messages are, the {@code payloadContent} parameter: it decides what permessage-deflate can
 * save. Deflate keeps a 32 KiB window across the messages of a connection (context takeover), so a message that
 * repeats the last one costs almost nothing on the wire whatever its bytes; only content that changes from message to
 * message measures compression honestly.
 *
 * <ul>
 *   <li>{@link #FIXED} (the default, and what every run without this parameter measured): one random template per
 *       connection, only the sequence field changing — fine without compression, nearly free under deflate;
 *   <li>{@link #RANDOM}: each message a fresh stretch of random bytes (binary) or random ASCII characters (text, 66
 *       symbols: deflate's Huffman coding saves about a quarter): incompressible;
 *   <li>{@link #JSON}: each message a fresh stretch of chat-like JSON records (same field names, varying users,
 *       numbers), which deflate shrinks several-fold, as it does real events.
 * </ul>
 */
public enum PayloadContent {
    FIXED,
    RANDOM,
    JSON;

    public static PayloadContent parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown payloadContent '" + value + "': use fixed (one template per"
                    + " connection), random (incompressible) or json (compressible), e.g. -p payloadContent=json", e);
        }
    }

    /** Whether each message has other bytes than the last (beyond its sequence field). */
    public boolean varies() {
        return this != FIXED;
    }

    public String paramValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
