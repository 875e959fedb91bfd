package io.wsbench.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Server TLS with a throwaway self-signed certificate, made once per JVM when a server first needs it, for {@code
 * -p tls=true}, {@code ServeMain --tls} and the client's {@code wss://} tests. No client trusts it unless told to
 * ({@code -p trustAllCertificates=true}; the benchmarks tell their own client so for an embedded TLS server).
 *
 * <p>Each library takes its server certificate in its own form, all from the one key pair here: Netty an {@link
 * SslContext}, Jetty, Undertow, Tyrus, Java-WebSocket and Helidon a JDK {@link SSLContext}, Tomcat and Vert.x a {@link
 * KeyStore} with its password.
 */
public final class SelfSignedTls {
    /** The host name the certificate is issued to; clients connect to 127.0.0.1, so only a trust-all client accepts it. */
    public static final String CERTIFICATE_HOST = "localhost";
    /** The alias of the key in {@link #keyStore()}. */
    public static final String KEY_ALIAS = "wsbench";

    private static final char[] PASSWORD = "wsbench-self-signed".toCharArray();
    private static SelfSignedTls shared;

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final KeyStore keyStore;

    private SelfSignedTls(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
        try {
            keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(KEY_ALIAS, key, PASSWORD, new Certificate[] {certificate});
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("could not put the self-signed certificate in a key store: " + e.getMessage(), e);
        }
    }

    /** This JVM's certificate for {@value #CERTIFICATE_HOST}, made on first use (RSA 2048, about 0.1–1 s). */
    public static synchronized SelfSignedTls shared() {
        if (shared == null) {
            shared = generate(CERTIFICATE_HOST);
        }
        return shared;
    }

    /** A server context whose certificate is issued to {@code hostname}, through the JDK's SSLEngine. */
    public static SslContext serverContext(String hostname) {
        return generate(hostname).nettyContext(ServerTls.JDK);
    }

    // Netty 4.2 deprecates SelfSignedCertificate in favour of netty-pkitesting, a dependency this
    // one use does not justify; it still generates the certificate with the JDK alone.
    @SuppressWarnings("deprecation")
    private static SelfSignedTls generate(String hostname) {
        SelfSignedCertificate generated = null;
        try {
            generated = SelfSignedCertificate.builder().fqdn(hostname).build();
            return new SelfSignedTls(generated.key(), generated.cert());
        } catch (CertificateException e) {
            throw new IllegalStateException("could not create a self-signed certificate for " + hostname + ": " + e.getMessage(), e);
        } finally {
            if (generated != null) {
                generated.delete(); // key and certificate are in memory now; drop the temp files
            }
        }
    }

    /**
     * Netty's server context with this certificate, through the JDK's SSLEngine or BoringSSL.
     *
     * @throws IllegalArgumentException for {@link ServerTls#NONE}
     * @throws ServerStartException when BoringSSL is asked for and cannot load, naming why
     */
    public SslContext nettyContext(ServerTls provider) {
        SslProvider sslProvider = switch (provider) {
            case JDK -> SslProvider.JDK;
            case OPENSSL -> SslProvider.OPENSSL;
            case NONE -> throw new IllegalArgumentException("no TLS asked for");
        };
        if (sslProvider == SslProvider.OPENSSL && !io.netty.handler.ssl.OpenSsl.isAvailable()) {
            throw new ServerStartException("tlsProvider=openssl: BoringSSL (netty-tcnative-boringssl-static) does not load on"
                    + " this machine (" + io.netty.handler.ssl.OpenSsl.unavailabilityCause() + "); use -p tlsProvider=jdk",
                    io.netty.handler.ssl.OpenSsl.unavailabilityCause());
        }
        try {
            return SslContextBuilder.forServer(key, certificate).sslProvider(sslProvider).build();
        } catch (SSLException e) {
            throw new IllegalStateException("could not build a " + provider.paramValue() + " TLS context: " + e.getMessage(), e);
        }
    }

    /** A JDK TLS context serving this certificate. */
    public SSLContext sslContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not build a JDK TLS context: " + e.getMessage(), e);
        }
    }

    /** An in-memory PKCS12 key store holding the key (alias {@value #KEY_ALIAS}) and certificate. */
    public KeyStore keyStore() {
        return keyStore;
    }

    /** The password of {@link #keyStore()} and of its key. */
    public String password() {
        return new String(PASSWORD);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey key() {
        return key;
    }
}
