package io.wsbench.server;

import java.util.Locale;

/**
 * Whether an embedded server serves {@code wss://}, and with which TLS implementation: the benchmarks' {@code tls} and
 * {@code tlsProvider} parameters. Every embedded WebSocket server takes {@link #JDK} (the JDK's SSLEngine, what each
 * library uses by default); {@link #OPENSSL} is Netty's OpenSSL binding (netty-tcnative-boringssl-static), which only
 * the Netty server uses. The certificate is self-signed and made when the JVM first needs it ({@link SelfSignedTls}).
 */
public enum ServerTls {
    /** Plain {@code ws://}. */
    NONE,
    /** {@code wss://} through the JDK's SSLEngine. */
    JDK,
    /** {@code wss://} through BoringSSL (Netty's OpenSSL provider). */
    OPENSSL;

    /**
     * The mode the parameters ask for: {@code tls=false} is {@link #NONE} whatever the provider, {@code tls=true} takes
     * {@code tlsProvider} ({@code jdk} or {@code openssl}).
     *
     * @throws IllegalArgumentException for a provider that is neither, naming the valid ones
     */
    public static ServerTls of(boolean tls, String tlsProvider) {
        String provider = tlsProvider.trim().toLowerCase(Locale.ROOT);
        ServerTls chosen = switch (provider) {
            case "jdk" -> JDK;
            case "openssl" -> OPENSSL;
            default -> throw new IllegalArgumentException("unknown tlsProvider '" + tlsProvider
                    + "': use jdk (the JDK's SSLEngine, every server) or openssl (BoringSSL, netty only)");
        };
        return tls ? chosen : NONE;
    }

    public boolean enabled() {
        return this != NONE;
    }

    /** The parameter value: jdk or openssl (none for plain). */
    public String paramValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Refuses {@link #OPENSSL} for a server that takes its TLS from the JDK: every server but Netty's.
     *
     * @throws ServerStartException naming the server and the fix
     */
    public void requireJdkFor(String serverName) {
        if (this == OPENSSL) {
            throw new ServerStartException("server=" + serverName + " does its TLS through the JDK's SSLEngine; tlsProvider="
                    + "openssl (BoringSSL) is Netty's only: use -p tlsProvider=jdk, or -p server=netty", null);
        }
    }
}
