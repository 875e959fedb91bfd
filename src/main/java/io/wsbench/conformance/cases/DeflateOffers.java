package io.wsbench.conformance.cases;

import io.wsbench.wire.PerMessageDeflate;

import java.util.Arrays;
import java.util.Locale;

/** Whether a server's permessage-deflate answer stays within what the client offered (RFC 7692 §7.1). */
public final class DeflateOffers {

    private DeflateOffers() {
    }

    /**
     * Why the accepted parameters answer none of the comma-separated offers, or null when they answer one: a
     * requested server_no_context_takeover must be in the answer (§7.1.1.1), and a requested server_max_window_bits
     * answered with a value no larger (§7.1.2.1).
     */
    public static String violation(String offers, PerMessageDeflate.Parameters accepted) {
        for (String offer : offers.split(",")) {
            String lower = offer.toLowerCase(Locale.ROOT);
            boolean noContextTakeover = lower.contains("server_no_context_takeover");
            int requestedBits = Arrays.stream(lower.split(";")).map(String::trim)
                    .filter(p -> p.startsWith("server_max_window_bits="))
                    .mapToInt(p -> Integer.parseInt(p.substring(p.indexOf('=') + 1).trim()))
                    .findFirst().orElse(PerMessageDeflate.MAX_WINDOW_BITS);
            if ((!noContextTakeover || accepted.serverNoContextTakeover())
                    && accepted.serverMaxWindowBits() <= requestedBits) {
                return null;
            }
        }
        return "the server's answer " + accepted + " fits none of the offers '" + offers
                + "': a requested server_no_context_takeover or server_max_window_bits was ignored (RFC 7692 §7.1)";
    }
}
